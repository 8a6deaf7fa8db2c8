/**
 * Lowercase hex, the form Session uses for keys and IDs on the wire and on screen.
 * Decoding is strict: odd length or a non-hex character is an `invalid-hex` error naming the
 * field.
 */
import { ProtocolError } from '../errors.ts';

/** Encodes bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes hex (either case); `what` names the field in the error message. */
export function fromHex(text: string, what = 'hex'): Uint8Array {
  if (typeof text !== 'string') {
    throw new ProtocolError('invalid-hex', `${what}: expected a hex string, got ${typeof text}`);
  }
  if (text.length % 2 !== 0) {
    throw new ProtocolError('invalid-hex', `${what}: hex has an odd length (${text.length})`);
  }
  if (!/^[0-9a-fA-F]*$/.test(text)) {
    throw new ProtocolError('invalid-hex', `${what}: not hex (only 0-9 and a-f allowed)`);
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Decodes hex that must be exactly `length` bytes. */
export function fromHexOfLength(text: string, length: number, what = 'hex'): Uint8Array {
  const bytes = fromHex(text, what);
  if (bytes.length !== length) {
    throw new ProtocolError(
      'invalid-length',
      `${what}: expected ${length} bytes (${length * 2} hex characters), got ${bytes.length}`,
    );
  }
  return bytes;
}
