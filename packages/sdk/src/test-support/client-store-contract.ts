/**
 * The contract of the `ClientStore` as a whole: the account wipe empties every port, and a
 * closed store refuses work. The device-group port's own cases are core's
 * `deviceStateStoreContract`, run through `deviceStateContract`.
 */
import assert from 'node:assert/strict';
import { deviceStateStoreContract } from '@session-ts/core';
import { isStoreError } from '@session-ts/sqlite';
import { DEFAULT_ACCOUNT_SETTINGS } from '../stores/account-store.ts';
import type { ClientStore } from '../stores/client-store.ts';
import { testAccountId, type ContractCase, type MakeClientStore } from './contract-case.ts';
import { fillSampleStore } from './sample-client-data.ts';

/** Checks that every port of `store` is empty. */
export async function assertEmptyStore(store: ClientStore): Promise<void> {
  assert.equal(await store.account.getAccount(), undefined);
  assert.deepEqual(await store.account.getSettings(), DEFAULT_ACCOUNT_SETTINGS);
  assert.equal(await store.deviceState.get(), undefined);
  assert.deepEqual(await store.contacts.listContacts(), []);
  assert.equal(await store.contacts.getPfsKeys(testAccountId('alice')), undefined);
  assert.equal(await store.contacts.getV2Record(testAccountId('alice')), undefined);
  assert.deepEqual(await store.conversations.listConversations(), []);
  assert.equal(await store.conversations.getMessage('sample-0'), undefined);
  assert.deepEqual(await store.conversations.listMessages(testAccountId('alice')), []);
  const cursor = { node: 'node-1', account: testAccountId('alice'), namespace: 0 };
  assert.equal(await store.pollState.getLastHash(cursor), undefined);
  assert.equal(await store.pollState.hasSeen('seen-1'), false);
  assert.deepEqual(await store.config.listConfigs(), []);
  assert.deepEqual(await store.outbox.listDue(Number.MAX_SAFE_INTEGER), []);
}

/** Core's `DeviceStateStore` cases, over the client store's `deviceState` port. */
export function deviceStateContract(make: MakeClientStore): ContractCase[] {
  return deviceStateStoreContract(async () => (await make()).deviceState).map((c) => ({
    name: `device state: ${c.name}`,
    run: c.run,
  }));
}

/** The cases a `ClientStore` must pass. */
export function clientStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'client store: deleting the account empties every port, and the store goes on',
      run: async () => {
        const store = await make();
        await fillSampleStore(store);
        assert.equal((await store.conversations.listConversations()).length, 2);
        await store.wipe();
        await assertEmptyStore(store);
        await fillSampleStore(store); // usable again, for a new account
        assert.equal((await store.conversations.listMessages(testAccountId('alice'))).length, 2);
      },
    },
    {
      name: 'client store: wipe with deleteFiles closes the store',
      run: async () => {
        const store = await make();
        await fillSampleStore(store);
        await store.wipe({ deleteFiles: true });
        await assert.rejects(store.account.getAccount(), (e) => isStoreError(e, 'closed'));
        await assert.rejects(store.wipe(), (e) => isStoreError(e, 'closed'));
      },
    },
    {
      name: 'client store: a batch returns its value, its writes land, nested batches join',
      run: async () => {
        const store = await make();
        const cursor = { node: 'n', account: testAccountId('alice'), namespace: 0 };
        const value = await store.batch(async () => {
          await store.pollState.markSeen([{ hash: 'in-batch', expiresAt: 10 }]);
          await store.batch(() => store.pollState.setLastHash(cursor, 'h1'));
          assert.equal(await store.pollState.hasSeen('in-batch'), true, 'visible inside');
          return 42;
        });
        assert.equal(value, 42);
        assert.equal(await store.pollState.hasSeen('in-batch'), true);
        assert.equal(await store.pollState.getLastHash(cursor), 'h1');
        await assert.rejects(
          store.batch(() => Promise.reject(new Error('boom'))),
          /boom/,
        );
        // The store goes on after a failed batch.
        await store.batch(() => store.pollState.markSeen([{ hash: 'after', expiresAt: 10 }]));
        assert.equal(await store.pollState.hasSeen('after'), true);
      },
    },
    {
      name: 'client store: a closed store refuses work; closing twice is fine',
      run: async () => {
        const store = await make();
        await store.close();
        await store.close();
        await assert.rejects(store.conversations.listConversations(), (e) =>
          isStoreError(e, 'closed'),
        );
        await assert.rejects(store.pollState.markSeen([{ hash: 'h', expiresAt: 1 }]), (e) =>
          isStoreError(e, 'closed'),
        );
        await assert.rejects(store.deviceState.get(), (e) => isStoreError(e, 'closed'));
      },
    },
  ];
}
