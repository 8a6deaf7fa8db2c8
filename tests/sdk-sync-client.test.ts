/**
 * Cross-package: config sync wired into `createClient`, against real service-node code (one
 * node, its storage RPC called directly through a `SwarmApi`). Alice's two devices share the
 * display name, contact approvals, read positions and disappearing settings through namespaces
 * 2–5; concurrent name changes converge to one value on both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@session-ts/sdk';
import { client, record, T0, world } from './support/single-node-world.ts';

async function twoDevices(): Promise<{
  w: ReturnType<typeof world>;
  a1: Client;
  a2: Client;
  bob: Client;
}> {
  const w = world();
  const make = (description: string): Client => client(w, description);
  const a1 = make('a1');
  const a2 = make('a2');
  const bob = make('bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const start = await a2.restoreAccount(created.recoveryPassword);
  assert.equal(start.kind, 'link-requested');
  await a1.poll();
  await a2.poll();
  assert.equal(await a2.confirmLink(), true);
  assert.equal(await a2.membership(), 'in-group');
  await a1.poll();
  return { w, a1, a2, bob };
}

test("config sync: the display name, an accepted request and the read position reach Alice's other device", async () => {
  const { w, a1, a2, bob } = await twoDevices();
  const a2Syncs = record(a2, 'sync-updated');

  // A1 sets the display name; A2 sees it after a poll, with a sync-updated event.
  await a1.setDisplayName('Alice');
  await a2.poll();
  assert.equal(await a2.displayName(), 'Alice');
  const profileEvent = a2Syncs.find((e) => e.source === 'config' && e.kind === 'userProfile');
  assert.equal(profileEvent?.namespace, 2);
  assert.ok(
    profileEvent?.changes?.some(
      (c) => c.record === 'self' && c.field === 'name' && c.value === 'Alice',
    ),
  );
  // A2 keeps sending as usual (its messages now carry the synced name).
  await a2.send(bob.sessionId(), 'hello from a2');
  const bobMessages = record(bob, 'message');
  await bob.poll();
  assert.equal(bobMessages[0]?.message.body, 'hello from a2');

  // Carol writes first: a request on both of Alice's devices. A1 accepts; A2 follows.
  const carol = client(w, 'carol');
  await carol.createAccount();
  await carol.send(a1.sessionId(), 'hi alice');
  await a1.poll();
  await a2.poll();
  const requestsOf = async (c: Client): Promise<string[]> =>
    (await c.listConversations({ requestState: 'request' })).map((x) => x.id);
  assert.deepEqual(await requestsOf(a1), [carol.sessionId()]);
  assert.deepEqual(await requestsOf(a2), [carol.sessionId()]);
  await a1.acceptRequest(carol.sessionId());
  await a2.poll();
  assert.deepEqual(await requestsOf(a2), []);
  const onA2 = (await a2.listConversations()).find((c) => c.id === carol.sessionId());
  assert.equal(onA2?.requestState, 'accepted');
  assert.ok(
    a2Syncs.some(
      (e) =>
        e.kind === 'contacts' &&
        e.changes?.some((c) => c.record === carol.sessionId() && c.field === 'approved'),
    ),
  );

  // A2 marks Carol's conversation read; A1's read position moves.
  w.clock.advance(1000);
  await carol.send(a1.sessionId(), 'are you there?');
  await a1.poll();
  await a2.poll();
  const before = (await a1.listConversations()).find((c) => c.id === carol.sessionId());
  await a2.markRead(carol.sessionId());
  const readOnA2 = (await a2.listConversations()).find((c) => c.id === carol.sessionId());
  assert.ok(readOnA2 !== undefined && readOnA2.readAt > (before?.readAt ?? 0));
  await a1.poll();
  const after = (await a1.listConversations()).find((c) => c.id === carol.sessionId());
  assert.equal(after?.readAt, readOnA2.readAt);

  // Disappearing setting and mute set on A1 reach A2.
  await a1.setDisappearing(carol.sessionId(), { mode: 'after-read', timerSeconds: 300 });
  await a1.setMuted(carol.sessionId(), T0 + 86_400_000);
  await a2.poll();
  const synced = (await a2.listConversations()).find((c) => c.id === carol.sessionId());
  assert.deepEqual(synced?.disappearing, { mode: 'after-read', timerSeconds: 300 });
  assert.equal(synced?.mutedUntil, T0 + 86_400_000);

  // Blocking on A2 blocks on A1.
  await a2.block(carol.sessionId());
  await a1.poll();
  const blocked = (await a1.listConversations()).find((c) => c.id === carol.sessionId());
  assert.equal(blocked?.requestState, 'blocked');
});

test('config sync: concurrent display-name changes on two devices converge to one value', async () => {
  const { a1, a2 } = await twoDevices();
  await a1.setDisplayName('Alice from the laptop');
  await a2.setDisplayName('Alice from the phone');
  // Each device pulls the other's edit, merges by (seqno, device) and pushes the join if the
  // swarm does not hold it; a second round settles both on the same value.
  await a1.poll();
  await a2.poll();
  await a1.poll();
  await a2.poll();
  const n1 = await a1.displayName();
  const n2 = await a2.displayName();
  assert.equal(n1, n2);
  assert.ok(n1 === 'Alice from the laptop' || n1 === 'Alice from the phone');

  // A later edit on either device wins over both.
  await a2.setDisplayName('Alice');
  await a1.poll();
  assert.equal(await a1.displayName(), 'Alice');
});
