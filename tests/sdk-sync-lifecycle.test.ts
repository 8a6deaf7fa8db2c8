/**
 * Cross-package: the life cycle of synced config and of deleted conversations (docs/sdk-sync.md
 * "Superseded messages, re-pushes, deletions"), with SDK clients against real service-node code
 * (tests/support/single-node-world.ts):
 *
 * - a push deletes the config messages it supersedes, so the swarm holds the newest only;
 * - an idle account's config outlives the messages' 30-day TTL because a polling device
 *   re-pushes it before it runs out (a device linked after 40 days still gets the name);
 * - deleting a conversation deletes it, its messages and the contact's keys on every device of
 *   the account and in the account's swarm, so a device that polls later does not get it back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityFromSeed, seedFromRecoveryPassword } from '@session-ts/core';
import { client, linkDevice, record, retrieveAs, world } from './support/single-node-world.ts';

const DAY = 24 * 3600_000;

const swarmHolds = retrieveAs;
const linked = linkDevice;

test('a config push deletes what it supersedes; an idle account re-pushes before the TTL', async () => {
  const w = world();
  const a1 = client(w, 'a1');
  const created = await a1.createAccount();
  const identity = identityFromSeed(seedFromRecoveryPassword(created.recoveryPassword));
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1);

  for (const name of ['one', 'two', 'three', 'four']) {
    await a1.setDisplayName(name);
    await a2.poll();
  }
  await a2.setDisplayName('five');
  await a1.poll();
  const held = await swarmHolds(w, identity, 2);
  assert.equal(held.length, 1, 'only the newest profile message is left');
  assert.equal(await a1.displayName(), 'five');

  // 40 days without edits; a1 runs (tick: rotations; poll) every 10. Without re-pushes the
  // profile message would expire on day 30.
  for (let day = 10; day <= 40; day += 10) {
    w.clock.advance(10 * DAY);
    await a1.tick();
    await a1.poll();
    const now = w.clock.now();
    const live = await swarmHolds(w, identity, 2);
    assert.ok(live.length >= 1, `day ${day}: the profile is still in the swarm`);
    assert.ok(
      Math.max(...live.map((m) => m.expiration)) - now > 14 * DAY,
      `day ${day}: it expires more than 14 days from now`,
    );
  }
  const late = await linked(w, created.recoveryPassword, 'late', a1);
  await late.poll();
  assert.equal(await late.displayName(), 'five');
});

test('deleting a conversation deletes it everywhere: other devices, keys, our swarm', async () => {
  const w = world();
  const a1 = client(w, 'a1');
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const identity = identityFromSeed(seedFromRecoveryPassword(created.recoveryPassword));
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1);

  await bob.send(a1.sessionId(), 'hello alice');
  await a1.poll();
  await a1.acceptRequest(bob.sessionId());
  await a1.send(bob.sessionId(), 'hi bob');
  await a2.poll();
  assert.equal((await a2.listMessages(bob.sessionId())).length, 2);
  const inboxBefore = (await swarmHolds(w, identity, 0)).length;

  const synced = record(a2, 'sync-updated');
  assert.equal(await a1.deleteConversation(bob.sessionId()), true);
  assert.equal((await a1.listConversations()).length, 0);
  assert.equal(await a1.deleteConversation(bob.sessionId()), false, 'nothing left to delete');
  await a2.poll();
  assert.deepEqual(await a2.listConversations(), [], 'the removal reached a2');
  assert.equal((await a2.listMessages(bob.sessionId())).length, 0);
  assert.ok(
    synced.some((e) => e.source === 'config' && (e.changes ?? []).some((c) => c.value === false)),
    'a2 saw the removal as a sync update',
  );
  assert.ok((await swarmHolds(w, identity, 0)).length < inboxBefore, 'our swarm copies went');

  // A device linked now polls the inbox from the start: the conversation does not come back.
  const a3 = await linked(w, created.recoveryPassword, 'a3', a1);
  await a3.poll();
  assert.deepEqual(await a3.listConversations(), []);

  // Bob writes again: a new request, as with a stranger (the contact was deleted too).
  await bob.send(a1.sessionId(), 'are you there?');
  await a1.poll();
  const again = await a1.listConversations();
  assert.deepEqual(
    again.map((c) => [c.id, c.requestState]),
    [[bob.sessionId(), 'request']],
  );
  assert.deepEqual(
    (await a1.listMessages(bob.sessionId())).map((m) => m.body),
    ['are you there?'],
  );
});
