/**
 * Everything a client keeps, as one value of small ports (CONVENTIONS.md habit 2): the account,
 * the device-group snapshot (core's `DeviceStateStore`), contacts, conversations and messages,
 * poll state, config state and the outbox. `createClient({ store, ... })` takes one.
 *
 * Two implementations pass the same contract suites (`test-support/`): `createMemoryStores()`
 * and the SQLite one (`createSqliteStores(db)`, or `openClientStore(...)` for the encrypted
 * file on disk). Each call of a port is atomic: it lands whole or not at all.
 */
import type { DeviceStateStore } from '@session-ts/core';
import type { AccountStore } from './account-store.ts';
import type { ConfigStore } from './config-store.ts';
import type { ContactStore } from './contact-store.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { PollStateStore } from './poll-state-store.ts';

/** What `wipe` also does. */
export interface WipeOptions {
  /**
   * Close the store and delete its files (database, WAL, shared memory, passphrase header).
   * A key file is the caller's and stays. For an in-memory store it only closes.
   */
  readonly deleteFiles?: boolean;
}

/** A client's whole local state. */
export interface ClientStore {
  readonly account: AccountStore;
  readonly deviceState: DeviceStateStore;
  readonly contacts: ContactStore;
  readonly conversations: ConversationStore;
  readonly pollState: PollStateStore;
  readonly config: ConfigStore;
  readonly outbox: OutboxStore;
  /**
   * Deletes the account: every table is emptied in one transaction (keys, messages, poll state,
   * everything), and, when asked, the files go too.
   */
  wipe(options?: WipeOptions): Promise<void>;
  /**
   * Runs `fn`, whose store calls then land together: the SQLite store makes them one
   * transaction (one commit instead of one per call; if `fn` throws, none of them lands), the
   * memory store runs `fn` as is. Nested batches join the outer one. The client batches the
   * handling of each retrieved page of messages. `fn` must use this store from one caller only
   * (the client's calls are serialized).
   */
  batch<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes the store; later calls fail with `StoreError('closed')`. Closing twice is fine. */
  close(): Promise<void>;
}
