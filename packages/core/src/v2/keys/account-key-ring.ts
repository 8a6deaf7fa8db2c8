/**
 * The account-key ring: every account-key seed a device holds, as pure data (protocol-v2.md §2
 * and §3; upstream session-foundation/libsession-util:include/session/core/devices.hpp
 * `Devices::AccountKeys`, src/core/devices.cpp `active_account_keys` and the `"K"` list of the
 * device-group payload, and the `device_account_key_rotation` trigger of
 * src/core/schema/full_schema.sql).
 *
 * Functions here take a ring and return a new one; they never mutate their input. Rotation and
 * its schedule are in `account-key-rotation.ts`.
 *
 * Times are **unix seconds**, as upstream's `std::chrono::sys_seconds` columns `created` and
 * `rotated`, and as the device-group payload's `"c"` and `"r"` integers.
 *
 * **Settling.** Upstream's trigger marks every unrotated key except the winner (latest `created`,
 * ties to the smallest seed) as rotated at the winner's `created`. We apply the same order but
 * give each superseded key `rotated = min(its recorded rotated, created of the key just newer than
 * it)`: for one rotation that is exactly upstream's value, and unlike "the winner's created" it
 * does not depend on the order in which merges happen, so merging is commutative, associative and
 * idempotent (property-tested). Where the two differ (crossed rotations), ours is the earlier
 * time, and a merge with upstream's `rotated = MIN(…)` rule converges on it.
 */
import { ProtocolError } from '../../errors.ts';
import { compareBytes } from '../../encoding/bencode.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { accountKeysFromSeed, type HybridKeyPair } from './hybrid-keys.ts';

/** One shared account key: the seed its X25519 + ML-KEM-768 pair is expanded from (§2). */
export interface AccountKeyEntry {
  /** The 32-byte seed (`"s"` in the device-group payload). Secret: never prints. */
  readonly seed: SecretKey<'hybrid-key-seed'>;
  /** When the key was made, unix seconds (`"c"`). */
  readonly created: number;
  /** When the key stopped being current, unix seconds (`"r"`); absent while current. */
  readonly rotated?: number;
}

/**
 * A device's account keys. Order carries no meaning on input; the functions here return rings
 * in upstream's `active_account_keys` order: the current key first, then newest first.
 */
export type AccountKeyRing = readonly AccountKeyEntry[];

/**
 * How long a rotated account key is kept: 16 days = the 14-day DM TTL + 24 h for senders to
 * notice the rotation + 24 h margin (devices.hpp `ACCOUNT_KEY_RETENTION`).
 */
export const ACCOUNT_KEY_RETENTION_SECONDS = 16 * 24 * 3600;

/** Largest time accepted: year 9999 in unix seconds, far inside the safe-integer range. */
const MAX_TIME = 253_402_300_799;

/** Checks a time argument (unix seconds) and returns it as an integer (floored). */
export function checkUnixSeconds(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIME) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected unix seconds (a finite number 0..${MAX_TIME}), got ${String(value)}`,
    );
  }
  return Math.floor(value);
}

/** Builds a checked entry from raw parts (e.g. a decoded `{"c", "r", "s"}` dict). */
export function makeAccountKeyEntry(parts: {
  readonly seed: Uint8Array | SecretKey<'hybrid-key-seed'>;
  readonly created: number;
  readonly rotated?: number | undefined;
}): AccountKeyEntry {
  const seed =
    parts.seed instanceof SecretKey ? parts.seed : new SecretKey('hybrid-key-seed', parts.seed);
  if (seed.length !== 32) {
    throw new ProtocolError(
      'invalid-length',
      `account key seed: expected 32 bytes, got ${seed.length}`,
    );
  }
  const created = checkInteger('account key created', parts.created);
  if (parts.rotated === undefined) return { seed, created };
  const rotated = checkInteger('account key rotated', parts.rotated);
  return { seed, created, rotated };
}

function checkInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ProtocolError('invalid-input', `${what}: expected an integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Upstream's winner order: later `created` first, ties to the lexicographically smaller seed
 * (`ORDER BY created DESC, seed ASC`).
 */
export function compareAccountKeys(a: AccountKeyEntry, b: AccountKeyEntry): number {
  if (a.created !== b.created) return b.created - a.created;
  return compareBytes(a.seed.borrowBytes(), b.seed.borrowBytes());
}

function sameSeed(a: AccountKeyEntry, b: AccountKeyEntry): boolean {
  return compareBytes(a.seed.borrowBytes(), b.seed.borrowBytes()) === 0;
}

function withRotated(entry: AccountKeyEntry, rotated: number | undefined): AccountKeyEntry {
  if (rotated === entry.rotated) return entry;
  return rotated === undefined
    ? { seed: entry.seed, created: entry.created }
    : { seed: entry.seed, created: entry.created, rotated };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Deduplicates by seed and applies the rotation rule (module comment): the result is sorted in
 * winner order, and every key but the first is rotated no later than the `created` of the key
 * just newer than it. A duplicated seed keeps the earlier `created` and the earlier `rotated`.
 */
export function settleAccountKeyRing(ring: AccountKeyRing): AccountKeyRing {
  const sorted = [...ring].sort(compareAccountKeys);
  const unique: AccountKeyEntry[] = [];
  for (const entry of sorted) {
    const i = unique.findIndex((u) => sameSeed(u, entry));
    const existing = i === -1 ? undefined : unique[i];
    if (existing === undefined) {
      unique.push(entry);
      continue;
    }
    // Same seed twice: only happens across merges; keep the earliest facts.
    unique[i] = {
      ...withRotated(existing, minDefined(existing.rotated, entry.rotated)),
      created: Math.min(existing.created, entry.created),
    };
  }
  unique.sort(compareAccountKeys);
  return unique.map((entry, i) => {
    const newer = i === 0 ? undefined : unique[i - 1];
    return newer === undefined
      ? entry
      : withRotated(entry, minDefined(entry.rotated, newer.created));
  });
}

/**
 * The key senders should be using: the newest key, if it is not rotated. `undefined` when the
 * ring is empty or its newest key is marked rotated (the caller then rotates, as upstream's
 * `active_account_keys` does when it finds no active key).
 */
export function currentAccountKey(ring: AccountKeyRing): AccountKeyEntry | undefined {
  const first = settleAccountKeyRing(ring)[0];
  return first !== undefined && first.rotated === undefined ? first : undefined;
}

/**
 * Drops keys rotated more than 16 days before `now` (upstream: `DELETE … WHERE rotated < now −
 * ACCOUNT_KEY_RETENTION`, so a key rotated exactly 16 days ago is still kept).
 */
export function pruneAccountKeyRing(ring: AccountKeyRing, now: number): AccountKeyRing {
  const t = checkUnixSeconds('now', now);
  return settleAccountKeyRing(ring).filter(
    (k) => k.rotated === undefined || k.rotated >= t - ACCOUNT_KEY_RETENTION_SECONDS,
  );
}

/**
 * Merges a ring received in a device-group payload into ours (crossed rotations, §3): the union
 * of the seeds; a seed both sides know keeps the earlier `rotated` (upstream `rotated =
 * COALESCE(MIN(excluded.rotated, rotated), excluded.rotated, rotated)`), then settles.
 */
export function mergeAccountKeyRings(ours: AccountKeyRing, theirs: AccountKeyRing): AccountKeyRing {
  return settleAccountKeyRing([...ours, ...theirs]);
}

/** A retained account key with its expanded key pairs (what DM decryption needs). */
export interface RetainedAccountKey {
  readonly entry: AccountKeyEntry;
  readonly keys: HybridKeyPair;
}

/**
 * The keys incoming DMs may be encrypted to at `now`: the current key plus those rotated within
 * the last 16 days, newest first, each expanded (one ML-KEM key generation per key, so callers
 * keep the result rather than calling this per message).
 */
export function retainedAccountKeys(ring: AccountKeyRing, now: number): RetainedAccountKey[] {
  return pruneAccountKeyRing(ring, now).map((entry) => ({
    entry,
    keys: accountKeysFromSeed(entry.seed),
  }));
}
