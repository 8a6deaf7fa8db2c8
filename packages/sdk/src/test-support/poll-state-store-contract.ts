/** The contract of `PollStateStore` (see stores/poll-state-store.ts). */
import assert from 'node:assert/strict';
import type { PollCursor } from '../stores/poll-state-store.ts';
import { testAccountId, type ContractCase, type MakeClientStore } from './contract-case.ts';

const me = testAccountId('me');
const cursor = (node: string, namespace = 0, account = me): PollCursor => ({
  node,
  account,
  namespace,
});

/** The cases a `PollStateStore` must pass. */
export function pollStateStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'poll state: last hash per node, account and namespace',
      run: async () => {
        const { pollState } = await make();
        assert.equal(await pollState.getLastHash(cursor('n1')), undefined);
        await pollState.setLastHash(cursor('n1'), 'h1');
        await pollState.setLastHash(cursor('n1', -21), 'h2');
        await pollState.setLastHash(cursor('n2'), 'h3');
        await pollState.setLastHash(cursor('n1', 0, testAccountId('group')), 'h4');
        assert.equal(await pollState.getLastHash(cursor('n1')), 'h1');
        assert.equal(await pollState.getLastHash(cursor('n1', -21)), 'h2');
        assert.equal(await pollState.getLastHash(cursor('n2')), 'h3');
        assert.equal(await pollState.getLastHash(cursor('n1', 0, testAccountId('group'))), 'h4');
        await pollState.setLastHash(cursor('n1'), 'h5');
        assert.equal(await pollState.getLastHash(cursor('n1')), 'h5');
      },
    },
    {
      name: 'poll state: forgetting a node drops only its last hashes',
      run: async () => {
        const { pollState } = await make();
        await pollState.setLastHash(cursor('n1'), 'a');
        await pollState.setLastHash(cursor('n1', 2), 'b');
        await pollState.setLastHash(cursor('n10'), 'c');
        assert.equal(await pollState.forgetNode('n1'), 2);
        assert.equal(await pollState.getLastHash(cursor('n1')), undefined);
        assert.equal(await pollState.getLastHash(cursor('n10')), 'c');
        assert.equal(await pollState.forgetNode('n1'), 0);
      },
    },
    {
      name: 'poll state: markSeen returns each unseen hash once, in order',
      run: async () => {
        const { pollState } = await make();
        const fresh = await pollState.markSeen([
          { hash: 'b', expiresAt: 10 },
          { hash: 'a', expiresAt: 10 },
          { hash: 'b', expiresAt: 10 },
        ]);
        assert.deepEqual(fresh, ['b', 'a']);
        assert.deepEqual(
          await pollState.markSeen([
            { hash: 'a', expiresAt: 10 },
            { hash: 'c', expiresAt: 10 },
          ]),
          ['c'],
        );
        assert.equal(await pollState.hasSeen('a'), true);
        assert.equal(await pollState.hasSeen('z'), false);
        assert.deepEqual(await pollState.markSeen([]), []);
      },
    },
    {
      name: 'poll state: expired seen hashes are pruned; a later expiry wins',
      run: async () => {
        const { pollState } = await make();
        await pollState.markSeen([
          { hash: 'short', expiresAt: 100 },
          { hash: 'long', expiresAt: 300 },
          { hash: 'extended', expiresAt: 100 },
        ]);
        await pollState.markSeen([{ hash: 'extended', expiresAt: 400 }]);
        await pollState.markSeen([{ hash: 'long', expiresAt: 50 }]); // never shortened
        assert.equal(await pollState.pruneSeen(100), 1);
        assert.equal(await pollState.hasSeen('short'), false);
        assert.equal(await pollState.pruneSeen(300), 1);
        assert.equal(await pollState.hasSeen('long'), false);
        assert.equal(await pollState.hasSeen('extended'), true);
        assert.equal(await pollState.pruneSeen(300), 0);
        // A pruned hash is unseen again.
        assert.deepEqual(await pollState.markSeen([{ hash: 'short', expiresAt: 900 }]), ['short']);
      },
    },
  ];
}
