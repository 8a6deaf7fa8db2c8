/**
 * The strict bt decoder: bytes → `BtValue`, accepting only canonical encodings.
 *
 * Upstream's oxenc (session-foundation/oxen-encoding `oxenc/bt_serialize.h`) is lenient: it
 * accepts leading zeros (`i007e`, `03:abc`), `i-0e`, and unsorted or repeated dict keys in its
 * generic deserializer (libsession checks key order itself where it matters, e.g. `load_unknowns`
 * in `src/config/internal.cpp`). Upstream only ever *produces* canonical bytes, so rejecting
 * non-canonical input costs no compatibility and means one message has exactly one encoding —
 * which matters because signatures and message hashes cover the bytes.
 *
 * Rejected, each as a `ProtocolError('invalid-bencode')` naming the byte offset and what was
 * expected: truncated input, a string length past the end, leading zeros, `-0`, integers outside
 * int64 ∪ uint64 (oxenc's range), non-string dict keys, unsorted or duplicate dict keys, unknown
 * type bytes, nesting deeper than `maxDepth` (default 64), and — for `decodeBencode` — trailing
 * bytes. `decodeBencodePrefix` instead returns how many bytes the value used, so a caller can
 * allow trailing zero padding (group messages, protocol-v1.md §6.3).
 */
import { ProtocolError } from '../errors.ts';
import {
  BT_DEFAULT_MAX_DEPTH,
  BT_INT_MAX,
  BT_INT_MIN,
  btKey,
  compareBytes,
  type BtDict,
  type BtValue,
} from './bencode.ts';

/** Options for the decoders. */
export interface BencodeDecodeOptions {
  /** Deepest container nesting accepted (default 64). */
  readonly maxDepth?: number;
}

/** A value decoded from the front of a buffer, and how many bytes it used. */
export interface BencodePrefix<V extends BtValue = BtValue> {
  readonly value: V;
  readonly length: number;
}

/** Where a top-level dict entry's key starts (for signature spans). */
export interface BencodeKeyOffset {
  readonly key: string;
  readonly offset: number;
}

const C_0 = 0x30;
const C_9 = 0x39;
const C_COLON = 0x3a;
const C_MINUS = 0x2d;
const C_D = 0x64;
const C_E = 0x65;
const C_I = 0x69;
const C_L = 0x6c;

/** Decodes exactly one value; any byte after it is an error. */
export function decodeBencode(bytes: Uint8Array, options: BencodeDecodeOptions = {}): BtValue {
  const { value, length } = decodeBencodePrefix(bytes, options);
  if (length !== bytes.length) {
    throw failAt(bytes, length, 'the end of input after the value (trailing bytes)');
  }
  return value;
}

/** Decodes exactly one value that must be a dict. */
export function decodeBencodeDict(bytes: Uint8Array, options: BencodeDecodeOptions = {}): BtDict {
  if (bytes.length > 0 && bytes[0] !== C_D) throw failAt(bytes, 0, "a dict ('d')");
  return decodeBencode(bytes, options) as BtDict;
}

/** Decodes one value from the front of `bytes` and says how many bytes it used. */
export function decodeBencodePrefix(
  bytes: Uint8Array,
  options: BencodeDecodeOptions = {},
): BencodePrefix {
  const reader = new Reader(bytes, options.maxDepth ?? BT_DEFAULT_MAX_DEPTH);
  const value = reader.value(0);
  return { value, length: reader.pos };
}

/**
 * Decodes a dict from the front of `bytes` and records where each top-level key's encoding
 * (`<len>:<key>`) starts. Internal to the encoding layer; used for signature spans.
 */
export function decodeBencodeDictPrefixWithOffsets(
  bytes: Uint8Array,
  options: BencodeDecodeOptions = {},
): BencodePrefix<BtDict> & { readonly keyOffsets: readonly BencodeKeyOffset[] } {
  if (bytes.length === 0 || bytes[0] !== C_D) throw failAt(bytes, 0, "a dict ('d')");
  const reader = new Reader(bytes, options.maxDepth ?? BT_DEFAULT_MAX_DEPTH);
  const keyOffsets: BencodeKeyOffset[] = [];
  const value = reader.dict(0, keyOffsets);
  return { value, length: reader.pos, keyOffsets };
}

class Reader {
  readonly bytes: Uint8Array;
  readonly maxDepth: number;
  pos = 0;

  constructor(bytes: Uint8Array, maxDepth: number) {
    if (!(bytes instanceof Uint8Array)) {
      throw new ProtocolError(
        'invalid-input',
        `bencode: expected a Uint8Array, got ${typeof bytes}`,
      );
    }
    this.bytes = bytes;
    this.maxDepth = maxDepth;
  }

  value(depth: number): BtValue {
    const b = this.bytes[this.pos];
    if (b === undefined) throw this.fail('a value (0-9, i, l or d)');
    if (b >= C_0 && b <= C_9) return this.string();
    if (b === C_I) return this.integer();
    if (b === C_L) return this.list(depth);
    if (b === C_D) return this.dict(depth);
    throw this.fail('a value (0-9, i, l or d)');
  }

  string(): Uint8Array {
    const start = this.pos;
    const length = this.digits('a string length');
    // A length longer than Number can hold exactly is longer than any input anyway.
    if (this.bytes[this.pos] !== C_COLON) throw this.fail("':' after the string length");
    this.pos++;
    const remaining = this.bytes.length - this.pos;
    if (length > BigInt(remaining)) {
      throw failAt(
        this.bytes,
        start,
        `a string that fits: its length is ${length} but only ${remaining} bytes remain`,
      );
    }
    // A plain Uint8Array copy, even from a Buffer (whose slice() would be a shared view).
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + Number(length)));
    this.pos += out.length;
    return out;
  }

  integer(): number | bigint {
    this.pos++; // 'i'
    const negative = this.bytes[this.pos] === C_MINUS;
    if (negative) this.pos++;
    const digitsAt = this.pos;
    const magnitude = this.digits('an integer digit');
    if (negative && magnitude === 0n)
      throw failAt(this.bytes, digitsAt, 'a non-zero value after - (-0)');
    if (this.bytes[this.pos] !== C_E) throw this.fail("a digit or 'e' ending the integer");
    const value = negative ? -magnitude : magnitude;
    if (value < BT_INT_MIN || value > BT_INT_MAX) {
      throw failAt(this.bytes, digitsAt, 'an integer in the int64/uint64 range [-2^63, 2^64-1]');
    }
    this.pos++; // 'e'
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }

  /** Reads canonical decimal digits (no leading zeros; at most 20, enough for 2^64). */
  digits(what: string): bigint {
    const start = this.pos;
    const first = this.bytes[start];
    if (first === undefined || first < C_0 || first > C_9) throw this.fail(what);
    let end = start + 1;
    while (end < this.bytes.length && isDigit(this.bytes[end])) {
      end++;
      if (end - start > 20) throw failAt(this.bytes, start, `${what} of at most 20 digits`);
    }
    if (first === C_0 && end - start > 1) {
      throw failAt(this.bytes, start, `${what} without leading zeros`);
    }
    let v = 0n;
    for (let i = start; i < end; i++) v = v * 10n + BigInt((this.bytes[i] ?? C_0) - C_0);
    this.pos = end;
    return v;
  }

  list(depth: number): BtValue[] {
    this.enter(depth);
    this.pos++; // 'l'
    const out: BtValue[] = [];
    for (;;) {
      const b = this.bytes[this.pos];
      if (b === undefined) throw this.fail("a list value or 'e' ending the list");
      if (b === C_E) break;
      out.push(this.value(depth + 1));
    }
    this.pos++; // 'e'
    return out;
  }

  dict(depth: number, keyOffsets?: BencodeKeyOffset[]): Map<string, BtValue> {
    this.enter(depth);
    this.pos++; // 'd'
    const out = new Map<string, BtValue>();
    let previous: Uint8Array | undefined;
    for (;;) {
      const b = this.bytes[this.pos];
      if (b === undefined) throw this.fail("a dict key or 'e' ending the dict");
      if (b === C_E) break;
      const keyAt = this.pos;
      if (b < C_0 || b > C_9) throw this.fail("a byte-string dict key or 'e' ending the dict");
      const key = this.string();
      if (previous !== undefined) {
        const order = compareBytes(previous, key);
        if (order === 0)
          throw failAt(this.bytes, keyAt, `a new key, not a duplicate of ${show(key)}`);
        if (order > 0) {
          throw failAt(
            this.bytes,
            keyAt,
            `keys in ascending byte order, but ${show(key)} follows ${show(previous)}`,
          );
        }
      }
      previous = key;
      const k = btKey(key);
      keyOffsets?.push({ key: k, offset: keyAt });
      out.set(k, this.value(depth + 1));
    }
    this.pos++; // 'e'
    return out;
  }

  enter(depth: number): void {
    if (depth >= this.maxDepth) {
      throw this.fail(`nesting of at most ${this.maxDepth} containers`);
    }
  }

  fail(expected: string): ProtocolError {
    return failAt(this.bytes, this.pos, expected);
  }
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= C_0 && b <= C_9;
}

function failAt(bytes: Uint8Array, offset: number, expected: string): ProtocolError {
  const b = bytes[offset];
  const found =
    b === undefined
      ? 'the end of input'
      : b >= 0x20 && b < 0x7f
        ? `'${String.fromCharCode(b)}'`
        : `byte 0x${b.toString(16).padStart(2, '0')}`;
  return new ProtocolError(
    'invalid-bencode',
    `bencode: at offset ${offset}: expected ${expected}, found ${found}`,
  );
}

/** A key for an error message: quoted if printable ASCII, else hex; long keys are cut short. */
function show(key: Uint8Array): string {
  const head = key.subarray(0, 32);
  const more = key.length > head.length ? '…' : '';
  const printable = head.every((c) => c >= 0x20 && c < 0x7f);
  return printable
    ? `${JSON.stringify(btKey(head))}${more}`
    : `0x${Buffer.from(head).toString('hex')}${more}`;
}
