/**
 * The outer layout of a V2 one-to-one message (protocol-v2.md §7 step 8 and §8; upstream
 * session-foundation/libsession-util:src/session_encrypt.cpp `V2_HEADER_SIZE`,
 * `V2_MIN_FINAL_SIZE`, `v2_check_header`, `v2_encrypt_inner`):
 *
 * | offset | length       | field                                                          |
 * |--------|--------------|----------------------------------------------------------------|
 * | 0      | 1            | `00`: "not protobuf" (a V1 message starts with a protobuf tag) |
 * | 1      | 1            | `02`: V2 (PFS and non-PFS alike)                               |
 * | 2      | 2            | key indicator `ki` (random for non-PFS)                        |
 * | 4      | 32           | ephemeral X25519 public key `E`                                |
 * | 36     | 1088         | ML-KEM-768 ciphertext (random for non-PFS)                     |
 * | 1124   | final − 1124 | XChaCha20-Poly1305(padded inner dict), 16-byte tag included    |
 *
 * `final = roundup256(max(1536, 1140 + len(inner)))`, so sizes are 1536 + 256·N and the padded
 * inner dict is at least 396 bytes.
 *
 * [X] upstream's design doc gives the non-PFS format the prefix `01` and a 256-byte minimum; the
 * code uses `00 02` and 1536 for both, and so do we.
 */
import { MLKEM768 } from '../../crypto/primitives.ts';

/** First byte of every V2 message: never a valid first byte of the V1 protobuf wrapper. */
export const V2_DM_MARKER = 0x00;
/** Second byte: protocol V2. */
export const V2_DM_VERSION = 0x02;
/** Offset of the 2-byte key indicator. */
export const V2_DM_KI_OFFSET = 2;
/** Offset of the 32-byte ephemeral X25519 key. */
export const V2_DM_EPHEMERAL_OFFSET = 4;
/** Offset of the 1088-byte ML-KEM-768 ciphertext. */
export const V2_DM_KEM_OFFSET = 36;
/** Bytes before the AEAD ciphertext (upstream `V2_HEADER_SIZE` = 2 + 2 + 32 + 1088). */
export const V2_DM_HEADER_LENGTH = V2_DM_KEM_OFFSET + MLKEM768.ciphertextBytes;
/** XChaCha20-Poly1305 tag length. */
export const V2_DM_TAG_LENGTH = 16;
/** Header + tag (upstream `V2_OUTER_OVERHEAD` = 1140). */
export const V2_DM_OVERHEAD = V2_DM_HEADER_LENGTH + V2_DM_TAG_LENGTH;
/** Sizes are multiples of this. */
export const V2_DM_PADDING_BLOCK = 256;
/** The smallest V2 message (upstream `V2_MIN_FINAL_SIZE` = roundup256(1140 + 256) = 1536). */
export const V2_DM_MIN_LENGTH =
  Math.ceil((V2_DM_OVERHEAD + V2_DM_PADDING_BLOCK) / V2_DM_PADDING_BLOCK) * V2_DM_PADDING_BLOCK;

/** The total message size for an inner dict of `innerLength` bytes. */
export function v2DmLength(innerLength: number): number {
  const raw = Math.max(V2_DM_MIN_LENGTH, V2_DM_OVERHEAD + innerLength);
  return Math.ceil(raw / V2_DM_PADDING_BLOCK) * V2_DM_PADDING_BLOCK;
}

/** True when `data` starts with the V2 prefix `00 02`. */
export function hasV2DmPrefix(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === V2_DM_MARKER && data[1] === V2_DM_VERSION;
}

/** The header fields of a V2 message (views into the message, not copies). */
export interface V2DmHeader {
  readonly keyIndicator: Uint8Array;
  readonly ephemeralPublicKey: Uint8Array;
  readonly kemCiphertext: Uint8Array;
  readonly sealed: Uint8Array;
}

/** Splits a message already checked for prefix and minimum length. */
export function splitV2DmHeader(data: Uint8Array): V2DmHeader {
  return {
    keyIndicator: data.subarray(V2_DM_KI_OFFSET, V2_DM_EPHEMERAL_OFFSET),
    ephemeralPublicKey: data.subarray(V2_DM_EPHEMERAL_OFFSET, V2_DM_KEM_OFFSET),
    kemCiphertext: data.subarray(V2_DM_KEM_OFFSET, V2_DM_HEADER_LENGTH),
    sealed: data.subarray(V2_DM_HEADER_LENGTH),
  };
}
