/** The in-memory `ConversationStore` (see conversation-store.ts). */
import { StoreError } from '@session-ts/sqlite';
import type {
  Conversation,
  ConversationPatch,
  ConversationStore,
  MessagePatch,
  StoredMessage,
} from '../conversation-store.ts';
import {
  checkLimit,
  compact,
  compareConversations,
  compareMessages,
  compareText,
  noConversation,
} from '../internal/records.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

function removeMessage(state: MemoryState, message: StoredMessage): void {
  state.messages.delete(message.id);
  if (message.hash !== undefined) state.messageHashes.delete(message.hash);
}

/** The conversation port over `state`. */
export function createMemoryConversationStore(state: MemoryState): ConversationStore {
  const messagesOf = (conversationId: string): StoredMessage[] =>
    [...state.messages.values()].filter((m) => m.conversationId === conversationId);

  return {
    getConversation: (id) => onOpen(state, () => state.conversations.get(id)),
    putConversation: (conversation) =>
      onOpen(state, () => {
        state.conversations.set(conversation.id, compact<Conversation>({ ...conversation }));
      }),
    updateConversation: (id, patch: ConversationPatch) =>
      onOpen(state, () => {
        const held = state.conversations.get(id);
        if (held === undefined) return undefined;
        const next = compact<Conversation>({ ...held, ...patch, id });
        state.conversations.set(id, next);
        return next;
      }),
    listConversations: (filter = {}) =>
      onOpen(state, () =>
        [...state.conversations.values()]
          .filter(
            (c) => filter.requestState === undefined || c.requestState === filter.requestState,
          )
          .sort(compareConversations),
      ),
    deleteConversation: (id) =>
      onOpen(state, () => {
        if (!state.conversations.delete(id)) return false;
        for (const m of messagesOf(id)) removeMessage(state, m);
        for (const item of [...state.outbox.values()]) {
          if (item.conversationId === id) state.outbox.delete(item.id);
        }
        return true;
      }),

    addMessage: (message) =>
      onOpen(state, () => {
        const conversation = state.conversations.get(message.conversationId);
        if (conversation === undefined) throw noConversation('message', message.conversationId);
        if (state.messages.has(message.id)) return 'duplicate';
        if (message.hash !== undefined && state.messageHashes.has(message.hash)) {
          return 'duplicate';
        }
        state.messages.set(message.id, compact<StoredMessage>({ ...message }));
        if (message.hash !== undefined) state.messageHashes.set(message.hash, message.id);
        if (message.sentAt > conversation.lastActivityAt) {
          state.conversations.set(conversation.id, {
            ...conversation,
            lastActivityAt: message.sentAt,
          });
        }
        return 'added';
      }),
    getMessage: (id) => onOpen(state, () => state.messages.get(id)),
    findMessageByHash: (hash) =>
      onOpen(state, () => {
        const id = state.messageHashes.get(hash);
        return id === undefined ? undefined : state.messages.get(id);
      }),
    listMessages: (conversationId, query = {}) =>
      onOpen(state, () => {
        const limit = checkLimit(query.limit);
        const { before } = query;
        const all = messagesOf(conversationId)
          .filter(
            (m) =>
              before === undefined ||
              m.sentAt < before.sentAt ||
              (m.sentAt === before.sentAt && m.id < before.id),
          )
          .sort(compareMessages);
        return limit === undefined ? all : all.slice(Math.max(0, all.length - limit));
      }),
    updateMessage: (id, patch: MessagePatch) =>
      onOpen(state, () => {
        const held = state.messages.get(id);
        if (held === undefined) return undefined;
        const hash = patch.hash;
        if (hash !== undefined && hash !== held.hash) {
          if (state.messageHashes.has(hash)) {
            throw new StoreError('constraint', 'message hash: another message has it');
          }
          if (held.hash !== undefined) state.messageHashes.delete(held.hash);
          state.messageHashes.set(hash, id);
        }
        const next = compact<StoredMessage>({ ...held, ...patch });
        state.messages.set(id, next);
        return next;
      }),
    deleteMessage: (id) =>
      onOpen(state, () => {
        const held = state.messages.get(id);
        if (held === undefined) return false;
        removeMessage(state, held);
        return true;
      }),
    deleteExpiredMessages: (now) =>
      onOpen(state, () => {
        const expired = [...state.messages.values()]
          .filter((m) => m.expiresAt !== undefined && m.expiresAt <= now)
          .sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0) || compareText(a.id, b.id));
        for (const m of expired) removeMessage(state, m);
        return expired;
      }),
    countUnread: (conversationId) =>
      onOpen(state, () => {
        const readAt = state.conversations.get(conversationId)?.readAt ?? 0;
        return messagesOf(conversationId).filter(
          (m) => m.direction === 'incoming' && m.sentAt > readAt,
        ).length;
      }),
  };
}
