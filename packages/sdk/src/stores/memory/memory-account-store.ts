/** The in-memory `AccountStore` and `DeviceStateStore` (see account-store.ts). */
import { bytesEqual, type DeviceStateStore } from '@session-ts/core';
import { StoreError } from '@session-ts/sqlite';
import type { AccountSettings, AccountStore, StoredAccount } from '../account-store.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

/** The account port over `state`. */
export function createMemoryAccountStore(state: MemoryState): AccountStore {
  return {
    getAccount: () => onOpen(state, () => state.account),
    putAccount: (account: StoredAccount) =>
      onOpen(state, () => {
        const held = state.account;
        if (held === undefined) {
          state.account = { seed: account.seed, createdAt: account.createdAt };
        } else if (!bytesEqual(held.seed.borrowBytes(), account.seed.borrowBytes())) {
          throw new StoreError('constraint', 'account: another account is stored; wipe first');
        }
      }),
    getSettings: () => onOpen(state, () => state.settings),
    updateSettings: (patch: Partial<AccountSettings>) =>
      onOpen(state, () => {
        state.settings = { ...state.settings, ...patch };
        return state.settings;
      }),
  };
}

/**
 * The device-group snapshot port over `state`. Like core's `createMemoryDeviceStateStore` it
 * keeps the snapshot itself (snapshots are immutable), but it is wiped and closed with the rest.
 */
export function createMemoryDeviceStateStore(state: MemoryState): DeviceStateStore {
  return {
    get: () => onOpen(state, () => state.deviceState),
    put: (snapshot) =>
      onOpen(state, () => {
        state.deviceState = snapshot;
      }),
  };
}
