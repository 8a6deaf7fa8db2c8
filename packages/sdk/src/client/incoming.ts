/**
 * Receiving (docs/sdk.md "Polling"): retrieve namespace 21 first (the device group: new account
 * keys arrive there), then namespace 0 with the per-node `last_hash`; skip hashes already
 * handled; decrypt with every retained account key (core's `decryptIncomingDm`); messages no key
 * opens are retried once after refetching namespace 21, then reported (`security-notice`
 * `undecryptable`) and dropped. Decrypted `Content` is dispatched by kind: visible text (our own
 * sync copies included), receipts, typing, profile, disappearing-timer updates, unsend requests,
 * message-request responses.
 */
import {
  contactHasV2Keys,
  decodeContent,
  decryptIncomingDm,
  incomingDmSecurity,
  isProtocolError,
  NAMESPACES,
  retainedAccountKeys,
  SessionProtos,
  type DecryptedIncomingDm,
  type RetainedAccountKey,
} from '@session-ts/core';
import { requireIdentity, requireState, type ClientContext } from './context.ts';
import {
  ensureConversation,
  expiresAtFor,
  messageId,
  receivedMessageId,
  settingFromContent,
} from './conversation-helpers.ts';
import type { MessageMetadata } from './events.ts';
import { deleteMessages, retrieveMessages, type RetrievedMessage } from './swarm-requests.ts';
import type { StoredMessage } from '../stores/conversation-store.ts';

/** What one poll did. */
export interface PollSummary {
  /** Messages newly handled (any kind). */
  readonly handled: number;
  /** Messages no retained key opened, even after refetching the device group. */
  readonly undecryptable: number;
}

type Outcome = 'handled' | 'no-key' | 'rejected';

/** Retrieves and handles namespace 0. `refetchKeys` reloads the device group (namespace 21). */
export async function pollInbox(
  ctx: ClientContext,
  refetchKeys: () => Promise<void>,
): Promise<PollSummary> {
  const identity = requireIdentity(ctx);
  const cursor = {
    node: ctx.lastNode ?? 'default',
    account: identity.sessionId,
    namespace: NAMESPACES.DEFAULT,
  };
  const { messages, node } = await retrieveMessages(ctx.swarm, {
    account: identity.sessionId,
    namespace: NAMESPACES.DEFAULT,
    lastHash: await ctx.store.pollState.getLastHash(cursor),
    signer: identity,
  });
  let handled = 0;
  let keys = await currentKeys(ctx);
  const failed: RetrievedMessage[] = [];
  // One store transaction for the page: a commit per message was most of a poll's cost on the
  // encrypted SQLite store (docs/sdk.md "Performance").
  await ctx.store.batch(async () => {
    for (const m of messages) {
      if (await ctx.store.pollState.hasSeen(m.hash)) continue;
      const outcome = await handleDm(ctx, m, keys);
      if (outcome === 'no-key') failed.push(m);
      else {
        await ctx.store.pollState.markSeen([{ hash: m.hash, expiresAt: m.expiration }]);
        if (outcome === 'handled') handled++;
      }
    }
  });
  let undecryptable = 0;
  if (failed.length > 0) {
    await refetchKeys();
    keys = await currentKeys(ctx);
    for (const m of failed) {
      const outcome = await handleDm(ctx, m, keys);
      await ctx.store.pollState.markSeen([{ hash: m.hash, expiresAt: m.expiration }]);
      if (outcome === 'handled') handled++;
      else {
        undecryptable++;
        ctx.events.emit('security-notice', {
          kind: 'undecryptable',
          accountId: identity.sessionId,
          detail: m.hash,
        });
      }
    }
  }
  const last = messages[messages.length - 1];
  if (last !== undefined) {
    await ctx.store.pollState.setLastHash({ ...cursor, node }, last.hash);
  }
  await ctx.store.pollState.pruneSeen(ctx.clock.now());
  return { handled, undecryptable };
}

async function currentKeys(ctx: ClientContext): Promise<RetainedAccountKey[]> {
  const state = await requireState(ctx);
  return retainedAccountKeys(state.accountKeys, Math.floor(ctx.clock.now() / 1000));
}

async function handleDm(
  ctx: ClientContext,
  m: RetrievedMessage,
  keys: readonly RetainedAccountKey[],
): Promise<Outcome> {
  const identity = requireIdentity(ctx);
  const r = decryptIncomingDm({ recipient: identity, accountKeys: keys, data: m.data });
  if (!r.ok) {
    if (r.reason === 'no-key') return 'no-key';
    ctx.logger.warn('incoming message refused', { reason: r.reason, format: r.format });
    return 'rejected';
  }
  let content: SessionProtos.Content;
  try {
    content = decodeContent(r.content);
  } catch (error) {
    if (isProtocolError(error)) return 'rejected';
    throw error;
  }
  const sender = r.senderSessionId;
  if (sender !== identity.sessionId) {
    const contact = await ctx.store.contacts.getContact(sender);
    if (contact?.blocked === true) return 'handled';
  }
  const v2 = await ctx.store.contacts.getV2Record(sender);
  const security = incomingDmSecurity(r.path, { senderHasV2Keys: contactHasV2Keys(v2) });
  if (security.downgradeSuspected && sender !== identity.sessionId) {
    ctx.events.emit('security-notice', {
      kind: 'downgrade-suspected',
      accountId: sender,
      detail: r.path,
    });
  }
  const sentAt = Number(content.sigTimestamp || content.dataMessage?.timestamp || m.timestamp);
  const metadata: MessageMetadata = {
    path: r.path,
    security: security.security,
    downgradeSuspected: security.downgradeSuspected,
    hash: m.hash,
    timestamp: sentAt,
  };
  await dispatch(ctx, r, content, metadata, m);
  return 'handled';
}

async function dispatch(
  ctx: ClientContext,
  r: DecryptedIncomingDm,
  content: SessionProtos.Content,
  metadata: MessageMetadata,
  m: RetrievedMessage,
): Promise<void> {
  const self = requireIdentity(ctx).sessionId;
  const sender = r.senderSessionId;
  const fromSelf = sender === self;
  const sentAt = metadata.timestamp;
  const data = content.dataMessage;
  if (data !== undefined) {
    const target = fromSelf ? data.syncTarget || self : sender;
    const setting = settingFromContent(content);
    if (data.profile !== undefined && !fromSelf && data.profile.displayName !== '') {
      await noteProfile(ctx, sender, data.profile.displayName);
    }
    const isTimerUpdate =
      (data.flags & SessionProtos.DataMessage_Flags.EXPIRATION_TIMER_UPDATE) !== 0;
    const state = fromSelf ? 'accepted' : await requestStateFor(ctx, sender);
    const { conversation, created } = await ensureConversation(ctx, target, state, self);
    let convo = conversation;
    if (!created && !fromSelf && convo.requestState === 'declined') {
      convo =
        (await ctx.store.conversations.updateConversation(target, { requestState: 'request' })) ??
        convo;
    }
    if (isTimerUpdate) {
      await ctx.store.conversations.updateConversation(target, { disappearing: setting });
      if (fromSelf)
        ctx.events.emit('sync-updated', { source: 'sent-message', conversationId: target });
      return;
    }
    if (data.body === '') return;
    const expiresAt = expiresAtFor(setting, sentAt);
    const message: StoredMessage = {
      id: await receivedMessageId(ctx, messageId(target, sender, sentAt), data.body, m.hash),
      conversationId: target,
      hash: m.hash,
      direction: fromSelf ? 'outgoing' : 'incoming',
      sender,
      body: data.body,
      sentAt,
      receivedAt: ctx.clock.now(),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(setting.mode === 'off' ? {} : { disappearing: setting }),
      status: fromSelf ? 'sent' : 'received',
      security: r.path,
    };
    if ((await ctx.store.conversations.addMessage(message)) === 'duplicate') return;
    ctx.events.emit('message', { message, metadata });
    if (fromSelf) {
      ctx.events.emit('sync-updated', { source: 'sent-message', conversationId: target });
    } else if (
      convo.requestState === 'request' &&
      (created || conversation.requestState === 'declined')
    ) {
      ctx.events.emit('request', { conversationId: target, message });
    }
    return;
  }
  if (content.receiptMessage !== undefined && !fromSelf) {
    const kind =
      content.receiptMessage.type === SessionProtos.ReceiptMessage_Type.READ ? 'read' : 'delivered';
    const stamps = new Set(content.receiptMessage.timestamp.map((t) => Number(t)));
    const ids: string[] = [];
    for (const msg of await ctx.store.conversations.listMessages(sender)) {
      if (msg.direction !== 'outgoing' || !stamps.has(msg.sentAt)) continue;
      if (kind === 'delivered' && msg.status === 'read') continue;
      await ctx.store.conversations.updateMessage(msg.id, { status: kind });
      ids.push(msg.id);
    }
    if (ids.length > 0)
      ctx.events.emit('receipt', { conversationId: sender, kind, messageIds: ids });
    return;
  }
  if (content.typingMessage !== undefined && !fromSelf) {
    ctx.events.emit('typing', {
      conversationId: sender,
      started: content.typingMessage.action === SessionProtos.TypingMessage_Action.STARTED,
    });
    return;
  }
  if (content.unsendRequest !== undefined) {
    const { author } = content.unsendRequest;
    if (author !== sender) return; // only the author may unsend
    await applyUnsend(ctx, author, Number(content.unsendRequest.timestamp));
    return;
  }
  if (content.messageRequestResponse !== undefined && !fromSelf) {
    if (content.messageRequestResponse.isApproved) {
      const contact = await ctx.store.contacts.getContact(sender);
      if (contact === undefined) {
        await ctx.store.contacts.putContact({
          accountId: sender,
          approved: false,
          approvedMe: true,
          blocked: false,
          createdAt: ctx.clock.now(),
        });
      } else await ctx.store.contacts.updateContact(sender, { approvedMe: true });
    }
  }
}

async function requestStateFor(
  ctx: ClientContext,
  sender: string,
): Promise<'accepted' | 'request'> {
  const contact = await ctx.store.contacts.getContact(sender);
  return contact?.approved === true ? 'accepted' : 'request';
}

async function noteProfile(ctx: ClientContext, sender: string, name: string): Promise<void> {
  const contact = await ctx.store.contacts.getContact(sender);
  if (contact === undefined) {
    await ctx.store.contacts.putContact({
      accountId: sender,
      name,
      approved: false,
      approvedMe: true,
      blocked: false,
      createdAt: ctx.clock.now(),
    });
  } else if (contact.name !== name) {
    await ctx.store.contacts.updateContact(sender, { name });
  }
}

/**
 * Deletes the message `author` sent at `sentAt` here and its copy in our swarm (an incoming
 * message, or the sync copy of one of ours).
 */
export async function applyUnsend(
  ctx: ClientContext,
  author: string,
  sentAt: number,
): Promise<void> {
  const identity = requireIdentity(ctx);
  const candidates =
    author === identity.sessionId
      ? (await ctx.store.conversations.listConversations()).map((c) => c.id)
      : [author];
  for (const conversationId of candidates) {
    const id = messageId(conversationId, author, sentAt);
    const message = await ctx.store.conversations.getMessage(id);
    if (message === undefined) continue;
    await ctx.store.conversations.deleteMessage(id);
    if (message.hash !== undefined) {
      try {
        await deleteMessages(ctx.swarm, identity, [message.hash]);
      } catch (error) {
        ctx.logger.warn('could not delete an unsent message from the swarm', { error });
      }
    }
    ctx.events.emit('message-deleted', { conversationId, messageId: id, reason: 'unsent' });
  }
}
