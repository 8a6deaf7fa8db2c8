/** The contract of `OutboxStore` (see stores/outbox-store.ts). */
import assert from 'node:assert/strict';
import { isStoreError } from '@session-ts/sqlite';
import type { OutboxItem } from '../stores/outbox-store.ts';
import { sampleConversation } from './conversation-store-contract.ts';
import {
  isPlainBytes,
  testAccountId,
  testBytes,
  type ContractCase,
  type MakeClientStore,
} from './contract-case.ts';

const T0 = 1_700_000_000_000;
const peer = sampleConversation('peer');

function item(id: string, fields: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id,
    conversationId: peer.id,
    recipient: peer.id,
    content: testBytes(`content:${id}`, 64),
    sentAt: T0,
    ttlMs: 14 * 24 * 3600_000,
    createdAt: T0,
    attempts: 0,
    nextAttemptAt: T0,
    waitingFor: 'keys',
    ...fields,
  };
}

async function withPeer(make: MakeClientStore) {
  const store = await make();
  await store.conversations.putConversation(peer);
  return store.outbox;
}

/** The cases an `OutboxStore` must pass. */
export function outboxStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'outbox: an item round-trips (copied bytes); an ID is queued once',
      run: async () => {
        const outbox = await withPeer(make);
        const it = item('a', { lastError: 'no keys yet' });
        assert.equal(await outbox.enqueue(it), 'added');
        const expected = item('a', { lastError: 'no keys yet' });
        it.content.fill(0);
        const back = await outbox.getOutboxItem('a');
        assert.deepEqual(back, expected);
        assert.ok(isPlainBytes(back?.content));
        assert.equal(await outbox.enqueue(item('a', { attempts: 9 })), 'duplicate');
        assert.deepEqual(await outbox.getOutboxItem('a'), expected);
        assert.equal(await outbox.getOutboxItem('b'), undefined);
      },
    },
    {
      name: 'outbox: an item needs its conversation',
      run: async () => {
        const { outbox } = await make();
        await assert.rejects(outbox.enqueue(item('a')), (e) => isStoreError(e, 'invalid-input'));
        assert.equal(await outbox.getOutboxItem('a'), undefined);
      },
    },
    {
      name: 'outbox: due items earliest first (then creation, then ID), with a limit',
      run: async () => {
        const outbox = await withPeer(make);
        const items = [
          item('late', { nextAttemptAt: T0 + 500 }),
          item('b', { nextAttemptAt: T0 + 100, createdAt: T0 + 1 }),
          item('a', { nextAttemptAt: T0 + 100, createdAt: T0 + 1 }),
          item('first', { nextAttemptAt: T0 + 100, createdAt: T0 }),
          item('soonest', { nextAttemptAt: T0 + 50, createdAt: T0 + 9 }),
        ];
        for (const i of items) await outbox.enqueue(i);
        const ids = async (now: number, limit?: number) =>
          (await outbox.listDue(now, limit)).map((i) => i.id);
        assert.deepEqual(await ids(T0 + 100), ['soonest', 'first', 'a', 'b']);
        assert.deepEqual(await ids(T0 + 1000, 2), ['soonest', 'first']);
        assert.deepEqual(await ids(T0), []);
      },
    },
    {
      name: 'outbox: items for a recipient, oldest first',
      run: async () => {
        const store = await make();
        const other = sampleConversation('other');
        await store.conversations.putConversation(peer);
        await store.conversations.putConversation(other);
        await store.outbox.enqueue(item('p2', { createdAt: T0 + 2 }));
        await store.outbox.enqueue(item('p1', { createdAt: T0 + 1 }));
        await store.outbox.enqueue(item('o1', { conversationId: other.id, recipient: other.id }));
        assert.deepEqual(
          (await store.outbox.listForRecipient(peer.id)).map((i) => i.id),
          ['p1', 'p2'],
        );
        assert.deepEqual(await store.outbox.listForRecipient(testAccountId('none')), []);
      },
    },
    {
      name: 'outbox: update attempts, schedule, wait and error; remove',
      run: async () => {
        const outbox = await withPeer(make);
        await outbox.enqueue(item('a'));
        const failed = await outbox.updateOutboxItem('a', {
          attempts: 1,
          nextAttemptAt: T0 + 60_000,
          waitingFor: 'network',
          lastError: 'timeout',
        });
        const expected = item('a', {
          attempts: 1,
          nextAttemptAt: T0 + 60_000,
          waitingFor: 'network',
          lastError: 'timeout',
        });
        assert.deepEqual(failed, expected);
        assert.deepEqual(await outbox.getOutboxItem('a'), expected);
        const cleared = await outbox.updateOutboxItem('a', { lastError: undefined });
        assert.deepEqual(
          cleared,
          item('a', { attempts: 1, nextAttemptAt: T0 + 60_000, waitingFor: 'network' }),
        );
        assert.equal(await outbox.updateOutboxItem('zz', { attempts: 2 }), undefined);
        assert.equal(await outbox.removeOutboxItem('a'), true);
        assert.equal(await outbox.removeOutboxItem('a'), false);
        assert.equal(await outbox.getOutboxItem('a'), undefined);
      },
    },
  ];
}
