/**
 * Cross-package: SDK clients (`createClient`) against real service-node code (one node, its
 * storage RPC called directly through a `SwarmApi`), with a clock the test moves. Alice and
 * Bob talk over V2 PFS both ways; a first message lands in requests; a second device links with
 * the SAS and reads new messages and sync copies; a removed device reads nothing new; a V1 or
 * weaker send is never silent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStores, type ClientStore } from '@session-ts/sdk';
import { identityFromSeed } from '@session-ts/core';
import { client, linkDevice, record, world } from './support/single-node-world.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

test('Alice and Bob: a first message lands in requests; PFS both ways; after-send expiry', async () => {
  const w = world();
  const alice = client(w, 'alice laptop');
  const bob = client(w, 'bob phone');
  await alice.createAccount();
  await bob.createAccount();
  const bobRequests = record(bob, 'request');
  const bobMessages = record(bob, 'message');
  const aliceMessages = record(alice, 'message');

  const sent = await alice.send(bob.sessionId(), 'hi bob');
  assert.equal(sent.status, 'sent');
  assert.equal(sent.security, 'pfs');
  await bob.poll();
  assert.equal(bobRequests.length, 1);
  assert.equal(bobMessages[0]?.message.body, 'hi bob');
  assert.equal(bobMessages[0]?.metadata.path, 'pfs');
  const requests = await bob.listConversations({ requestState: 'request' });
  assert.deepEqual(
    requests.map((c) => c.id),
    [alice.sessionId()],
  );

  await bob.acceptRequest(alice.sessionId());
  const reply = await bob.send(alice.sessionId(), 'hi alice');
  assert.equal(reply.security, 'pfs');
  await alice.poll();
  const texts = aliceMessages.map((e) => [e.message.body, e.metadata.path, e.message.direction]);
  assert.deepEqual(texts, [['hi alice', 'pfs', 'incoming']]);
  assert.equal((await alice.listConversations({ requestState: 'request' })).length, 0);
  // A second poll handles nothing again.
  assert.equal((await alice.poll()).handled, 0);

  // Disappearing after send: gone from Bob once the timer runs out.
  await alice.setDisappearing(bob.sessionId(), { mode: 'after-send', timerSeconds: 60 });
  await alice.send(bob.sessionId(), 'this will vanish');
  await bob.poll();
  const vanishing = (await bob.listMessages(alice.sessionId())).find(
    (m) => m.body === 'this will vanish',
  );
  assert.ok(vanishing?.expiresAt !== undefined);
  const deleted = record(bob, 'message-deleted');
  w.clock.advance(61_000);
  await bob.tick();
  assert.deepEqual(
    deleted.map((d) => d.reason),
    ['expired'],
  );
});

test('a second device links with the SAS, reads new messages and sync copies; a removed one cannot', async () => {
  const w = world();
  const a1 = client(w, 'first');
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const prompts = record(a1, 'device-link-requested');

  const a2 = client(w, 'second');
  const start = await a2.restoreAccount(created.recoveryPassword);
  assert.equal(start.kind, 'link-requested');
  assert.equal(a2.sessionId(), a1.sessionId());
  await a1.poll(); // sees the request; approval not required, so admitted at once
  assert.equal(prompts.length, 1);
  assert.equal(start.kind === 'link-requested' ? start.sas.standard : '', prompts[0]?.sas.standard);
  const linked = record(a2, 'device-linked');
  await a2.poll();
  assert.equal(await a2.membership(), 'waiting'); // held until the user confirms
  assert.equal(await a2.confirmLink(), true);
  assert.equal(await a2.membership(), 'in-group');
  assert.deepEqual(
    linked.map((e) => e.self),
    [true],
  );
  await a1.poll();
  const devices = await a1.listDevices();
  assert.equal(devices.filter((d) => d.state === 'registered').length, 2);
  assert.ok(devices.some((d) => d.description === 'second'));

  // Bob writes; both of Alice's devices read it. Alice answers from a1; a2 gets the sync copy.
  const a2Messages = record(a2, 'message');
  const a1Messages = record(a1, 'message');
  await bob.send(a1.sessionId(), 'to all your devices');
  await a1.poll();
  await a2.poll();
  assert.equal(a1Messages[0]?.message.body, 'to all your devices');
  assert.equal(a2Messages[0]?.message.body, 'to all your devices');
  assert.equal(a2Messages[0]?.metadata.path, 'pfs');
  const syncs = record(a2, 'sync-updated');
  const sentSyncs = (): number => syncs.filter((e) => e.source === 'sent-message').length;
  await a1.send(bob.sessionId(), 'sent from a1');
  await a2.poll();
  assert.equal(sentSyncs(), 1);
  const mirrored = (await a2.listMessages(bob.sessionId())).find((m) => m.body === 'sent from a1');
  assert.equal(mirrored?.direction, 'outgoing');

  // Remove a2: the account key rotates and is republished; Bob's keys were fetched seconds
  // ago, but every send re-reads −21 (keyRecheckMs 0), so his next message uses the new key.
  const removedEvents = record(a2, 'device-removed');
  assert.equal(await a1.removeDevice(await a2.deviceId()), true);
  w.clock.advance(1000);
  await bob.send(a1.sessionId(), 'after the removal');
  const summary = await a2.poll();
  assert.deepEqual(
    removedEvents.map((e) => e.self),
    [true],
  );
  assert.equal(summary.undecryptable, 1);
  assert.ok(!a2Messages.some((e) => e.message.body === 'after the removal'));
  await a1.poll();
  assert.ok(a1Messages.some((e) => e.message.body === 'after the removal'));

  // The removed device may ask again, under a new identity, and is admitted after the SAS.
  const oldId = await a2.deviceId();
  const again = await a2.rejoin();
  assert.equal(again.kind, 'link-requested');
  assert.notEqual(await a2.deviceId(), oldId);
  await a1.poll();
  await a2.confirmLink();
  await a2.poll();
  assert.equal(await a2.membership(), 'in-group');
  await bob.send(a1.sessionId(), 'welcome back');
  await a2.poll();
  assert.equal(a2Messages.at(-1)?.message.body, 'welcome back');
});

test('weaker sends are never silent: V1 to a contact without V2, refused for a V2 contact', async () => {
  const w = world();
  const alice = client(w, 'alice');
  const carol = client(w, 'carol');
  await alice.createAccount();
  await carol.createAccount();
  const notices = record(alice, 'security-notice');

  // Dave has never published V2 keys: V1, as the default policy's fallback, with a notice.
  const dave = identityFromSeed(new Uint8Array(32).fill(77)).sessionId;
  const toDave = await alice.send(dave, 'hello dave');
  assert.equal(toDave.security, 'v1');
  assert.deepEqual(
    notices.map((n) => [n.kind, n.accountId]),
    [['weaker-send', dave]],
  );

  // A network failure while fetching keys is not a reason to downgrade: the send waits.
  const erin = client(w, 'erin');
  await erin.createAccount();
  w.unreachable.add(erin.sessionId());
  const waiting = await alice.send(erin.sessionId(), 'hello erin');
  assert.equal(waiting.status, 'queued');
  w.unreachable.delete(erin.sessionId());
  w.clock.advance(10_000);
  await alice.tick();
  const later = (await alice.listMessages(erin.sessionId())).find((m) => m.body === 'hello erin');
  assert.equal(later?.status, 'sent');
  assert.equal(later?.security, 'pfs');
  assert.equal(notices.length, 1);

  // Carol has V2 keys. An attacker then strips her −21 message; after 17 days Alice's cached
  // keys are past use and the send is refused, with a notice, rather than downgraded.
  assert.equal((await alice.send(carol.sessionId(), 'first')).security, 'pfs');
  const carolMessages = record(carol, 'message');
  await carol.poll();
  w.stripped.add(carol.sessionId());
  w.clock.advance(17 * DAY);
  const refused = await alice.send(carol.sessionId(), 'second');
  assert.equal(refused.status, 'failed');
  assert.equal(refused.security, undefined);
  assert.equal(notices.at(-1)?.kind, 'downgrade-refused');
  // Nothing reached Carol's swarm for it.
  await carol.poll();
  assert.deepEqual(
    carolMessages.map((e) => e.message.body),
    ['first'],
  );
});

test('approval required; scheduled rotation keeps messages flowing; unsend; read receipts; after read', async () => {
  const w = world();
  const store: ClientStore = createMemoryStores();
  const a1 = client(w, 'first', store);
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  await store.account.updateSettings({ approvalRequired: true, readReceipts: true });
  const prompts = record(a1, 'device-link-requested');

  // With approval required, nothing happens until an existing device approves.
  const a2 = client(w, 'second');
  const start = await a2.restoreAccount(created.recoveryPassword);
  assert.equal(start.kind, 'link-requested');
  await a2.confirmLink();
  await a1.poll();
  assert.equal(prompts[0]?.autoApproved, false);
  await a2.poll();
  assert.equal(await a2.membership(), 'waiting');
  assert.equal(await a1.approveDevice(prompts[0]?.requestId ?? -1), true);
  await a2.poll();
  assert.equal(await a2.membership(), 'in-group');

  // Bob learns Alice's keys; 13 h later a1 rotates on schedule (a missed schedule catches up
  // at the first tick); Bob's cached (older) key still opens on both devices, and after his
  // cache goes stale he uses the new one.
  const a2Bodies = record(a2, 'message');
  await bob.send(a1.sessionId(), 'before rotation');
  const before = (await store.deviceState.get())?.accountKeys.length ?? 0;
  w.clock.advance(13 * HOUR);
  await a1.tick();
  assert.equal((await store.deviceState.get())?.accountKeys.length, before + 1);
  await a2.poll(); // learns the new key from the group message
  await bob.send(a1.sessionId(), 'right after rotation');
  w.clock.advance(12 * HOUR);
  await bob.send(a1.sessionId(), 'with the new key');
  await a2.poll();
  assert.deepEqual(
    a2Bodies.map((e) => e.message.body),
    ['before rotation', 'right after rotation', 'with the new key'],
  );

  // Read receipts reach Bob; Bob unsends one; it disappears on both of Alice's devices.
  const receipts = record(bob, 'receipt');
  await a1.poll();
  await a1.acceptRequest(bob.sessionId());
  await a1.markRead(bob.sessionId());
  await bob.poll();
  assert.equal(receipts.at(-1)?.kind, 'read');
  const bobSent = (await bob.listMessages(a1.sessionId())).find(
    (m) => m.body === 'with the new key',
  );
  assert.equal(bobSent?.status, 'read');
  const deletedOnA2 = record(a2, 'message-deleted');
  assert.equal(await bob.unsend(bobSent?.id ?? ''), true);
  await a1.poll();
  await a2.poll();
  assert.ok(!(await a1.listMessages(bob.sessionId())).some((m) => m.body === 'with the new key'));
  assert.deepEqual(
    deletedOnA2.map((d) => d.reason),
    ['unsent'],
  );

  // Disappear after read: the timer starts when Alice reads.
  await bob.setDisappearing(a1.sessionId(), { mode: 'after-read', timerSeconds: 30 });
  await bob.send(a1.sessionId(), 'read me once');
  await a1.poll();
  const unread = (await a1.listMessages(bob.sessionId())).find((m) => m.body === 'read me once');
  assert.equal(unread?.expiresAt, undefined);
  await a1.markRead(bob.sessionId());
  const read = (await a1.listMessages(bob.sessionId())).find((m) => m.body === 'read me once');
  assert.equal(read?.expiresAt, w.clock.now() + 30_000);
  w.clock.advance(31_000);
  await a1.tick();
  assert.ok(!(await a1.listMessages(bob.sessionId())).some((m) => m.body === 'read me once'));
});

test("the removal window is the contacts' key recheck age: 0 by default, a set age opens it", async () => {
  // The attack: a removed device keeps every account key up to its removal and the root seed
  // (so it can still retrieve the inbox). What it reads is whatever contacts encrypt to a key
  // it holds after the removal.
  const w = world();
  const a1 = client(w, 'a1');
  const created = await a1.createAccount();
  const strict = client(w, 'bob');
  const lax = client(w, 'carol', createMemoryStores(), { keyRecheckMs: 10 * 60_000 });
  await strict.createAccount();
  await lax.createAccount();
  const a2 = await linkDevice(w, created.recoveryPassword, 'a2', a1);
  // Both contacts fetch and cache Alice's current keys.
  await strict.send(a1.sessionId(), 'before, from bob');
  await lax.send(a1.sessionId(), 'before, from carol');
  const seen = record(a2, 'message');
  await a2.poll();
  assert.deepEqual(seen.map((e) => e.message.body).sort(), [
    'before, from bob',
    'before, from carol',
  ]);

  assert.equal(await a1.removeDevice(await a2.deviceId()), true);
  w.clock.advance(60_000);
  await strict.send(a1.sessionId(), 'one minute later, from bob');
  await lax.send(a1.sessionId(), 'one minute later, from carol');
  await a2.poll();
  const read = seen.map((e) => e.message.body);
  assert.ok(!read.includes('one minute later, from bob'), 'default: nothing after the removal');
  assert.ok(read.includes('one minute later, from carol'), 'a 10-minute recheck age is a window');

  // Past the recheck age Carol re-reads −21 too, and the window closes.
  w.clock.advance(10 * 60_000);
  await lax.send(a1.sessionId(), 'eleven minutes later, from carol');
  await a2.poll();
  assert.ok(!seen.some((e) => e.message.body === 'eleven minutes later, from carol'));
  const a1Seen = record(a1, 'message');
  await a1.poll();
  assert.deepEqual(
    a1Seen
      .map((e) => e.message.body)
      .filter((b) => !b.startsWith('before'))
      .sort(),
    [
      'eleven minutes later, from carol',
      'one minute later, from bob',
      'one minute later, from carol',
    ],
    'the remaining device reads all three',
  );
});

test('a send whose key recheck cannot reach the swarm waits instead of using cached keys', async () => {
  const w = world();
  const alice = client(w, 'alice');
  const bob = client(w, 'bob');
  await alice.createAccount();
  await bob.createAccount();
  await bob.send(alice.sessionId(), 'first');
  w.unreachable.add(alice.sessionId());
  w.clock.advance(5000);
  await bob.send(alice.sessionId(), 'while unreachable');
  const queued = (await bob.listMessages(alice.sessionId())).find(
    (m) => m.body === 'while unreachable',
  );
  assert.equal(queued?.status, 'queued');
  w.unreachable.delete(alice.sessionId());
  w.clock.advance(60_000);
  await bob.tick();
  const got = record(alice, 'message');
  await alice.poll();
  assert.deepEqual(
    got.map((e) => e.message.body),
    ['first', 'while unreachable'],
  );
});

test('two devices of one account sending in the same millisecond: both messages survive', async () => {
  const w = world();
  const a1 = client(w, 'a1');
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const a2 = await linkDevice(w, created.recoveryPassword, 'a2', a1);
  await bob.send(a1.sessionId(), 'hi');
  await a1.poll();
  await a1.acceptRequest(bob.sessionId());
  await a2.poll();
  // Both sends read the same clock, so carry the same sentAt and the same messageId.
  w.clock.advance(10);
  const m1 = await a1.send(bob.sessionId(), 'from the laptop');
  const m2 = await a2.send(bob.sessionId(), 'from the phone');
  assert.equal(m1.id, m2.id, 'the precondition: one messageId for both');
  await bob.poll();
  await a1.poll();
  await a2.poll();
  for (const [who, c] of [
    ['bob', bob],
    ['a1', a1],
    ['a2', a2],
  ] as const) {
    const bodies = (await c.listMessages(c === bob ? a1.sessionId() : bob.sessionId()))
      .map((m) => m.body)
      .sort();
    assert.deepEqual(bodies, ['from the laptop', 'from the phone', 'hi'], who);
  }
});
