/**
 * Small shared steps over the conversation store: the deterministic message ID (the same on
 * every device of the account, so a sync copy and the original are one message) and its
 * same-millisecond collisions, creating a
 * conversation on first contact, and the disappearing setting carried in `Content`.
 */
import { SessionProtos } from '@session-ts/core';
import {
  DISAPPEARING_OFF,
  type Conversation,
  type DisappearingSetting,
  type RequestState,
} from '../stores/conversation-store.ts';
import type { ClientContext } from './context.ts';

/** `conversation/sender/sentAt`: one message, whichever device stores it. */
export function messageId(conversationId: string, sender: string, sentAt: number): string {
  return `${conversationId}/${sender}/${sentAt}`;
}

/**
 * The ID to store a received message under. Two devices of one account can send in the same
 * millisecond, which gives both messages one `messageId`: a different body under a taken ID is
 * another message and gets the hash as a suffix. The same body under it is the same message
 * (a retried send re-encrypts, so its hash differs), and stays a duplicate.
 */
export async function receivedMessageId(
  ctx: ClientContext,
  id: string,
  body: string,
  hash: string,
): Promise<string> {
  const held = await ctx.store.conversations.getMessage(id);
  if (held === undefined || held.body === body || held.hash === hash) return id;
  return `${id}#${hash.slice(0, 16)}`;
}

/** The conversation with `id`, created in `requestState` when there is none. */
export async function ensureConversation(
  ctx: ClientContext,
  id: string,
  requestState: RequestState,
  self: string,
): Promise<{ conversation: Conversation; created: boolean }> {
  const existing = await ctx.store.conversations.getConversation(id);
  if (existing !== undefined) return { conversation: existing, created: false };
  const now = ctx.clock.now();
  const conversation: Conversation = {
    id,
    kind: id === self ? 'note-to-self' : 'direct',
    requestState,
    readAt: 0,
    disappearing: DISAPPEARING_OFF,
    createdAt: now,
    lastActivityAt: now,
  };
  await ctx.store.conversations.putConversation(conversation);
  return { conversation, created: true };
}

/** The `Content` fields that carry a disappearing setting. */
export function contentExpiration(setting: DisappearingSetting): {
  expirationType: SessionProtos.Content_ExpirationType;
  expirationTimer: number;
} {
  const T = SessionProtos.Content_ExpirationType;
  switch (setting.mode) {
    case 'off':
      return { expirationType: T.UNKNOWN, expirationTimer: 0 };
    case 'after-send':
      return { expirationType: T.DELETE_AFTER_SEND, expirationTimer: setting.timerSeconds };
    case 'after-read':
      return { expirationType: T.DELETE_AFTER_READ, expirationTimer: setting.timerSeconds };
  }
}

/** The disappearing setting a received `Content` carries. */
export function settingFromContent(content: SessionProtos.Content): DisappearingSetting {
  const T = SessionProtos.Content_ExpirationType;
  if (content.expirationTimer <= 0) return DISAPPEARING_OFF;
  if (content.expirationType === T.DELETE_AFTER_READ) {
    return { mode: 'after-read', timerSeconds: content.expirationTimer };
  }
  if (content.expirationType === T.DELETE_AFTER_SEND) {
    return { mode: 'after-send', timerSeconds: content.expirationTimer };
  }
  return DISAPPEARING_OFF;
}

/** When a message disappears: after-send counts from `sentAt`; after-read waits for a read. */
export function expiresAtFor(setting: DisappearingSetting, sentAt: number): number | undefined {
  return setting.mode === 'after-send' ? sentAt + setting.timerSeconds * 1000 : undefined;
}
