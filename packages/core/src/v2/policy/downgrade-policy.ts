/**
 * Downgrade protection: **beyond upstream**. Upstream's `Core::send_dm` (protocol-v2.md §6;
 * session-foundation/libsession-util:src/core/core.cpp) sends V2 PFS when it has cached keys,
 * V2 non-PFS when `force_v2` is set, and V1 otherwise; so anyone who strips or withholds a
 * contact's namespace −21 message (§15.7) silently turns the conversation into V1, and the
 * receiver sees only a "non-PFS" mark. Here:
 *
 * - **Sending.** Once valid V2 keys have been seen for a contact (`ContactV2Record`), a message
 *   to it goes out weaker than PFS only by an explicit policy decision: the default policy
 *   answers `blocked`, and the caller must ask the user (then call again with a policy that
 *   allows the downgrade for that message). A contact never seen with V2 keys gets the
 *   configured fallback (V1 by default: upstream's transition rule keeps V1 as the fallback for
 *   at least 6 months), reported as `weaker`.
 * - **Keys past their cache life.** A key fetched less than 16 days ago is still readable by the
 *   recipient whatever happened since (it was current when fetched, so it is rotated later and
 *   retained 16 days after that, §3), so when a refetch fails such a key is used rather than
 *   downgrading.
 * - **Receiving.** Every message carries a `security` level, and `downgradeSuspected` when a
 *   contact known to have V2 keys sends V1 or non-PFS although our own keys are published.
 *
 * Pure: the caller keeps the records and the cache (v2/account-pubkeys/pfs-key-cache.ts).
 */
import { ProtocolError } from '../../errors.ts';
import type { AccountPubkeys } from '../account-pubkeys/account-pubkey-message.ts';
import { pfsKeyCacheState, type PfsKeyCacheEntry } from '../account-pubkeys/pfs-key-cache.ts';
import { ACCOUNT_KEY_RETENTION_SECONDS, checkUnixSeconds } from '../keys/account-key-ring.ts';

/** What we remember about a contact's V2 capability. */
export interface ContactV2Record {
  /** When valid V2 account keys were first seen for the contact, unix seconds. Never cleared. */
  readonly v2KeysSeenAt?: number;
}

/** The record after a valid namespace −21 message was fetched for the contact. */
export function noteV2KeysSeen(record: ContactV2Record | undefined, now: number): ContactV2Record {
  const t = checkUnixSeconds('now', now);
  return record?.v2KeysSeenAt !== undefined ? record : { v2KeysSeenAt: t };
}

/** True once valid V2 keys have been seen for the contact. */
export function contactHasV2Keys(record: ContactV2Record | undefined): boolean {
  return record?.v2KeysSeenAt !== undefined;
}

/** The explicit choices the send policy needs. */
export interface DowngradePolicy {
  /** What to send to a contact never seen with V2 keys. */
  readonly fallback: 'v1' | 'non-pfs';
  /** What to do when a contact known to have V2 keys has none usable now. */
  readonly onDowngrade: 'refuse' | 'allow-non-pfs' | 'allow-v1';
}

/** Refuse downgrades; fall back to V1 for contacts without V2 (upstream's transition rule). */
export const DEFAULT_DOWNGRADE_POLICY: DowngradePolicy = { fallback: 'v1', onDowngrade: 'refuse' };

/** What to send. */
export type DmSendDecision =
  /** Encrypt with `encryptV2Dm` to `keys`; refetch in the background when `refetch` says so. */
  | {
      readonly send: 'pfs';
      readonly keys: AccountPubkeys;
      readonly keyAge: 'fresh' | 'stale' | 'expired';
      readonly refetch: boolean;
    }
  /** Fetch the contact's namespace −21 first (upstream queues the send meanwhile), then ask again. */
  | { readonly send: 'fetch-first' }
  /** Do not send without the user's say-so: it would silently weaken a V2 conversation. */
  | { readonly send: 'blocked'; readonly reason: 'v2-keys-unavailable' }
  /** Send weaker than PFS; `downgrade` when the contact is known to have V2 keys. */
  | { readonly send: 'v1' | 'non-pfs'; readonly weaker: true; readonly downgrade: boolean };

/** The inputs of `chooseDmSend`. */
export interface DmSendInput {
  /** The contact's cache entry, if any. */
  readonly cache: PfsKeyCacheEntry | undefined;
  readonly contact: ContactV2Record | undefined;
  /** Unix seconds. */
  readonly now: number;
  /**
   * True when the fetch the cache asked for has been tried and did not complete (network
   * failure, timeout). A fetch that completed and found nothing is a NAK in the cache instead.
   */
  readonly fetchFailed?: boolean;
  readonly policy?: DowngradePolicy;
}

/** Decides what to send to a contact (module comment). */
export function chooseDmSend(input: DmSendInput): DmSendDecision {
  const policy = input.policy ?? DEFAULT_DOWNGRADE_POLICY;
  checkPolicy(policy);
  const state = pfsKeyCacheState(input.cache, input.now);
  if (state.usable && state.keys !== undefined) {
    return {
      send: 'pfs',
      keys: state.keys,
      keyAge: state.state === 'fresh' ? 'fresh' : 'stale',
      refetch: state.fetch === 'background',
    };
  }
  if (state.fetch === 'now' && input.fetchFailed !== true) return { send: 'fetch-first' };
  if (
    state.keys !== undefined &&
    state.age !== undefined &&
    state.age < ACCOUNT_KEY_RETENTION_SECONDS
  ) {
    return {
      send: 'pfs',
      keys: state.keys,
      keyAge: 'expired',
      refetch: state.fetch !== 'suppressed',
    };
  }
  if (contactHasV2Keys(input.contact)) {
    switch (policy.onDowngrade) {
      case 'refuse':
        return { send: 'blocked', reason: 'v2-keys-unavailable' };
      case 'allow-non-pfs':
        return { send: 'non-pfs', weaker: true, downgrade: true };
      case 'allow-v1':
        return { send: 'v1', weaker: true, downgrade: true };
    }
  }
  return { send: policy.fallback, weaker: true, downgrade: false };
}

function checkPolicy(policy: DowngradePolicy): void {
  if (
    (policy.fallback !== 'v1' && policy.fallback !== 'non-pfs') ||
    !['refuse', 'allow-non-pfs', 'allow-v1'].includes(policy.onDowngrade)
  ) {
    throw new ProtocolError('invalid-input', 'downgrade policy: unknown fallback or onDowngrade');
  }
}

/** The path an incoming one-to-one message took. */
export type IncomingDmPath = 'pfs' | 'non-pfs' | 'v1';

/** How well an incoming message was protected, for the UI. */
export type IncomingDmSecurity = 'pfs' | 'weaker-non-pfs' | 'weaker-v1';

/** What the receiver knows when judging a message. */
export interface IncomingSecurityContext {
  /** Whether valid V2 keys have been seen for the sender (`contactHasV2Keys`). */
  readonly senderHasV2Keys: boolean;
  /**
   * Whether our own account keys are published (namespace −21), so a V2 sender could have used
   * PFS. Default true.
   */
  readonly ownKeysPublished?: boolean;
}

/** The security level of a message, and whether it looks like a forced downgrade. */
export function incomingDmSecurity(
  path: IncomingDmPath,
  context: IncomingSecurityContext,
): { readonly security: IncomingDmSecurity; readonly downgradeSuspected: boolean } {
  const security: IncomingDmSecurity =
    path === 'pfs' ? 'pfs' : path === 'non-pfs' ? 'weaker-non-pfs' : 'weaker-v1';
  const downgradeSuspected =
    path !== 'pfs' && context.senderHasV2Keys && context.ownKeysPublished !== false;
  return { security, downgradeSuspected };
}
