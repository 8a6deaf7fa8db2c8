/** The in-memory `PollStateStore` (see poll-state-store.ts). */
import type { PollCursor, PollStateStore } from '../poll-state-store.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

function cursorKey(c: PollCursor): string {
  return `${c.node}\0${c.account}\0${c.namespace}`;
}

/** The poll-state port over `state`. */
export function createMemoryPollStateStore(state: MemoryState): PollStateStore {
  return {
    getLastHash: (cursor) => onOpen(state, () => state.lastHashes.get(cursorKey(cursor))),
    setLastHash: (cursor, hash) =>
      onOpen(state, () => {
        state.lastHashes.set(cursorKey(cursor), hash);
      }),
    forgetNode: (node) =>
      onOpen(state, () => {
        let n = 0;
        for (const key of [...state.lastHashes.keys()]) {
          if (key.startsWith(`${node}\0`)) {
            state.lastHashes.delete(key);
            n++;
          }
        }
        return n;
      }),
    markSeen: (entries) =>
      onOpen(state, () => {
        const fresh: string[] = [];
        for (const { hash, expiresAt } of entries) {
          const held = state.seen.get(hash);
          if (held === undefined) fresh.push(hash);
          state.seen.set(hash, Math.max(held ?? expiresAt, expiresAt));
        }
        return fresh;
      }),
    hasSeen: (hash) => onOpen(state, () => state.seen.has(hash)),
    pruneSeen: (now) =>
      onOpen(state, () => {
        let n = 0;
        for (const [hash, expiresAt] of [...state.seen]) {
          if (expiresAt <= now) {
            state.seen.delete(hash);
            n++;
          }
        }
        return n;
      }),
  };
}
