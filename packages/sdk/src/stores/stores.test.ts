/**
 * Every contract suite of the client store, run against each implementation: in memory, SQLite
 * `:memory:`, and the encrypted on-disk store `openClientStore` opens (passphrase, Argon2id at
 * test cost). Then what only SQLite can show: persistence across reopening, atomic batches,
 * `secure_delete` leaving no deleted text in the file, the device-state codec.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TEST_PASSPHRASE_KDF,
  createSystemRng,
  deviceIdFromBytes,
  initialDeviceState,
  SecretKey,
  createDeviceRecord,
  toHex,
} from '@session-ts/core';
import { isStoreError, openDatabase, schemaVersion } from '@session-ts/sqlite';
import {
  CLIENT_STORE_MIGRATIONS,
  accountStoreContract,
  clientStoreContract,
  configStoreContract,
  contactStoreContract,
  conversationStoreContract,
  createMemoryStores,
  createSqliteStores,
  deviceStateContract,
  fillSampleStore,
  openClientStore,
  outboxStoreContract,
  pollStateStoreContract,
  type ClientStore,
  type MakeClientStore,
} from '../index.ts';
import { testBytes } from '../test-support/contract-case.ts';
import { decodeDeviceState, encodeDeviceState } from './sqlite/device-state-codec.ts';

const rng = createSystemRng();
const dir = mkdtempSync(join(tmpdir(), 'session-ts-sdk-stores-'));
const opened: ClientStore[] = [];
after(async () => {
  for (const store of opened) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tracked(make: MakeClientStore): MakeClientStore {
  return async () => {
    const store = await make();
    opened.push(store);
    return store;
  };
}

let fileCount = 0;
const implementations: Record<string, MakeClientStore> = {
  memory: tracked(() => Promise.resolve(createMemoryStores())),
  'sqlite :memory:': tracked(() =>
    Promise.resolve(createSqliteStores(openDatabase({ path: ':memory:' }))),
  ),
  'sqlite encrypted file': tracked(() =>
    openClientStore({
      path: join(dir, `contract-${++fileCount}.db`),
      passphrase: 'contract passphrase',
      kdf: TEST_PASSPHRASE_KDF,
      rng,
    }),
  ),
};

for (const [name, make] of Object.entries(implementations)) {
  describe(name, () => {
    for (const suite of [
      accountStoreContract,
      deviceStateContract,
      contactStoreContract,
      conversationStoreContract,
      pollStateStoreContract,
      configStoreContract,
      outboxStoreContract,
      clientStoreContract,
    ]) {
      for (const c of suite(make)) test(c.name, c.run);
    }
  });
}

test('sqlite: the schema is at the newest migration and the data survives reopening', async () => {
  const path = join(dir, 'reopen.db');
  const open = () =>
    openClientStore({ path, keyFile: join(dir, 'reopen.key'), rng, synchronous: 'FULL' });
  const first = await open();
  const written = await fillSampleStore(first);
  await first.close();
  const second = await open();
  try {
    const account = await second.account.getAccount();
    assert.equal(toHex(account?.seed.exportBytes() ?? new Uint8Array()), toHex(written.seed));
    const bodies = (await second.conversations.listMessages(written.contactIds[0] ?? '')).map(
      (m) => m.body,
    );
    assert.deepEqual(bodies, written.messageBodies.slice(0, 2));
    assert.equal((await second.account.getSettings()).approvalRequired, true);
    assert.ok((await second.deviceState.get()) !== undefined);
  } finally {
    await second.close();
  }
  const db = openDatabase({ path: ':memory:' });
  createSqliteStores(db);
  assert.equal(schemaVersion(db), CLIENT_STORE_MIGRATIONS.length);
  db.close();
});

test('sqlite: a batch that fails half-way writes nothing', async () => {
  const store = createSqliteStores(openDatabase({ path: ':memory:' }));
  try {
    // STRICT tables refuse a fractional time: the second entry fails after the first was
    // written inside the transaction, and the first must be rolled back with it.
    await assert.rejects(
      store.pollState.markSeen([
        { hash: 'first', expiresAt: 10 },
        { hash: 'second', expiresAt: 10.5 },
      ]),
      (e) => isStoreError(e, 'constraint'),
    );
    assert.equal(await store.pollState.hasSeen('first'), false);
  } finally {
    await store.close();
  }
});

test('sqlite: deleted messages leave no text in the database or WAL (secure_delete)', async () => {
  // A plaintext database, so the bytes can be searched: what encryption hides from a thief,
  // secure_delete also removes from anyone who later learns the key.
  const path = join(dir, 'plain-delete.db');
  const store = createSqliteStores(openDatabase({ path }));
  const written = await fillSampleStore(store);
  const present = (text: string): boolean =>
    [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(text));
  assert.ok(written.messageBodies.every(present), 'the test can see plaintext');
  const alice = written.contactIds[0] ?? '';
  await store.conversations.deleteConversation(alice);
  assert.equal(present(written.messageBodies[0] ?? ''), false);
  assert.equal(present(written.messageBodies[1] ?? ''), false);
  assert.equal(present(new TextDecoder().decode(written.outboxContent)), false);
  assert.ok(present(written.messageBodies[2] ?? ''), "bob's conversation is still there");
  await store.wipe();
  assert.equal(present(written.messageBodies[2] ?? ''), false);
  await store.close();
});

test('sqlite: the device-state codec keeps bigints, maps, bytes and secrets', () => {
  const id = deviceIdFromBytes(testBytes('codec id', 32));
  const seed = new SecretKey('hybrid-key-seed', testBytes('codec seed', 32));
  const record = createDeviceRecord({
    seqno: 1,
    timestamp: 1_700_000_000,
    mlkemPublicKey: testBytes('mlkem', 1184),
    x25519PublicKey: testBytes('x', 32),
    extra: new Map<string, bigint | Uint8Array>([
      ['big', 2n ** 62n],
      ['raw', new Uint8Array([0, 255])],
    ]),
  });
  const base = initialDeviceState(id, [{ seed, created: 1_700_000_000 }]);
  const state = {
    ...base,
    devices: new Map([[toHex(id), { state: 'registered' as const, record }]]),
  };
  const back = decodeDeviceState(encodeDeviceState(state));
  const backRecord = back.devices.get(toHex(id))?.record;
  assert.equal(backRecord?.extra.get('big'), 2n ** 62n);
  assert.deepEqual(backRecord?.extra.get('raw'), new Uint8Array([0, 255]));
  assert.ok(back.deviceKeys[0]?.seed instanceof SecretKey);
  assert.equal(toHex(back.deviceKeys[0].seed.exportBytes()), toHex(seed.exportBytes()));
  assert.throws(
    () => encodeDeviceState({ ...state, readAt: Number.NaN }),
    (e) => isStoreError(e, 'invalid-input'),
  );
  assert.throws(
    () => decodeDeviceState('["x", 1]'),
    (e) => isStoreError(e, 'io'),
  );
});
