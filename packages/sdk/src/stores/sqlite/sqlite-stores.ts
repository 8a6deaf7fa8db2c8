/**
 * `createSqliteStores(db)`: the client store over a `Database` from `@session-ts/sqlite`
 * (`openEncryptedDatabase` for a device's real store, `openDatabase({ path: ':memory:' })` for
 * tests). It brings the schema up to date (`schema.ts`) and turns on `secure_delete`, so a
 * deleted message's text is overwritten in the file rather than left in a free page
 * (https://www.sqlite.org/pragma.html#pragma_secure_delete); after a deletion of messages the
 * WAL is checkpointed and truncated, so their old pages do not linger there either.
 */
import { rmSync } from 'node:fs';
import { migrate, StoreError, type Database } from '@session-ts/sqlite';
import type { ClientStore, WipeOptions } from '../client-store.ts';
import { promised } from '../internal/records.ts';
import { createSqliteAccountStore, createSqliteDeviceStateStore } from './sqlite-account-store.ts';
import { createSqliteConfigStore } from './sqlite-config-store.ts';
import { createSqliteContactStore } from './sqlite-contact-store.ts';
import { createSqliteConversationStore } from './sqlite-conversation-store.ts';
import { createSqliteOutboxStore } from './sqlite-outbox-store.ts';
import { createSqlitePollStateStore } from './sqlite-poll-state-store.ts';
import { CLIENT_STORE_MIGRATIONS, CLIENT_STORE_TABLES } from './schema.ts';

/** Options of `createSqliteStores`. */
export interface SqliteStoresOptions {
  /** More files `wipe({ deleteFiles: true })` removes (the passphrase header). */
  readonly extraFiles?: readonly string[];
}

/** The files of a database at `path` (none for an in-memory one). */
export function databaseFiles(path: string): string[] {
  if (path === ':memory:' || path === '') return [];
  return [path, `${path}-wal`, `${path}-shm`];
}

/** The client store over `db`, which it now owns (its `close` closes `db`). */
export function createSqliteStores(db: Database, options: SqliteStoresOptions = {}): ClientStore {
  try {
    db.setPragma('secure_delete', 'on');
    migrate(db, CLIENT_STORE_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  let closed = false;
  let checkpointOwed = false;
  const checkpoint = (): void => {
    // Inside a batch the deleted cells are not committed yet: checkpoint after its commit.
    if (db.inTransaction) {
      checkpointOwed = true;
      return;
    }
    checkpointOwed = false;
    // TRUNCATE: copy the WAL into the file (where secure_delete zeroed the freed cells), then
    // cut the WAL to zero bytes. A no-op for an in-memory database.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  };
  async function batch<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreError('closed', 'the store is closed');
    if (db.inTransaction) return fn();
    db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    db.exec('COMMIT');
    if (checkpointOwed) checkpoint();
    return result;
  }
  const close = (): void => {
    if (closed) return;
    closed = true;
    db.close();
  };
  return {
    account: createSqliteAccountStore(db),
    deviceState: createSqliteDeviceStateStore(db),
    contacts: createSqliteContactStore(db),
    conversations: createSqliteConversationStore(db, checkpoint),
    pollState: createSqlitePollStateStore(db),
    config: createSqliteConfigStore(db),
    outbox: createSqliteOutboxStore(db),
    wipe: (wipeOptions: WipeOptions = {}) =>
      promised(() => {
        if (closed) throw new StoreError('closed', 'the store is closed');
        db.transaction(() => {
          for (const table of CLIENT_STORE_TABLES) db.run(`DELETE FROM ${table}`);
        });
        checkpoint();
        if (wipeOptions.deleteFiles === true) {
          const files = [...databaseFiles(db.path), ...(options.extraFiles ?? [])];
          close();
          for (const file of files) rmSync(file, { force: true });
        }
      }),
    batch,
    close: () => promised(close),
  };
}
