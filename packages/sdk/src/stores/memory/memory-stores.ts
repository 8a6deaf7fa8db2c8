/**
 * `createMemoryStores()`: the in-memory twin of the SQLite client store (CONVENTIONS.md habit
 * 2). Same ports, same contract suites; for tests, simulations and throwaway clients. Nothing
 * is written anywhere, so nothing survives the process.
 */
import type { ClientStore, WipeOptions } from '../client-store.ts';
import { createMemoryAccountStore, createMemoryDeviceStateStore } from './memory-account-store.ts';
import { createMemoryConfigStore } from './memory-config-store.ts';
import { createMemoryContactStore } from './memory-contact-store.ts';
import { createMemoryConversationStore } from './memory-conversation-store.ts';
import { createMemoryOutboxStore } from './memory-outbox-store.ts';
import { createMemoryPollStateStore } from './memory-poll-state-store.ts';
import { clearMemoryState, createMemoryState, onOpen } from './memory-state.ts';

/** A fresh, empty in-memory client store. */
export function createMemoryStores(): ClientStore {
  const state = createMemoryState();
  return {
    account: createMemoryAccountStore(state),
    deviceState: createMemoryDeviceStateStore(state),
    contacts: createMemoryContactStore(state),
    conversations: createMemoryConversationStore(state),
    pollState: createMemoryPollStateStore(state),
    config: createMemoryConfigStore(state),
    outbox: createMemoryOutboxStore(state),
    wipe: (options: WipeOptions = {}) =>
      onOpen(state, () => {
        clearMemoryState(state);
        if (options.deleteFiles === true) state.closed = true;
      }),
    batch: (fn) => fn(),
    close: () => {
      state.closed = true;
      return Promise.resolve();
    },
  };
}
