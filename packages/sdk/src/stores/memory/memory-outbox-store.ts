/** The in-memory `OutboxStore` (see outbox-store.ts). */
import type { OutboxItem, OutboxPatch, OutboxStore } from '../outbox-store.ts';
import {
  checkLimit,
  compact,
  compareCreated,
  compareDue,
  copyBytes,
  noConversation,
} from '../internal/records.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

function copy(item: OutboxItem): OutboxItem {
  return { ...item, content: copyBytes(item.content) };
}

/** The outbox port over `state`. */
export function createMemoryOutboxStore(state: MemoryState): OutboxStore {
  return {
    enqueue: (item) =>
      onOpen(state, () => {
        if (!state.conversations.has(item.conversationId)) {
          throw noConversation('outbox item', item.conversationId);
        }
        if (state.outbox.has(item.id)) return 'duplicate';
        state.outbox.set(item.id, compact<OutboxItem>(copy(item)));
        return 'added';
      }),
    getOutboxItem: (id) =>
      onOpen(state, () => {
        const held = state.outbox.get(id);
        return held === undefined ? undefined : copy(held);
      }),
    listDue: (now, limit) =>
      onOpen(state, () => {
        const n = checkLimit(limit);
        const due = [...state.outbox.values()]
          .filter((i) => i.nextAttemptAt <= now)
          .sort(compareDue);
        return (n === undefined ? due : due.slice(0, n)).map(copy);
      }),
    listForRecipient: (recipient) =>
      onOpen(state, () =>
        [...state.outbox.values()]
          .filter((i) => i.recipient === recipient)
          .sort(compareCreated)
          .map(copy),
      ),
    updateOutboxItem: (id, patch: OutboxPatch) =>
      onOpen(state, () => {
        const held = state.outbox.get(id);
        if (held === undefined) return undefined;
        const next = compact<OutboxItem>({ ...held, ...patch, id });
        state.outbox.set(id, next);
        return copy(next);
      }),
    removeOutboxItem: (id) => onOpen(state, () => state.outbox.delete(id)),
  };
}
