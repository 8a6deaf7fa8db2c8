/**
 * Standard base64 (RFC 4648 §4), padded and unpadded. The storage server sends message data
 * padded and message hashes unpadded (network.md §1.5). Decoding is strict so a corrupted field
 * is reported rather than silently truncated.
 */
import { ProtocolError } from '../errors.ts';

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Encodes bytes as padded standard base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Encodes bytes as standard base64 without `=` padding. */
export function toBase64Unpadded(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '');
}

/** Decodes standard base64, padded or not; anything else is an `invalid-base64` error. */
export function fromBase64(text: string, what = 'base64'): Uint8Array {
  if (typeof text !== 'string' || !STANDARD.test(text) || text.length % 4 === 1) {
    throw new ProtocolError('invalid-base64', `${what}: not standard base64`);
  }
  const padded = text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4));
  const eq = padded.indexOf('=');
  if (eq !== -1 && eq < padded.length - 2) {
    throw new ProtocolError('invalid-base64', `${what}: misplaced '=' padding`);
  }
  const bytes = new Uint8Array(Buffer.from(padded, 'base64'));
  // Re-encoding catches non-canonical trailing bits, which Node would otherwise accept.
  if (toBase64(bytes) !== padded) {
    throw new ProtocolError('invalid-base64', `${what}: non-canonical base64`);
  }
  return bytes;
}
