/**
 * The onion request envelope: the frame a node receives on `POST /onion_req/v2`, whose JSON tells
 * it how to decrypt the ciphertext (network.md §2.1, §2.2):
 *
 *     [N][ciphertext]{"ephemeral_key": <64 hex>, "enc_type"?: "aes-gcm" | "xchacha20", "hop_no"?: int}
 *
 * A client sends it to its entry node. Upstream nodes relay to the next node over OxenMQ as a bt
 * dict with the same three fields; our nodes speak HTTP only (docs/network.md), so a relaying
 * node posts this same envelope to the next node's `/onion_req/v2` with `hop_no` one higher.
 * `hop_no` defaults to 0, negative values count as 0 (upstream `std::max(0, hop_no)`), and a
 * client may start above 0 so that hops cannot tell their position (§2.1).
 *
 * Upstream: session-foundation/session-storage-server `oxenss/server/https.cpp`
 * (`process_onion_req_v2`), `oxenss/server/omq.cpp` (`handle_onion_request`, `MAX_ONION_HOPS`).
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { fromHexOfLength, toHex } from '../encoding/hex.ts';
import { DEFAULT_ONION_ENC_TYPE, parseOnionEncType, type OnionEncType } from './onion-cipher.ts';
import { decodeOnionFrame, encodeOnionFrame, ONION_MAX_BYTES } from './onion-frame.ts';

/** Hop numbers above this are refused with 400 (storage server `MAX_ONION_HOPS`). */
export const MAX_ONION_HOPS = 15;

/** What a node needs to decrypt the layer it received. */
export interface OnionEnvelope {
  readonly ciphertext: Uint8Array;
  /** The X25519 ephemeral public key of this layer (32 bytes). */
  readonly ephemeralKey: Uint8Array;
  readonly encType: OnionEncType;
  /** How many hops this request has already taken (as far as the sender says). */
  readonly hopNo: number;
}

/** Encodes an envelope; `enc_type` is always written, `hop_no` only when above 0. */
export function encodeOnionEnvelope(envelope: OnionEnvelope): Uint8Array {
  assertBytes('onion ephemeral key', envelope.ephemeralKey, 32);
  if (!Number.isSafeInteger(envelope.hopNo) || envelope.hopNo < 0) {
    throw new ProtocolError('invalid-input', `hop_no: expected a non-negative integer`);
  }
  const json: Record<string, unknown> = {
    ephemeral_key: toHex(envelope.ephemeralKey),
    enc_type: envelope.encType,
  };
  if (envelope.hopNo > 0) json['hop_no'] = envelope.hopNo;
  return encodeOnionFrame(envelope.ciphertext, json);
}

/**
 * Decodes an envelope, or throws a `ProtocolError` saying what was wrong (the frame, a missing
 * or malformed `ephemeral_key`, an unknown `enc_type`, a non-integer `hop_no`).
 */
export function decodeOnionEnvelope(bytes: Uint8Array, maxBytes = ONION_MAX_BYTES): OnionEnvelope {
  const { ciphertext, json } = decodeOnionFrame(bytes, maxBytes);
  const eph = json['ephemeral_key'];
  if (typeof eph !== 'string') {
    throw new ProtocolError('invalid-input', 'onion request: missing "ephemeral_key" (64 hex)');
  }
  const ephemeralKey = fromHexOfLength(eph, 32, 'onion request "ephemeral_key"');
  const rawType = json['enc_type'];
  const encType = rawType === undefined ? DEFAULT_ONION_ENC_TYPE : parseOnionEncType(rawType);
  if (encType === undefined) {
    throw new ProtocolError(
      'invalid-input',
      `onion request: unknown "enc_type" ${JSON.stringify(rawType)?.slice(0, 40)} (expected aes-gcm or xchacha20)`,
    );
  }
  const rawHop = json['hop_no'];
  if (rawHop !== undefined && !(typeof rawHop === 'number' && Number.isSafeInteger(rawHop))) {
    throw new ProtocolError('invalid-input', 'onion request: "hop_no" must be an integer');
  }
  const hopNo = typeof rawHop === 'number' ? Math.max(0, rawHop) : 0;
  return { ciphertext, ephemeralKey, encType, hopNo };
}
