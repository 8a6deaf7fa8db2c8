/**
 * The sender's cache of contacts' account pubkeys, as pure state (protocol-v2.md §5 "Sender-side
 * cache"; upstream session-foundation/libsession-util:src/core/schema/000_pfs_key_cache.sql and
 * src/core/core.cpp `prefetch_pfs_keys`, `_store_pfs_keys`, `_store_pfs_nak`).
 *
 * An entry mirrors upstream's `pfs_key_cache` row: when keys were last fetched (with the keys),
 * and when a fetch last found no valid message (a NAK). Its state at `now`:
 *
 * | age of the keys | state     | use the keys? | fetch                         |
 * |-----------------|-----------|---------------|-------------------------------|
 * | < 24 h          | `fresh`   | yes           | no                            |
 * | 24–48 h         | `stale`   | yes           | in the background             |
 * | > 48 h          | `expired` | not by default| before sending                |
 * | none, NAK < 1 h | `nak`     | —             | suppressed                    |
 * | none, NAK ≥ 1 h | `nak`     | —             | before sending                |
 * | no entry        | `missing` | —             | before sending                |
 *
 * [X] upstream's code only uses the ages to decide whether to *refetch*; `_do_send_dm` encrypts
 * to any cached keys however old. We follow the reference's states, and the send policy
 * (v2/policy/) decides what an expired entry is still good for.
 *
 * Times are unix seconds (upstream's `fetched_at` and `nak_at` columns).
 */
import { ProtocolError } from '../../errors.ts';
import { assertBytes } from '../../encoding/bytes.ts';
import { MLKEM768 } from '../../crypto/primitives.ts';
import { checkUnixSeconds } from '../keys/account-key-ring.ts';
import type { AccountPubkeys } from './account-pubkey-message.ts';

/** Keys younger than this are fresh (upstream `PFS_KEY_FRESH_DURATION`, 24 h). */
export const PFS_KEY_FRESH_SECONDS = 24 * 3600;
/** Keys older than this are expired (upstream `PFS_KEY_EXPIRY_DURATION`, 48 h). */
export const PFS_KEY_EXPIRY_SECONDS = 48 * 3600;
/** A NAK suppresses refetching this long (upstream `PFS_KEY_NAK_DURATION`, 1 h). */
export const PFS_KEY_NAK_SECONDS = 3600;

/** One contact's cache entry (upstream's `pfs_key_cache` row). */
export interface PfsKeyCacheEntry {
  /** When a fetch last returned valid keys, unix seconds; with `keys`. */
  readonly fetchedAt?: number;
  readonly keys?: AccountPubkeys;
  /** When a fetch last returned no valid keys, unix seconds. */
  readonly nakAt?: number;
}

/** What the cache says about a contact at a given time. */
export type PfsKeyCacheStateName = 'missing' | 'fresh' | 'stale' | 'expired' | 'nak';

/** The state of an entry at `now`, and what to do about it. */
export interface PfsKeyCacheState {
  readonly state: PfsKeyCacheStateName;
  /** The cached keys, when there are any (even expired ones). */
  readonly keys?: AccountPubkeys;
  /** Age of the keys in seconds, when there are any. */
  readonly age?: number;
  /** Whether to encrypt to the keys without further thought (fresh or stale). */
  readonly usable: boolean;
  /** `now`: fetch before sending; `background`: send, and refetch; `suppressed`: recent NAK. */
  readonly fetch: 'none' | 'background' | 'now' | 'suppressed';
}

/** The state of a contact's cache entry at `now` (table in the module comment). */
export function pfsKeyCacheState(
  entry: PfsKeyCacheEntry | undefined,
  now: number,
): PfsKeyCacheState {
  const t = checkUnixSeconds('now', now);
  if (entry?.fetchedAt !== undefined && entry.keys !== undefined) {
    const age = Math.max(0, t - entry.fetchedAt);
    const keys = entry.keys;
    // A NAK newer than the keys suppresses refetching for an hour, as it does without keys.
    const nakRecent =
      entry.nakAt !== undefined &&
      entry.nakAt > entry.fetchedAt &&
      t - entry.nakAt < PFS_KEY_NAK_SECONDS;
    if (age < PFS_KEY_FRESH_SECONDS)
      return { state: 'fresh', keys, age, usable: true, fetch: 'none' };
    if (age <= PFS_KEY_EXPIRY_SECONDS) {
      return {
        state: 'stale',
        keys,
        age,
        usable: true,
        fetch: nakRecent ? 'suppressed' : 'background',
      };
    }
    return { state: 'expired', keys, age, usable: false, fetch: nakRecent ? 'suppressed' : 'now' };
  }
  if (entry?.nakAt !== undefined) {
    const recent = t - entry.nakAt < PFS_KEY_NAK_SECONDS;
    return { state: 'nak', usable: false, fetch: recent ? 'suppressed' : 'now' };
  }
  return { state: 'missing', usable: false, fetch: 'now' };
}

/** The entry after a fetch that returned valid keys (upstream `_store_pfs_keys`). */
export function recordPfsKeysFetched(
  entry: PfsKeyCacheEntry | undefined,
  keys: AccountPubkeys,
  now: number,
): PfsKeyCacheEntry {
  const t = checkUnixSeconds('now', now);
  assertBytes('ML-KEM-768 public key', keys.mlkemPublicKey, MLKEM768.publicKeyBytes);
  assertBytes('X25519 public key', keys.x25519PublicKey, 32);
  return entry?.nakAt === undefined
    ? { fetchedAt: t, keys }
    : { fetchedAt: t, keys, nakAt: entry.nakAt };
}

/**
 * The entry after a fetch that found no valid message (upstream `_store_pfs_nak`: the NAK time
 * is set and any cached keys are kept).
 */
export function recordPfsKeysNak(
  entry: PfsKeyCacheEntry | undefined,
  now: number,
): PfsKeyCacheEntry {
  const t = checkUnixSeconds('now', now);
  if (entry !== undefined && (entry.fetchedAt === undefined) !== (entry.keys === undefined)) {
    throw new ProtocolError('invalid-input', 'PFS key cache entry: fetchedAt and keys go together');
  }
  return entry?.keys !== undefined && entry.fetchedAt !== undefined
    ? { fetchedAt: entry.fetchedAt, keys: entry.keys, nakAt: t }
    : { nakAt: t };
}
