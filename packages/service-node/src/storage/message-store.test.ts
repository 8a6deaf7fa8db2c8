/**
 * Runs the `MessageStore` contract against the SQLite store and its in-memory twin, plus what
 * only the SQLite store can show: data survives reopening, the schema is versioned, and a
 * failing write in the middle of a batch leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStoreError, openDatabase, schemaVersion } from '@session-ts/sqlite';
import { createMemoryMessageStore } from './memory-message-store.ts';
import { openSqliteMessageStore } from './sqlite-message-store.ts';
import { makeMessage, messageStoreContract } from './test-support/message-store-contract.ts';
import { MESSAGE_STORE_MIGRATIONS } from './schema.ts';

messageStoreContract('sqlite', ({ maxBytes }) =>
  openSqliteMessageStore({
    path: ':memory:',
    ...(maxBytes === undefined ? {} : { maxSizeBytes: maxBytes }),
  }),
);
messageStoreContract('memory', ({ maxBytes }) =>
  createMemoryMessageStore(maxBytes === undefined ? {} : { maxBytes }),
);

const ACCOUNT = '05' + 'ab'.repeat(32);

test('sqlite: messages survive reopening and the schema version is recorded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-store-'));
  try {
    const path = join(dir, 'storage.db');
    const m = makeMessage(ACCOUNT);
    let store = openSqliteMessageStore({ path });
    store.store(m);
    store.revokeSubaccounts(ACCOUNT, [new Uint8Array(36).fill(3)], 1);
    store.close();
    store = openSqliteMessageStore({ path });
    assert.deepEqual(
      store.retrieve({ account: ACCOUNT, namespace: 0, now: 0 }).messages.map((x) => x.hash),
      [m.hash],
    );
    assert.equal(store.isRevoked(ACCOUNT, new Uint8Array(36).fill(3)), true);
    store.close();
    const db = openDatabase({ path });
    assert.equal(schemaVersion(db), MESSAGE_STORE_MIGRATIONS.length);
    db.setPragma('user_version', MESSAGE_STORE_MIGRATIONS.length + 1);
    db.close();
    assert.throws(
      () => openSqliteMessageStore({ path }),
      (e) => isStoreError(e, 'newer-schema'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: an import that fails halfway writes nothing', () => {
  const store = openSqliteMessageStore({ path: ':memory:' });
  const good = makeMessage(ACCOUNT);
  const bad = { ...makeMessage(ACCOUNT), account: 'not hex' };
  assert.throws(
    () => store.importMessages([good, bad]),
    (e) => isStoreError(e),
  );
  assert.equal(store.stats().messages, 0);
  store.close();
});
