/**
 * Group commit for `store`: stores that arrive while the event loop is busy are written with
 * one transaction at the end of the current loop turn (`setImmediate`), and each request is
 * answered once that commit returned — so an acknowledged store is as durable as with a commit
 * per store (see `@session-ts/sqlite`), while a burst of stores shares one WAL append and one
 * lock round. Under load this is most of what a store costs; at rest a store waits one loop
 * turn. Outcomes are those of `MessageStore.storeMany`, in arrival order.
 */
import type { MessageStore, StoredMessage, StoreOutcome } from '../storage/message-store.ts';

/** Queues stores for the next group commit. */
export interface StoreQueue {
  store(message: StoredMessage): Promise<StoreOutcome>;
}

/** Runs `task` soon, after the I/O callbacks of this loop turn (default `setImmediate`). */
export type Defer = (task: () => void) => void;

interface Pending {
  readonly message: StoredMessage;
  readonly resolve: (outcome: StoreOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** The most stores one commit takes; more wait for the next turn. */
const MAX_GROUP = 256;

export function createStoreQueue(
  store: MessageStore,
  defer: Defer = (task) => {
    setImmediate(task);
  },
): StoreQueue {
  let pending: Pending[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const group = pending.slice(0, MAX_GROUP);
    pending = pending.slice(group.length);
    if (pending.length > 0) schedule();
    let outcomes: StoreOutcome[];
    try {
      outcomes = store.storeMany(group.map((p) => p.message));
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    group.forEach((p, i) => p.resolve(outcomes[i] ?? { kind: 'full' }));
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    defer(flush);
  };

  return {
    store(message) {
      return new Promise<StoreOutcome>((resolve, reject) => {
        pending.push({ message, resolve, reject });
        schedule();
      });
    },
  };
}
