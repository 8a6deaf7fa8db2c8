/**
 * The SQLite store's `batch` beyond the shared contract: one transaction, so a failed batch
 * leaves nothing of its writes behind (the memory twin does not promise that), and message
 * deletions inside a batch still end with the WAL checkpointed and truncated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@session-ts/sqlite';
import { createSqliteStores } from './sqlite-stores.ts';
import {
  sampleConversation,
  sampleMessage,
} from '../../test-support/conversation-store-contract.ts';

test('a failed SQLite batch lands none of its writes', async () => {
  const store = createSqliteStores(openDatabase({ path: ':memory:' }));
  await assert.rejects(
    store.batch(async () => {
      await store.pollState.markSeen([{ hash: 'a', expiresAt: 10 }]);
      await store.conversations.putConversation(sampleConversation('bob'));
      throw new Error('half way');
    }),
    /half way/,
  );
  assert.equal(await store.pollState.hasSeen('a'), false);
  assert.deepEqual(await store.conversations.listConversations(), []);
  await store.close();
});

test('deleting messages inside a batch checkpoints the WAL after the commit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-batch-'));
  try {
    const path = join(dir, 'client.db');
    const store = createSqliteStores(openDatabase({ path }));
    const c = sampleConversation('bob');
    await store.conversations.putConversation(c);
    await store.batch(async () => {
      for (let i = 0; i < 50; i++) {
        await store.conversations.addMessage(
          sampleMessage(c, `m${i}`, 1_000 + i, { body: 'x'.repeat(2000) }),
        );
      }
    });
    assert.ok(statSync(`${path}-wal`).size > 0, 'the batch wrote to the WAL');
    await store.batch(async () => {
      assert.equal(await store.conversations.deleteConversation(c.id), true);
    });
    assert.equal(statSync(`${path}-wal`).size, 0, 'truncated once the batch committed');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
