/**
 * Device-group identifiers (protocol-v2.md §9.2 step 9; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `new_group_id`, `crypt_group_id`,
 * `GroupId::created`).
 *
 * A group ID is 8 bytes: `LE-u32(unix minutes at creation) ‖ 4 random bytes`. Fixed when the
 * group is made, it is how devices tell one of an account's groups from another (a "fork").
 * Each message carries it as `"@"`, XOR-ed with a bare XChaCha20 stream under
 * `key = BLAKE2b-32(pers="SessionDvGrpID_K", root_seed)` and
 * `nonce = BLAKE2b-24(pers="SessionDvGrpID_N", A)`, A being that message's ephemeral key: any
 * holder of the root seed reads it, anyone else sees 8 bytes that differ in every message.
 */
import { xchacha20Xor } from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { assertBytes } from '../../encoding/bytes.ts';
import { PERS_GROUP_ID_KEY, PERS_GROUP_ID_NONCE, personalHash } from './domains.ts';

/** Group ID length. */
export const GROUP_ID_BYTES = 8;

const MS_PER_MINUTE = 60_000;

/** A fresh group ID for a group created at unix time `nowMs` (milliseconds). */
export function newGroupId(nowMs: number, rng: Rng): Uint8Array {
  const id = new Uint8Array(GROUP_ID_BYTES);
  new DataView(id.buffer).setUint32(0, Math.floor(nowMs / MS_PER_MINUTE) >>> 0, true);
  id.set(rng.randomBytes(4), 4);
  return id;
}

/** When a group was created, unix minutes (by the creating device's clock). */
export function groupIdCreatedMinutes(groupId: Uint8Array): number {
  assertBytes('device group ID', groupId, GROUP_ID_BYTES);
  return new DataView(groupId.buffer, groupId.byteOffset, 4).getUint32(0, true);
}

/** Encrypts or decrypts (the same XOR) a group ID for the message whose ephemeral key is `A`. */
export function cryptGroupId(
  groupId: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  rootSeed: Uint8Array | SecretKey<'ed25519-seed'>,
): Uint8Array {
  assertBytes('device group ID', groupId, GROUP_ID_BYTES);
  assertBytes('ephemeral public key', ephemeralPublicKey, 32);
  const seed = rootSeed instanceof SecretKey ? rootSeed.borrowBytes() : rootSeed;
  assertBytes('account root seed', seed, 32);
  const key = personalHash(32, PERS_GROUP_ID_KEY, [seed]);
  const nonce = personalHash(24, PERS_GROUP_ID_NONCE, [ephemeralPublicKey]);
  const out = xchacha20Xor(key, nonce, groupId);
  key.fill(0);
  return out;
}
