/**
 * The state behind the in-memory stores: plain maps, shared by the ports of one
 * `createMemoryStores()` so a conversation's deletion can take its messages and outbox items,
 * as the SQLite schema's foreign keys do. Every operation first checks the store is open.
 */
import type { ContactV2Record, DeviceStateSnapshot, PfsKeyCacheEntry } from '@session-ts/core';
import { StoreError } from '@session-ts/sqlite';
import type { AccountSettings, StoredAccount } from '../account-store.ts';
import { DEFAULT_ACCOUNT_SETTINGS } from '../account-store.ts';
import type { ConfigRecord } from '../config-store.ts';
import type { Contact } from '../contact-store.ts';
import type { Conversation, StoredMessage } from '../conversation-store.ts';
import type { OutboxItem } from '../outbox-store.ts';
import { promised } from '../internal/records.ts';

/** Everything an in-memory client store holds. */
export interface MemoryState {
  closed: boolean;
  account: StoredAccount | undefined;
  settings: AccountSettings;
  deviceState: DeviceStateSnapshot | undefined;
  readonly contacts: Map<string, Contact>;
  readonly pfsKeys: Map<string, PfsKeyCacheEntry>;
  readonly v2Records: Map<string, ContactV2Record>;
  readonly conversations: Map<string, Conversation>;
  readonly messages: Map<string, StoredMessage>;
  /** Message hash → message ID. */
  readonly messageHashes: Map<string, string>;
  /** `node \0 account \0 namespace` → last hash. */
  readonly lastHashes: Map<string, string>;
  /** Seen hash → expiry. */
  readonly seen: Map<string, number>;
  /** `owner \0 namespace` → record. */
  readonly configs: Map<string, ConfigRecord>;
  readonly outbox: Map<string, OutboxItem>;
}

/** A new, empty state. */
export function createMemoryState(): MemoryState {
  return {
    closed: false,
    account: undefined,
    settings: DEFAULT_ACCOUNT_SETTINGS,
    deviceState: undefined,
    contacts: new Map(),
    pfsKeys: new Map(),
    v2Records: new Map(),
    conversations: new Map(),
    messages: new Map(),
    messageHashes: new Map(),
    lastHashes: new Map(),
    seen: new Map(),
    configs: new Map(),
    outbox: new Map(),
  };
}

/** Empties every table (the account wipe). */
export function clearMemoryState(state: MemoryState): void {
  state.account = undefined;
  state.settings = DEFAULT_ACCOUNT_SETTINGS;
  state.deviceState = undefined;
  for (const table of [
    state.contacts,
    state.pfsKeys,
    state.v2Records,
    state.conversations,
    state.messages,
    state.messageHashes,
    state.lastHashes,
    state.seen,
    state.configs,
    state.outbox,
  ]) {
    table.clear();
  }
}

/** Runs `fn` against an open state as a promise (a throw becomes a rejection). */
export function onOpen<T>(state: MemoryState, fn: () => T): Promise<T> {
  return promised(() => {
    if (state.closed) throw new StoreError('closed', 'the store is closed');
    return fn();
  });
}
