/**
 * Sending one-to-one messages (protocol-v2.md "DMs", "Downgrade protection"): each send is an
 * outbox item holding the plaintext `Content`; a recipient's items go out together once the
 * downgrade policy (core's `chooseDmSend`) has decided how: V2 PFS to the contact's account
 * keys from −21 (fetched and cached with core's fresh/stale/expired rules; items wait in the
 * outbox while the fetch runs), else V2 non-PFS or V1 when the policy allows (a
 * `security-notice` says so), or not at all (`blocked`: a `security-notice`, the item waits for
 * the user's confirmation). Items to ourselves (sync copies) use our own current account key.
 *
 * V1 payloads are padded (`padContent`) and wrapped in the envelope, as upstream; V2 has its own
 * size buckets and carries `Content` as is (core's `decryptIncomingDm` unpads only V1).
 */
import {
  accountKeysFromSeed,
  chooseDmSend,
  currentAccountKey,
  encryptV1,
  encryptV2Dm,
  encryptV2DmNonPfs,
  NAMESPACES,
  noteV2KeysSeen,
  padContent,
  parseAccountPubkeyMessage,
  recordPfsKeysFetched,
  recordPfsKeysNak,
  wrapV1Envelope,
  type DmSendDecision,
} from '@session-ts/core';
import type { OutboxItem } from '../stores/outbox-store.ts';
import { requireIdentity, requireState, type ClientContext } from './context.ts';
import { retrieveMessages, storeMessage } from './swarm-requests.ts';

/** Upstream's one-to-one TTL: 14 days. */
export const DM_TTL_MS = 14 * 24 * 3600 * 1000;

/** Backoff after a failed store: 5 s doubling, at most 10 min. */
function backoff(attempts: number): number {
  return Math.min(600_000, 5000 * 2 ** Math.min(attempts, 7));
}

/** A fetch's outcome: keys found, none valid (a NAK is recorded), or the network failed. */
export type KeyFetch = 'found' | 'nak' | 'unreachable';

/**
 * Fetches an account's −21 message and records the outcome in the key cache (a network failure
 * records nothing: it says nothing about the account).
 */
export async function fetchPfsKeys(ctx: ClientContext, accountId: string): Promise<KeyFetch> {
  const sec = Math.floor(ctx.clock.now() / 1000);
  const cache = await ctx.store.contacts.getPfsKeys(accountId);
  let messages;
  try {
    ({ messages } = await retrieveMessages(ctx.swarm, {
      account: accountId,
      namespace: NAMESPACES.ACCOUNT_PUBKEYS,
    }));
  } catch (error) {
    ctx.logger.warn('account key fetch failed', { account: accountId.slice(0, 8), error });
    return 'unreachable';
  }
  const newest = messages[messages.length - 1];
  const parsed =
    newest === undefined ? undefined : parseAccountPubkeyMessage(newest.data, accountId);
  if (parsed?.ok !== true) {
    await ctx.store.contacts.putPfsKeys(accountId, recordPfsKeysNak(cache, sec));
    return 'nak';
  }
  await ctx.store.contacts.putPfsKeys(accountId, recordPfsKeysFetched(cache, parsed.keys, sec));
  const record = await ctx.store.contacts.getV2Record(accountId);
  await ctx.store.contacts.putV2Record(accountId, noteV2KeysSeen(record, sec));
  return 'found';
}

/** A send decision, or `wait`: the keys could not be fetched for network reasons; retry later. */
export type SendPlan = DmSendDecision | { readonly send: 'wait' };

/**
 * How to send to `recipient` now, fetching its keys first when the policy asks. A fetch the
 * network prevented is not a "fetch failed" for the policy (that would let a flaky network
 * downgrade a new contact to V1): the items wait for the next attempt instead.
 */
export async function decideSend(ctx: ClientContext, recipient: string): Promise<SendPlan> {
  const identity = requireIdentity(ctx);
  if (recipient === identity.sessionId) {
    await ctx.ensureGroupFresh?.();
    const current = currentAccountKey((await requireState(ctx)).accountKeys);
    if (current !== undefined) {
      const keys = accountKeysFromSeed(current.seed);
      return { send: 'pfs', keys, keyAge: 'fresh', refetch: false };
    }
  }
  const settings = await ctx.store.account.getSettings();
  const sec = (): number => Math.floor(ctx.clock.now() / 1000);
  const input = async (fetchFailed?: boolean): Promise<DmSendDecision> =>
    chooseDmSend({
      cache: await ctx.store.contacts.getPfsKeys(recipient),
      contact: await ctx.store.contacts.getV2Record(recipient),
      now: sec(),
      policy: settings.downgradePolicy,
      ...(fetchFailed === undefined ? {} : { fetchFailed }),
    });
  const first = await input();
  if (first.send === 'fetch-first') {
    const fetched = await fetchPfsKeys(ctx, recipient);
    if (fetched === 'unreachable') return { send: 'wait' };
    return input(fetched === 'nak');
  }
  if (first.send !== 'pfs') return first;
  const recheck = await needsRecheck(ctx, recipient);
  if (!first.refetch && !recheck) return first;
  // Stale keys (upstream's rule), or keys older than the recheck age (ours: the owner may have
  // removed a device, which rotates its key; protocol-v2.md "Removal and contacts' key caches").
  const fetched = await fetchPfsKeys(ctx, recipient);
  if (fetched === 'unreachable') {
    // A swarm we cannot read is one we cannot store to either; waiting keeps the removal
    // window bounded by the recheck age instead of by the cache's 24 h.
    return recheck ? { send: 'wait' } : first;
  }
  return input();
}

/** Whether the cached keys were confirmed longer ago than the client's recheck age. */
async function needsRecheck(ctx: ClientContext, recipient: string): Promise<boolean> {
  const fetchedAt = (await ctx.store.contacts.getPfsKeys(recipient))?.fetchedAt;
  if (fetchedAt === undefined) return true;
  return ctx.clock.now() - fetchedAt * 1000 >= ctx.keyRecheckMs;
}

/** Encrypts one item per the decision; `undefined` when the decision is `blocked`. */
function encryptFor(
  ctx: ClientContext,
  item: OutboxItem,
  decision: SendPlan,
): Uint8Array | undefined {
  const sender = requireIdentity(ctx);
  switch (decision.send) {
    case 'pfs':
      return encryptV2Dm({
        sender,
        recipient: item.recipient,
        content: item.content,
        recipientKeys: decision.keys,
        rng: ctx.rng,
      });
    case 'non-pfs':
      return encryptV2DmNonPfs({
        sender,
        recipient: item.recipient,
        content: item.content,
        rng: ctx.rng,
      });
    case 'v1':
      return wrapV1Envelope({
        content: encryptV1({
          sender,
          recipient: item.recipient,
          message: padContent(item.content),
          rng: ctx.rng,
        }),
        timestamp: item.sentAt,
      });
    case 'blocked':
    case 'fetch-first':
    case 'wait':
      return undefined;
  }
}

/** What happened to a recipient's queued items. */
export interface FlushResult {
  readonly sent: number;
  readonly blocked: number;
  readonly failed: number;
}

/**
 * Sends every queued item for `recipient` (those waiting for confirmation only when `force`).
 * Updates the messages they belong to (status, security; the sync copy's hash).
 */
export async function flushRecipient(
  ctx: ClientContext,
  recipient: string,
  force = false,
): Promise<FlushResult> {
  const identity = requireIdentity(ctx);
  const items = (await ctx.store.outbox.listForRecipient(recipient)).filter(
    (i) => force || i.waitingFor !== 'confirmation',
  );
  if (items.length === 0) return { sent: 0, blocked: 0, failed: 0 };
  const decision = await decideSend(ctx, recipient);
  if (decision.send === 'wait') {
    const now = ctx.clock.now();
    for (const item of items) {
      await ctx.store.outbox.updateOutboxItem(item.id, {
        attempts: item.attempts + 1,
        nextAttemptAt: now + backoff(item.attempts),
        waitingFor: 'keys',
        lastError: 'account keys unreachable',
      });
      if (!item.id.endsWith('#sync')) {
        await ctx.store.conversations.updateMessage(item.id, { status: 'queued' });
      }
    }
    return { sent: 0, blocked: 0, failed: items.length };
  }
  let sent = 0;
  let blocked = 0;
  let failed = 0;
  if (decision.send === 'non-pfs' || decision.send === 'v1') {
    ctx.events.emit('security-notice', {
      kind: 'weaker-send',
      accountId: recipient,
      detail: decision.send,
    });
  }
  for (const item of items) {
    const data = encryptFor(ctx, item, decision);
    const messageId = item.id.endsWith('#sync') ? item.id.slice(0, -5) : item.id;
    const isSync = recipient === identity.sessionId && item.id.endsWith('#sync');
    if (data === undefined) {
      blocked++;
      await ctx.store.outbox.updateOutboxItem(item.id, {
        waitingFor: 'confirmation',
        lastError: 'v2-keys-unavailable',
      });
      await ctx.store.conversations.updateMessage(messageId, { status: 'failed' });
      ctx.events.emit('security-notice', {
        kind: 'downgrade-refused',
        accountId: recipient,
        detail: 'the contact is known to have V2 keys and none are usable',
      });
      continue;
    }
    try {
      const hash = await storeMessage(ctx.swarm, {
        account: recipient,
        namespace: NAMESPACES.DEFAULT,
        data,
        ttlMs: item.ttlMs,
        ...(recipient === identity.sessionId ? { signer: identity } : {}),
      });
      await ctx.store.outbox.removeOutboxItem(item.id);
      if (recipient === identity.sessionId) {
        // Our own copy: never handle it again on this device.
        await ctx.store.pollState.markSeen([{ hash, expiresAt: ctx.clock.now() + item.ttlMs }]);
      }
      if (isSync) {
        await ctx.store.conversations.updateMessage(messageId, { hash });
      } else if (decision.send === 'pfs' || decision.send === 'non-pfs' || decision.send === 'v1') {
        await ctx.store.conversations.updateMessage(messageId, {
          status: 'sent',
          security: decision.send,
        });
      }
      sent++;
    } catch (error) {
      failed++;
      const now = ctx.clock.now();
      ctx.logger.warn('store failed; will retry', { error });
      await ctx.store.outbox.updateOutboxItem(item.id, {
        attempts: item.attempts + 1,
        nextAttemptAt: now + backoff(item.attempts),
        waitingFor: 'network',
        lastError: error instanceof Error ? error.message.slice(0, 100) : 'store failed',
      });
      if (!isSync) await ctx.store.conversations.updateMessage(messageId, { status: 'queued' });
    }
  }
  return { sent, blocked, failed };
}

/** Retries every due item (by recipient). */
export async function flushDue(ctx: ClientContext): Promise<number> {
  const due = await ctx.store.outbox.listDue(ctx.clock.now());
  const recipients = new Set(
    due.filter((i) => i.waitingFor !== 'confirmation').map((i) => i.recipient),
  );
  let sent = 0;
  for (const r of recipients) sent += (await flushRecipient(ctx, r)).sent;
  return sent;
}
