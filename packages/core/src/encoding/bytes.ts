/**
 * Byte helpers used across the core: concatenation, constant-shape comparison, UTF-8, and the
 * length assertion every boundary uses so that errors read "expected 32 bytes, got 31".
 */
import { ProtocolError } from '../errors.ts';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Concatenates byte arrays into a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Byte equality that does not stop at the first difference (for MACs, keys, tags). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** UTF-8 encoding of a string. */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Strict UTF-8 decoding: invalid sequences are an `invalid-input` error, never U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new ProtocolError('invalid-input', 'expected valid UTF-8 text', { cause });
  }
}

/** Throws unless `value` is a `Uint8Array` of one of the `lengths`. */
export function assertBytes(
  what: string,
  value: unknown,
  ...lengths: readonly number[]
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected a Uint8Array, got ${describe(value)}`,
    );
  }
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    const expected = lengths.join(' or ');
    throw new ProtocolError(
      'invalid-length',
      `${what}: expected ${expected} bytes, got ${value.length}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
