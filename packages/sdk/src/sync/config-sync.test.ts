/**
 * `ConfigSync` over a small fake swarm (the real service-node path runs in
 * tests/simulation): two devices edit at once, push, pull, converge and report
 * `sync-updated`; a restored device gets everything; a foreign message is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64, fromHex, identityFromSeed, messageHash } from '@session-ts/core';
import { createMemoryStores } from '../stores/memory/memory-stores.ts';
import { createConfigSync, type ConfigSyncSwarm } from './config-sync.ts';
import { encodeConfigDocument } from './config-codec.ts';
import { contactsView, profileView, setContact, setProfile } from './config-views.ts';

const BOB = '05' + 'b'.repeat(64);

/** A swarm of one account: an ordered list per namespace, deduplicated by hash. */
function fakeSwarm(): ConfigSyncSwarm & { count(ns: number): number } {
  const lists = new Map<number, { hash: string; data: string }[]>();
  let t = 1_700_000_000_000;
  return {
    now: () => (t += 1),
    count: (ns) => lists.get(ns)?.length ?? 0,
    storageRpc(account, method, params) {
      const ns = params['namespace'] as number;
      const list = lists.get(ns) ?? [];
      lists.set(ns, list);
      if (method === 'store') {
        const data = params['data'] as string;
        const hash = messageHash(fromHex(account), ns, fromBase64(data));
        if (!list.some((m) => m.hash === hash)) list.push({ hash, data });
        return Promise.resolve({ status: 200, body: { hash }, node: 'n1' });
      }
      const after = params['last_hash'];
      const i = list.findIndex((m) => m.hash === after);
      return Promise.resolve({ status: 200, body: { messages: list.slice(i + 1) }, node: 'n1' });
    },
  };
}

test('two devices edit at once and converge; a restored device sees everything', async () => {
  const identity = identityFromSeed(new Uint8Array(32).fill(3));
  const swarm = fakeSwarm();
  const device = (id: string) =>
    createConfigSync({ identity, deviceId: id, store: createMemoryStores(), swarm });
  const a = device('a');
  const b = device('b');
  await a.change('userProfile', setProfile({ name: 'From A' }));
  await a.change('contacts', setContact(BOB, { approved: true }));
  await b.change('contacts', setContact(BOB, { nickname: 'Bobby' }));
  assert.deepEqual((await a.push()).pushed, ['userProfile', 'contacts']);
  await b.sync();
  const pulledByA = await a.sync();
  assert.deepEqual(
    pulledByA.updates.map((u) => [u.kind, u.changes.map((c) => c.field)]),
    [['contacts', ['nickname']]],
  );
  for (const kind of ['userProfile', 'contacts'] as const) {
    assert.deepEqual(
      encodeConfigDocument(await a.document(kind)),
      encodeConfigDocument(await b.document(kind)),
      kind,
    );
  }
  assert.deepEqual(contactsView(await b.document('contacts')).get(BOB), {
    approved: true,
    blocked: false,
    nickname: 'Bobby',
  });
  // Once converged, nothing more to push or pull.
  assert.deepEqual(await a.sync(), { updates: [], merged: 0, rejected: 0, failed: [], pushed: [] });
  // A device restored from the recovery password pulls the whole state.
  const c = device('c');
  const restored = await c.pull();
  assert.equal(restored.rejected, 0);
  assert.equal(profileView(await c.document('userProfile')).name, 'From A');
  assert.equal(contactsView(await c.document('contacts')).get(BOB)?.nickname, 'Bobby');
});

test('a config message under another key is rejected, not merged', async () => {
  const swarm = fakeSwarm();
  const me = identityFromSeed(new Uint8Array(32).fill(4));
  const mallory = identityFromSeed(new Uint8Array(32).fill(5));
  const sealed = createConfigSync({
    identity: mallory,
    deviceId: 'm',
    store: createMemoryStores(),
    swarm: {
      now: () => swarm.now(),
      // Mallory's message lands in our namespace (as if the swarm were hostile).
      storageRpc: (_account, method, params) => swarm.storageRpc(me.sessionId, method, params),
    },
  });
  await sealed.change('userProfile', setProfile({ name: 'evil' }));
  await sealed.push();
  const mine = createConfigSync({
    identity: me,
    deviceId: 'x',
    store: createMemoryStores(),
    swarm,
  });
  const r = await mine.pull();
  assert.equal(r.rejected, 1);
  assert.deepEqual(profileView(await mine.document('userProfile')), {});
});
