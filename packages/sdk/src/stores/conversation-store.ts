/**
 * The conversation port: conversations (one per peer, or note-to-self) with the state a user
 * sets on them, and their messages. A conversation owns its messages and its queued sends:
 * deleting it deletes them, in the same transaction.
 *
 * The fields follow what upstream syncs through config messages (libsession-util
 * `include/session/config/contacts.hpp` `expiration_mode`/`exp_timer`/`mute_until`,
 * `convo_info_volatile.hpp` `last_read`), so the sync layer can map them one to one.
 *
 * Times are unix milliseconds; `readAt` compares with messages' `sentAt`.
 */
import type { IncomingDmPath } from '@session-ts/core';

/** What kind of conversation. */
export const CONVERSATION_KINDS = ['direct', 'note-to-self'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

/**
 * Where a conversation stands: `request` (an unknown sender wrote; not yet answered),
 * `accepted`, `declined` (hidden, sender not told), `blocked` (the sender is blocked too).
 */
export const REQUEST_STATES = ['request', 'accepted', 'declined', 'blocked'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Disappearing messages (upstream `expiration_mode`: none, after-send, after-read). */
export const DISAPPEARING_MODES = ['off', 'after-send', 'after-read'] as const;
export type DisappearingMode = (typeof DISAPPEARING_MODES)[number];

/** A disappearing-messages setting; `timerSeconds` is 0 when `mode` is `off`. */
export interface DisappearingSetting {
  readonly mode: DisappearingMode;
  readonly timerSeconds: number;
}

/** Disappearing messages off. */
export const DISAPPEARING_OFF: DisappearingSetting = { mode: 'off', timerSeconds: 0 };

/** `mutedUntil` for "muted until unmuted". */
export const MUTED_FOREVER = Number.MAX_SAFE_INTEGER;

/** One conversation. `id` is the peer's Session ID (or our own, for note-to-self). */
export interface Conversation {
  readonly id: string;
  readonly kind: ConversationKind;
  readonly requestState: RequestState;
  /** `sentAt` of the newest message read; 0 when none was. */
  readonly readAt: number;
  /** Notifications are silent until then; absent when not muted. */
  readonly mutedUntil?: number;
  readonly disappearing: DisappearingSetting;
  readonly createdAt: number;
  /**
   * The newest message's `sentAt`, or `createdAt`; lists are ordered by it, newest first.
   * `addMessage` raises it.
   */
  readonly lastActivityAt: number;
}

/** The fields `updateConversation` may change (`mutedUntil: undefined` unmutes). */
export type ConversationPatch = Partial<
  Pick<Conversation, 'requestState' | 'readAt' | 'disappearing' | 'lastActivityAt'>
> & { readonly mutedUntil?: number | undefined };

export const MESSAGE_DIRECTIONS = ['incoming', 'outgoing'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/**
 * Where a message is: outgoing `queued` (waiting for keys or the network, see the outbox),
 * `sending`, `sent` (a node stored it), `delivered`, `read` (receipts), `failed`; incoming
 * `received` (read or not is the conversation's `readAt`).
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'received',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** How a message was protected on the wire: V2 PFS, V2 non-PFS, or V1 (core's names). */
export type MessageSecurity = IncomingDmPath;
export const MESSAGE_SECURITIES = [
  'pfs',
  'non-pfs',
  'v1',
] as const satisfies readonly MessageSecurity[];

/** One message. */
export interface StoredMessage {
  /** Local, unique ID (an outgoing message has one before it has a hash). */
  readonly id: string;
  readonly conversationId: string;
  /** The swarm message hash, once known; unique. */
  readonly hash?: string;
  readonly direction: MessageDirection;
  /** The sender's Session ID (ours for outgoing). */
  readonly sender: string;
  readonly body: string;
  /** The sender's timestamp (the message's signature timestamp). */
  readonly sentAt: number;
  /** When this device received it. */
  readonly receivedAt?: number;
  /** When it disappears (locally and on the swarm); absent: it does not. */
  readonly expiresAt?: number;
  /** The disappearing setting it was sent with. */
  readonly disappearing?: DisappearingSetting;
  readonly status: MessageStatus;
  /** Absent until sent (outgoing). */
  readonly security?: MessageSecurity;
}

/** The fields `updateMessage` may change. */
export type MessagePatch = Partial<
  Pick<StoredMessage, 'hash' | 'status' | 'receivedAt' | 'expiresAt' | 'security'>
>;

/** A position in a conversation's message order (`sentAt`, then `id`). */
export interface MessageCursor {
  readonly sentAt: number;
  readonly id: string;
}

/** Which messages `listMessages` returns. */
export interface MessageQuery {
  /** Only messages ordered before this one. */
  readonly before?: MessageCursor;
  /** At most this many: the newest of those that match. Default: all. */
  readonly limit?: number;
}

/** Where conversations and messages live. */
export interface ConversationStore {
  getConversation(id: string): Promise<Conversation | undefined>;
  /** Creates or replaces a conversation (its messages stay). */
  putConversation(conversation: Conversation): Promise<void>;
  /** Changes some fields; `undefined` when there is no such conversation. */
  updateConversation(id: string, patch: ConversationPatch): Promise<Conversation | undefined>;
  /** Conversations, newest activity first (ties by ID); optionally of one request state. */
  listConversations(filter?: { readonly requestState?: RequestState }): Promise<Conversation[]>;
  /** Deletes a conversation with its messages and queued sends. Returns whether it existed. */
  deleteConversation(id: string): Promise<boolean>;

  /**
   * Adds a message to an existing conversation (`StoreError('invalid-input')` otherwise) and
   * raises the conversation's `lastActivityAt`. A message whose ID or hash is already stored is
   * a `duplicate` and changes nothing.
   */
  addMessage(message: StoredMessage): Promise<'added' | 'duplicate'>;
  getMessage(id: string): Promise<StoredMessage | undefined>;
  findMessageByHash(hash: string): Promise<StoredMessage | undefined>;
  /** A conversation's messages, oldest first (by `sentAt`, then `id`). */
  listMessages(conversationId: string, query?: MessageQuery): Promise<StoredMessage[]>;
  /**
   * Changes some fields; `undefined` when there is no such message. Setting a hash another
   * message has fails with `StoreError('constraint')`.
   */
  updateMessage(id: string, patch: MessagePatch): Promise<StoredMessage | undefined>;
  deleteMessage(id: string): Promise<boolean>;
  /** Deletes every message with `expiresAt <= now` and returns them (their hashes go too). */
  deleteExpiredMessages(now: number): Promise<StoredMessage[]>;
  /** Incoming messages newer than the conversation's `readAt`. */
  countUnread(conversationId: string): Promise<number>;
}
