/**
 * Encrypting a device-group message for N devices (protocol-v2.md §9.2; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `encrypt_device_data`).
 *
 * 1. Ephemeral `(a, A)`. Recipients (the payload's Registered records) and padding fill
 *    `N_pad = roundup4(N)` slots in a random order; each recipient gets
 *    `(ct_i, ss_i) = ML-KEM-768.Encaps(M_i)`, each padding slot 1088 random bytes.
 * 2. `pn = BLAKE2b-24(key=A, pers="SessionDevDNonce", C)`.
 * 3. `key_base` = 32 random bytes; `d = XChaCha20-Poly1305(key_base, pn, padded payload)`.
 * 4. Per recipient: `w_i = XChaCha20(k_i, kn_i) ⊕ key_base`, slot = `tag_i ‖ w_i`
 *    (`group-message-format.ts`). Padding slots, and a recipient whose X25519 key is degenerate,
 *    get 34 random bytes.
 * 5. Kicked entries for every `kicked` tombstone (not `left`), padded with random entries to a
 *    multiple of 4 and shuffled; `"@"` = the encrypted group ID; `"X"` = the link key.
 * 6. Signed by the account root (`"~"`).
 *
 * Randomness is drawn from the injected `Rng` in this exact order (our known-answer vectors
 * depend on it): `a` (32); the kicked-slot permutation, then the kicked list's random fill
 * (16 per slot); the key-slot permutation; per recipient in device-ID order, 32 ML-KEM coins;
 * per padding slot, 1088 bytes; `key_base` (32); per recipient whose X25519 fails, 2 + 32;
 * per padding slot, 2 + 32.
 */
import { ProtocolError } from '../../errors.ts';
import {
  ed25519Sign,
  mlkem768Encapsulate,
  x25519,
  x25519PublicKey,
  xchacha20Xor,
  xchacha20poly1305Encrypt,
} from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import type { Identity } from '../../identity/identity.ts';
import { fromHex } from '../../encoding/hex.ts';
import { utf8 } from '../../encoding/bytes.ts';
import type { BtValue } from '../../encoding/bencode.ts';
import { encodeSignedDict } from '../../encoding/bencode-signature.ts';
import { accountKeysFromSeed } from '../keys/hybrid-keys.ts';
import { currentAccountKey } from '../keys/account-key-ring.ts';
import type { DeviceRecord } from './device-record.ts';
import { cryptGroupId, GROUP_ID_BYTES } from './group-id.ts';
import { padGroupPayload, type DeviceGroupPayload } from './group-payload.ts';
import {
  DEVICE_GROUP_MESSAGE_TYPE,
  KICKED_ENTRY_BYTES,
  SLOT_CIPHERTEXT_BYTES,
  SLOT_KEY_BYTES,
  SLOT_TAG_BYTES,
  keyNonce,
  kickedEntry,
  payloadNonce,
  slotTag,
  wrapKey,
} from './group-message-format.ts';
import { randomPermutation, roundUp4 } from './slot-shuffle.ts';

/** What a device-group message is made from. */
export interface DeviceGroupMessageInit {
  /** The account root: signs the message; its seed keys `"@"` and `"k"`. */
  readonly account: Identity;
  /** The group's 8-byte ID. */
  readonly groupId: Uint8Array;
  /** Records (the recipients), tombstones, and the account-key ring. */
  readonly payload: DeviceGroupPayload;
  readonly rng: Rng;
}

/** Builds, encrypts and signs a device-group message (the bytes to store in namespace 21). */
export function encryptDeviceGroupMessage(init: DeviceGroupMessageInit): Uint8Array {
  const { account, payload, rng } = init;
  if (!(init.groupId instanceof Uint8Array) || init.groupId.length !== GROUP_ID_BYTES) {
    throw new ProtocolError('invalid-length', 'device group ID: expected 8 bytes');
  }
  const current = currentAccountKey(payload.accountKeys);
  if (current === undefined) {
    throw new ProtocolError(
      'invalid-input',
      'device group message: the account-key ring has no current (unrotated) key',
    );
  }
  const linkKey = accountKeysFromSeed(current.seed).x25519PublicKey;

  const ids = [...payload.devices.keys()].sort();
  const recipients: { id: string; record: DeviceRecord }[] = [];
  const kickedIds: Uint8Array[] = [];
  for (const id of ids) {
    const entry = payload.devices.get(id);
    if (entry?.kind === 'record') recipients.push({ id, record: entry.record });
    else if (entry?.kind === 'tombstone' && entry.state === 'kicked') kickedIds.push(fromHex(id));
  }

  const a = rng.randomBytes(32);
  const A = x25519PublicKey(a);
  const rootSeed = account.seed.borrowBytes();

  // Kicked entries: shuffled into roundup4 slots over random filler.
  let kicked: Uint8Array | undefined;
  if (kickedIds.length > 0) {
    const order = randomPermutation(roundUp4(kickedIds.length), rng);
    kicked = rng.randomBytes(order.length * KICKED_ENTRY_BYTES);
    kickedIds.forEach((id, i) => {
      kicked?.set(kickedEntry(A, rootSeed, id), (order[i] ?? 0) * KICKED_ENTRY_BYTES);
    });
  }

  const slots = roundUp4(recipients.length);
  const position = randomPermutation(slots, rng);
  const C = new Uint8Array(slots * SLOT_CIPHERTEXT_BYTES);
  const K = new Uint8Array(slots * SLOT_KEY_BYTES);
  const shared: Uint8Array[] = [];
  recipients.forEach(({ record }, i) => {
    const { ciphertext, sharedSecret } = mlkem768Encapsulate(
      record.mlkemPublicKey,
      rng.randomBytes(32),
    );
    C.set(ciphertext, (position[i] ?? 0) * SLOT_CIPHERTEXT_BYTES);
    shared.push(sharedSecret);
  });
  for (let i = recipients.length; i < slots; i++) {
    C.set(rng.randomBytes(SLOT_CIPHERTEXT_BYTES), (position[i] ?? 0) * SLOT_CIPHERTEXT_BYTES);
  }

  const pn = payloadNonce(A, C);
  const keyBase = rng.randomBytes(32);
  const d = xchacha20poly1305Encrypt(keyBase, pn, padGroupPayload(payload));

  recipients.forEach(({ record }, i) => {
    const slot = position[i] ?? 0;
    const ct = C.subarray(slot * SLOT_CIPHERTEXT_BYTES, (slot + 1) * SLOT_CIPHERTEXT_BYTES);
    const B = record.x25519PublicKey;
    const dh = x25519(a, B);
    if (dh === undefined) {
      // A degenerate key we should never have accepted: this device simply gets no key.
      K.set(rng.randomBytes(SLOT_TAG_BYTES), slot * SLOT_KEY_BYTES);
      K.set(rng.randomBytes(32), slot * SLOT_KEY_BYTES + SLOT_TAG_BYTES);
      return;
    }
    const M = record.mlkemPublicKey;
    const k = wrapKey(dh, A, B, shared[i] ?? new Uint8Array(32), M);
    const w = xchacha20Xor(k, keyNonce(A, ct, d), keyBase);
    K.set(slotTag(A, B, M, ct, w), slot * SLOT_KEY_BYTES);
    K.set(w, slot * SLOT_KEY_BYTES + SLOT_TAG_BYTES);
    k.fill(0);
    dh.fill(0);
  });
  for (let i = recipients.length; i < slots; i++) {
    const slot = position[i] ?? 0;
    K.set(rng.randomBytes(SLOT_TAG_BYTES), slot * SLOT_KEY_BYTES);
    K.set(rng.randomBytes(32), slot * SLOT_KEY_BYTES + SLOT_TAG_BYTES);
  }
  for (const s of shared) s.fill(0);
  keyBase.fill(0);
  a.fill(0);

  const outer = new Map<string, BtValue>([
    ['', utf8(DEVICE_GROUP_MESSAGE_TYPE)],
    ['@', cryptGroupId(init.groupId, A, rootSeed)],
    ['A', A],
    ['C', C],
    ['K', K],
    ['X', linkKey],
    ['d', d],
  ]);
  if (kicked !== undefined) outer.set('k', kicked);
  const signingKey = account.ed25519SecretKey.borrowBytes();
  return encodeSignedDict(outer, (span) => ed25519Sign(signingKey, span));
}
