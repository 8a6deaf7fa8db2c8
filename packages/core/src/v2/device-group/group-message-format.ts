/**
 * The device-group message's outer dict and the hashes both ends derive from it
 * (protocol-v2.md §9.1–§9.2; upstream session-foundation/libsession-util:src/core/devices.cpp
 * `encrypt_device_data`, `decrypt_device_data`, `kicked_entry`, `_names_us_kicked`).
 *
 * Outer dict, keys in order (namespace 21, stored with a 30-day TTL):
 *
 * | key   | value                                                              |
 * | ----- | ------------------------------------------------------------------ |
 * | `""`  | `"G"`                                                              |
 * | `"@"` | encrypted group ID (8)                                             |
 * | `"A"` | ephemeral X25519 public key (32)                                   |
 * | `"C"` | N_pad × 1088: ML-KEM-768 ciphertexts, N_pad = roundup4(recipients) |
 * | `"K"` | N_pad × 34: slot tag (2) ‖ wrapped key_base (32)                   |
 * | `"X"` | the group link key: X25519 public key of the current account key   |
 * | `"d"` | XChaCha20-Poly1305(key_base, pn, padded payload)                   |
 * | `"k"` | only with removals: 16 × roundup4(#kicked) kicked entries          |
 * | `"~"` | Ed25519 signature by the account root over everything before `1:~` |
 *
 * Unknown keys before `"~"` are tolerated when reading (upstream's consumer skips them);
 * `"@"` and `"X"` are optional when reading (groups from before identifiers lack them) and
 * always written.
 */
import { ProtocolError } from '../../errors.ts';
import { MLKEM768 } from '../../crypto/primitives.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { assertBytes, fromUtf8 } from '../../encoding/bytes.ts';
import { isBtBytes, type BtDict } from '../../encoding/bencode.ts';
import { splitSignedDict } from '../../encoding/bencode-signature.ts';
import { decodeBencodeDict } from '../../encoding/bencode-decode.ts';
import {
  PERS_KEY_KEY,
  PERS_KEY_NONCE,
  PERS_KICKED,
  PERS_PAYLOAD_NONCE,
  PERS_SLOT_TAG,
  personalHash,
} from './domains.ts';

/** The `""` type of a device-group message. */
export const DEVICE_GROUP_MESSAGE_TYPE = 'G';
/** Bytes per `"C"` slot. */
export const SLOT_CIPHERTEXT_BYTES = MLKEM768.ciphertextBytes;
/** Bytes per `"K"` slot: tag (2) ‖ wrapped key_base (32). */
export const SLOT_KEY_BYTES = 34;
/** Slot tag length. */
export const SLOT_TAG_BYTES = 2;
/** Bytes per `"k"` entry. */
export const KICKED_ENTRY_BYTES = 16;
/** XChaCha20-Poly1305 tag length. */
export const AEAD_TAG_BYTES = 16;

/** `pn = BLAKE2b-24(key=A, pers="SessionDevDNonce", C)`. */
export function payloadNonce(A: Uint8Array, ciphertexts: Uint8Array): Uint8Array {
  return personalHash(24, PERS_PAYLOAD_NONCE, [ciphertexts], A);
}

/** `kn_i = BLAKE2b-24(key=A, pers="SessionDevKNonce", ct_i ‖ d)`. */
export function keyNonce(A: Uint8Array, ct: Uint8Array, d: Uint8Array): Uint8Array {
  return personalHash(24, PERS_KEY_NONCE, [ct, d], A);
}

/** `k_i = BLAKE2b-32(pers="SessionDevKeyKey", X25519(a, B) ‖ A ‖ B ‖ ss ‖ M)`. */
export function wrapKey(
  dh: Uint8Array,
  A: Uint8Array,
  B: Uint8Array,
  ss: Uint8Array,
  M: Uint8Array,
): Uint8Array {
  return personalHash(32, PERS_KEY_KEY, [dh, A, B, ss, M]);
}

/** `tag_i = BLAKE2b-2(pers="SessionDevKeyIdx", A ‖ B ‖ M ‖ ct ‖ w)`. */
export function slotTag(
  A: Uint8Array,
  B: Uint8Array,
  M: Uint8Array,
  ct: Uint8Array,
  w: Uint8Array,
): Uint8Array {
  return personalHash(SLOT_TAG_BYTES, PERS_SLOT_TAG, [A, B, M, ct, w]);
}

/**
 * A removed device's `"k"` entry: `BLAKE2b-16(key=A, pers="SessionDevKicked", root_seed ‖ id)`.
 * Only root-seed holders compute it, and it differs per message (keyed by A).
 */
export function kickedEntry(
  A: Uint8Array,
  rootSeed: Uint8Array | SecretKey<'ed25519-seed'>,
  deviceId: Uint8Array,
): Uint8Array {
  const seed = rootSeed instanceof SecretKey ? rootSeed.borrowBytes() : rootSeed;
  assertBytes('account root seed', seed, 32);
  assertBytes('device ID', deviceId, 32);
  return personalHash(KICKED_ENTRY_BYTES, PERS_KICKED, [seed, deviceId], A);
}

/** The fields of a device-group message, sizes checked, signature not yet verified. */
export interface ParsedDeviceGroupMessage {
  readonly encryptedGroupId: Uint8Array | undefined;
  readonly ephemeralPublicKey: Uint8Array;
  readonly ciphertexts: Uint8Array;
  readonly keySlots: Uint8Array;
  readonly linkKey: Uint8Array | undefined;
  readonly encryptedPayload: Uint8Array;
  readonly kicked: Uint8Array | undefined;
  readonly slotCount: number;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('invalid-bencode', `device group message: ${message}`);
}

function field(dict: BtDict, key: string, length?: number): Uint8Array | undefined {
  const v = dict.get(key);
  if (v === undefined) return undefined;
  if (!isBtBytes(v)) throw bad(`"${key}": expected a byte string`);
  if (length !== undefined && v.length !== length) {
    throw bad(`"${key}": expected ${length} bytes, got ${v.length}`);
  }
  return v;
}

/**
 * Reads the fields of a decoded outer dict and checks every size rule of §9.3 step 2 (|C| a
 * multiple of 1088, |K| of 34, equal counts, `"d"` longer than its tag, `"k"` a multiple of 16).
 * A fault is an `invalid-bencode` error. Verify the signature first (§9.3 step 1).
 */
export function deviceGroupMessageFields(dict: BtDict): ParsedDeviceGroupMessage {
  const type = field(dict, '');
  if (type === undefined || fromUtf8(type) !== DEVICE_GROUP_MESSAGE_TYPE) {
    throw bad('expected "" = "G"');
  }
  const ephemeralPublicKey = field(dict, 'A', 32);
  const ciphertexts = field(dict, 'C');
  const keySlots = field(dict, 'K');
  const encryptedPayload = field(dict, 'd');
  if (ephemeralPublicKey === undefined) throw bad('missing "A"');
  if (ciphertexts === undefined) throw bad('missing "C"');
  if (keySlots === undefined) throw bad('missing "K"');
  if (encryptedPayload === undefined) throw bad('missing "d"');
  if (ciphertexts.length % SLOT_CIPHERTEXT_BYTES !== 0) {
    throw bad(`"C" is ${ciphertexts.length} bytes, not a multiple of ${SLOT_CIPHERTEXT_BYTES}`);
  }
  if (keySlots.length % SLOT_KEY_BYTES !== 0) {
    throw bad(`"K" is ${keySlots.length} bytes, not a multiple of ${SLOT_KEY_BYTES}`);
  }
  const slotCount = ciphertexts.length / SLOT_CIPHERTEXT_BYTES;
  if (keySlots.length / SLOT_KEY_BYTES !== slotCount) {
    throw bad(`${slotCount} ciphertexts but ${keySlots.length / SLOT_KEY_BYTES} key slots`);
  }
  if (encryptedPayload.length <= AEAD_TAG_BYTES) throw bad('"d" is too short');
  const kicked = field(dict, 'k');
  if (kicked !== undefined && kicked.length % KICKED_ENTRY_BYTES !== 0) {
    throw bad(`"k" is ${kicked.length} bytes, not a multiple of ${KICKED_ENTRY_BYTES}`);
  }
  return {
    encryptedGroupId: field(dict, '@', 8),
    ephemeralPublicKey,
    ciphertexts,
    keySlots,
    linkKey: field(dict, 'X', 32),
    encryptedPayload,
    kicked,
    slotCount,
  };
}

/** Splits a message into its signed span and fields (no verification); throws on bad format. */
export function parseDeviceGroupMessage(message: Uint8Array): {
  readonly fields: ParsedDeviceGroupMessage;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array | undefined;
} {
  assertBytes('device group message', message);
  const split = splitSignedDict(message);
  if (split === undefined) {
    return {
      fields: deviceGroupMessageFields(decodeBencodeDict(message)),
      signed: message,
      signature: undefined,
    };
  }
  return {
    fields: deviceGroupMessageFields(split.dict),
    signed: split.signed,
    signature: split.signature,
  };
}
