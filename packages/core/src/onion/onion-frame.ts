/**
 * The onion frame (network.md §2.2): `LE-u32 N ‖ N bytes of ciphertext ‖ UTF-8 JSON`, where the
 * JSON fills the rest. Every onion message has this shape: the body a client posts to its entry
 * node, the body one node relays to the next, and each decrypted layer.
 *
 * Decoding is strict and says what was wrong, as a `ProtocolError`:
 * - `too-large`: over `ONION_MAX_BYTES` (10 MiB, libsession `onionreq/parser.hpp`
 *   `DEFAULT_MAX_SIZE`, equal to the storage server's HTTPS body limit);
 * - `invalid-length`: fewer than 4 bytes, or N past the end;
 * - `invalid-input`: the JSON part is not strict UTF-8, not JSON, or not an object.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/onion_processing.cpp`
 * (`parse_combined_payload`); session-foundation/session-desktop
 * `ts/session/apis/snode_api/onions.ts` (`encodeCiphertextPlusJson`).
 */
import { ProtocolError } from '../errors.ts';
import { fromUtf8, utf8 } from '../encoding/bytes.ts';

/** Largest onion message accepted (10 MiB: libsession parser and storage-server body limit). */
export const ONION_MAX_BYTES = 10 * 1024 * 1024;

/** The ciphertext-length prefix: a little-endian u32. */
const LENGTH_BYTES = 4;

/** A JSON object as it appears in a frame. */
export type OnionJson = Readonly<Record<string, unknown>>;

/** A decoded frame. `ciphertext` is a view into the decoded buffer, not a copy. */
export interface OnionFrame {
  readonly ciphertext: Uint8Array;
  readonly json: OnionJson;
}

/** Encodes `ciphertext` and `json` as one frame. */
export function encodeOnionFrame(ciphertext: Uint8Array, json: OnionJson): Uint8Array {
  return encodeOnionFrameText(ciphertext, JSON.stringify(json));
}

/** Encodes a frame whose JSON part is already text (kept byte for byte). */
export function encodeOnionFrameText(ciphertext: Uint8Array, jsonText: string): Uint8Array {
  const jsonBytes = utf8(jsonText);
  const out = new Uint8Array(LENGTH_BYTES + ciphertext.length + jsonBytes.length);
  new DataView(out.buffer).setUint32(0, ciphertext.length, true);
  out.set(ciphertext, LENGTH_BYTES);
  out.set(jsonBytes, LENGTH_BYTES + ciphertext.length);
  return out;
}

/** Decodes a frame, or throws a `ProtocolError` naming what was wrong. */
export function decodeOnionFrame(bytes: Uint8Array, maxBytes = ONION_MAX_BYTES): OnionFrame {
  if (bytes.length > maxBytes) {
    throw new ProtocolError('too-large', `onion frame: over ${maxBytes} bytes (${bytes.length})`);
  }
  if (bytes.length < LENGTH_BYTES) {
    throw new ProtocolError(
      'invalid-length',
      `onion frame: expected at least 4 bytes (the ciphertext length), got ${bytes.length}`,
    );
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (n > bytes.length - LENGTH_BYTES) {
    throw new ProtocolError(
      'invalid-length',
      `onion frame: ciphertext length ${n} exceeds the ${bytes.length - LENGTH_BYTES} bytes that follow`,
    );
  }
  const ciphertext = bytes.subarray(LENGTH_BYTES, LENGTH_BYTES + n);
  return { ciphertext, json: parseFrameJson(bytes.subarray(LENGTH_BYTES + n)) };
}

function parseFrameJson(bytes: Uint8Array): OnionJson {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new ProtocolError(
      'invalid-input',
      'onion frame: the part after the ciphertext is not JSON',
      {
        cause,
      },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError(
      'invalid-input',
      `onion frame: expected a JSON object after the ciphertext, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    );
  }
  return value as OnionJson;
}
