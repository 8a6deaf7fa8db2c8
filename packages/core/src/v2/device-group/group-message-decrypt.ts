/**
 * Decrypting a device-group message on one device (protocol-v2.md §9.3 and §12; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `decrypt_device_data`,
 * `_names_us_kicked`, `_group_of`).
 *
 * 1. Verify `"~"` against the account's Ed25519 key; then check the sizes (§9.3 step 2).
 * 2. For each slot, and each of this device's active device keys newest first, compare the
 *    2-byte tag first (a wrong key matches 1 time in 65 536, so most slots cost one short
 *    hash); on a match compute `X25519(b, A)`, decapsulate, derive `k_i`, unwrap `key_base` and
 *    try the AEAD on `"d"` with `pn`. A tag collision just fails the AEAD and the search goes on.
 * 3. No slot opens: the message is not for this device. If `"k"` holds this device's kicked
 *    entry, it was removed.
 *
 * Every outcome is a returned value; malformed input never throws.
 */
import {
  ed25519Verify,
  mlkem768Decapsulate,
  x25519,
  xchacha20Xor,
  xchacha20poly1305Decrypt,
} from '../../crypto/primitives.ts';
import { isProtocolError } from '../../errors.ts';
import type { Identity } from '../../identity/identity.ts';
import { bytesEqual } from '../../encoding/bytes.ts';
import { splitSignedDict } from '../../encoding/bencode-signature.ts';
import type { HybridKeyPair } from '../keys/hybrid-keys.ts';
import { cryptGroupId } from './group-id.ts';
import { decodeGroupPayload, type DeviceGroupPayload } from './group-payload.ts';
import {
  KICKED_ENTRY_BYTES,
  SLOT_CIPHERTEXT_BYTES,
  SLOT_KEY_BYTES,
  SLOT_TAG_BYTES,
  deviceGroupMessageFields,
  keyNonce,
  kickedEntry,
  payloadNonce,
  slotTag,
  wrapKey,
  type ParsedDeviceGroupMessage,
} from './group-message-format.ts';

/** Who is reading: the account root (every device holds it) and this device's keys. */
export interface DeviceGroupReader {
  readonly account: Identity;
  /** This device's 32-byte ID (for the `"k"` check). */
  readonly deviceId: Uint8Array;
  /** This device's active device keys, newest first. */
  readonly deviceKeys: readonly HybridKeyPair[];
}

/** A message this device read. */
export interface DeviceGroupOpened {
  readonly ok: true;
  readonly payload: DeviceGroupPayload;
  /** The decrypted group ID; `undefined` for a message from before group IDs. */
  readonly groupId: Uint8Array | undefined;
  /** The group link key `"X"`; `undefined` when absent. */
  readonly linkKey: Uint8Array | undefined;
  /** Which of `deviceKeys` opened it. */
  readonly deviceKeyIndex: number;
}

/** Why a message could not be read. */
export type DeviceGroupFailureReason =
  'not-for-this-device' | 'removed' | 'bad-signature' | 'bad-format';

/** A message this device could not read. */
export interface DeviceGroupNotOpened {
  readonly ok: false;
  readonly reason: DeviceGroupFailureReason;
  /** For a validly signed message: its group ID, so the caller can tell its own group's. */
  readonly groupId?: Uint8Array;
  readonly linkKey?: Uint8Array;
}

/** The result of `decryptDeviceGroupMessage`. */
export type DeviceGroupDecryptResult = DeviceGroupOpened | DeviceGroupNotOpened;

/** Verifies and parses a message; the failure reasons of steps 1–2 as values. */
export function verifyDeviceGroupMessage(
  message: Uint8Array,
  accountEd25519PublicKey: Uint8Array,
):
  | { ok: true; fields: ParsedDeviceGroupMessage }
  | { ok: false; reason: 'bad-signature' | 'bad-format' } {
  if (!(message instanceof Uint8Array)) return { ok: false, reason: 'bad-format' };
  let split;
  try {
    split = splitSignedDict(message);
  } catch (error) {
    if (isProtocolError(error, 'bad-signature')) return { ok: false, reason: 'bad-signature' };
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format' };
    throw error;
  }
  if (split === undefined) return { ok: false, reason: 'bad-signature' };
  if (!ed25519Verify(split.signature, split.signed, accountEd25519PublicKey)) {
    return { ok: false, reason: 'bad-signature' };
  }
  try {
    return { ok: true, fields: deviceGroupMessageFields(split.dict) };
  } catch (error) {
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format' };
    throw error;
  }
}

/** Decrypts a device-group message for this device. */
export function decryptDeviceGroupMessage(
  message: Uint8Array,
  reader: DeviceGroupReader,
): DeviceGroupDecryptResult {
  const verified = verifyDeviceGroupMessage(message, reader.account.ed25519PublicKey);
  if (!verified.ok) return verified;
  const f = verified.fields;
  const A = f.ephemeralPublicKey;
  const rootSeed = reader.account.seed;
  const groupId =
    f.encryptedGroupId === undefined ? undefined : cryptGroupId(f.encryptedGroupId, A, rootSeed);
  const located = {
    ...(groupId === undefined ? {} : { groupId }),
    ...(f.linkKey === undefined ? {} : { linkKey: f.linkKey }),
  };

  const pn = payloadNonce(A, f.ciphertexts);
  for (let i = 0; i < f.slotCount; i++) {
    const ct = f.ciphertexts.subarray(i * SLOT_CIPHERTEXT_BYTES, (i + 1) * SLOT_CIPHERTEXT_BYTES);
    const tag = f.keySlots.subarray(i * SLOT_KEY_BYTES, i * SLOT_KEY_BYTES + SLOT_TAG_BYTES);
    const w = f.keySlots.subarray(i * SLOT_KEY_BYTES + SLOT_TAG_BYTES, (i + 1) * SLOT_KEY_BYTES);
    let kn: Uint8Array | undefined;
    for (let k = 0; k < reader.deviceKeys.length; k++) {
      const key = reader.deviceKeys[k];
      if (key === undefined) continue;
      const B = key.x25519PublicKey;
      const M = key.mlkemPublicKey;
      if (!bytesEqual(slotTag(A, B, M, ct, w), tag)) continue;
      const dh = x25519(key.x25519SecretKey.borrowBytes(), A);
      if (dh === undefined) continue;
      const ss = mlkem768Decapsulate(key.mlkemSecretKey.borrowBytes(), ct);
      const wk = wrapKey(dh, A, B, ss, M);
      kn ??= keyNonce(A, ct, f.encryptedPayload);
      const keyBase = xchacha20Xor(wk, kn, w);
      const padded = xchacha20poly1305Decrypt(keyBase, pn, f.encryptedPayload);
      dh.fill(0);
      ss.fill(0);
      wk.fill(0);
      keyBase.fill(0);
      if (padded === undefined) continue; // a tag collision
      try {
        const payload = decodeGroupPayload(padded);
        return {
          ok: true,
          payload,
          groupId,
          linkKey: f.linkKey,
          deviceKeyIndex: k,
        };
      } catch (error) {
        if (isProtocolError(error)) return { ok: false, reason: 'bad-format', ...located };
        throw error;
      } finally {
        padded.fill(0);
      }
    }
  }

  if (f.kicked !== undefined && reader.deviceId.length === 32) {
    const ours = kickedEntry(A, rootSeed, reader.deviceId);
    for (let i = 0; i < f.kicked.length; i += KICKED_ENTRY_BYTES) {
      if (bytesEqual(f.kicked.subarray(i, i + KICKED_ENTRY_BYTES), ours)) {
        return { ok: false, reason: 'removed', ...located };
      }
    }
  }
  return { ok: false, reason: 'not-for-this-device', ...located };
}
