/**
 * Cross-package: the device group's edges through the SDK (docs/sdk.md "Accounts and devices";
 * docs/protocol-v2.md "Membership (§12–§13)"; core's `v2/membership`), with real clients against
 * real service-node code and a manual clock (tests/support/single-node-world.ts):
 *
 * - two devices restore the same account at the same moment with no group visible: two groups
 *   appear; core resolves nothing by itself (each stays `in-group`, each is told once: a
 *   `security-notice` of kind `group-appeared`), and contacts use whichever group published its
 *   key last. The device that lost that race (it reports Bob's message undecryptable) calls
 *   `joinGroup`, is admitted after the SAS and leaves its own; then the two exchange sync copies
 *   and both read the contact, and a later device asks the surviving group;
 * - displacement: a copy of a device (a restored backup, same device ID) changes its record; the
 *   original finds itself `displaced` (not removed), leaves its inbox unread, rejoins under a new
 *   ID after the SAS and then reads what was sent meanwhile;
 * - `leave()`: the remaining devices rotate on reading the `−t`, so the contact's next message is
 *   unreadable with every key the departed device held (attack: it kept them);
 * - devices offline for 20 days catch up on what the swarm still holds, nothing undecryptable,
 *   also when one runs its schedules before polling (it fetches before it pushes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentAccountKey,
  decryptIncomingDm,
  identityFromSeed,
  retainedAccountKeys,
  seedFromRecoveryPassword,
  toHex,
  type AccountKeyRing,
  type Identity,
} from '@session-ts/core';
import { createMemoryStores, type Client, type ClientStore, type SwarmApi } from '@session-ts/sdk';
import {
  client,
  linkDevice,
  record,
  retrieveAs,
  world,
  type World,
} from './support/single-node-world.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Swarm views for `n` devices whose first namespace-21 fetch answers only once all `n` have
 * fetched: they restore "at the same moment", each seeing the swarm as it was before any push.
 */
function atTheSameMoment(w: World, n: number): SwarmApi[] {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  return Array.from({ length: n }, () => {
    let first = true;
    const view: SwarmApi = {
      now: () => w.swarm.now(),
      async storageRpc(account, method, params) {
        const answer = await w.swarm.storageRpc(account, method, params);
        if (first && method === 'retrieve' && params['namespace'] === 21) {
          first = false;
          if (++arrived === n) open();
          await gate;
        }
        return answer;
      },
    };
    return view;
  });
}

/** The raw namespace-0 messages of `identity`'s swarm, as anyone holding the root seed reads them. */
async function inbox(w: World, identity: Identity): Promise<Uint8Array[]> {
  return (await retrieveAs(w, identity, 0)).map((m) => m.data);
}

const linked = linkDevice;

/** Whether any of `data` opens with the account keys in `ring` (at time `nowMs`). */
function opensWith(identity: Identity, ring: AccountKeyRing, data: Uint8Array, nowMs: number) {
  const keys = retainedAccountKeys(ring, Math.floor(nowMs / 1000));
  return decryptIncomingDm({ recipient: identity, accountKeys: keys, data }).ok;
}

async function bodies(c: Client, conversation: string): Promise<string[]> {
  return (await c.listMessages(conversation)).map((m) => m.body);
}

test('two devices restore at once with no group visible: two groups; the loser joins the winner', async () => {
  const w = world();
  const old = client(w, 'lost phone');
  const bob = client(w, 'bob');
  const created = await old.createAccount();
  await bob.createAccount();
  await bob.send(old.sessionId(), 'hello');
  await old.poll();
  // The only device is lost; 31 days on, its group message (30-day TTL) is gone from the swarm.
  w.clock.advance(31 * DAY);

  const [s1, s2] = atTheSameMoment(w, 2);
  const st1 = createMemoryStores();
  const st2 = createMemoryStores();
  const d1 = client({ ...w, swarm: s1 ?? w.swarm }, 'laptop', st1);
  const d2 = client({ ...w, swarm: s2 ?? w.swarm }, 'desktop', st2);
  const groupIn = async (st: ClientStore) =>
    toHex((await st.deviceState.get())?.groupId ?? new Uint8Array());
  const seen = (c: Client) => ({
    membership: record(c, 'membership-changed'),
    removed: record(c, 'device-removed'),
    linked: record(c, 'device-linked'),
    notices: record(c, 'security-notice'),
    messages: record(c, 'message'),
  });
  const e1 = seen(d1);
  const e2 = seen(d2);
  const starts = await Promise.all([
    d1.restoreAccount(created.recoveryPassword),
    d2.restoreAccount(created.recoveryPassword),
  ]);
  // Neither saw a group, so each started one: two groups of one account.
  assert.deepEqual(
    starts.map((s) => s.kind),
    ['new-group', 'new-group'],
  );
  const g1 = await groupIn(st1);
  const g2 = await groupIn(st2);
  assert.notEqual(g1, g2);
  for (const e of [e1, e2]) {
    assert.deepEqual(
      e.membership.map((m) => m.membership),
      ['no-group', 'in-group'],
    );
  }

  // Each learns of the other group on its next poll, once, and stays in its own (core decides
  // nothing: the user does). Nobody is removed or displaced.
  w.clock.advance(1000);
  await d1.poll();
  await d2.poll();
  await d1.poll();
  await d2.poll();
  const appeared = (e: typeof e1) =>
    e.notices.filter((n) => n.kind === 'group-appeared').map((n) => [n.accountId, n.detail]);
  assert.deepEqual(appeared(e1), [[d1.sessionId(), g2]]);
  assert.deepEqual(appeared(e2), [[d2.sessionId(), g1]]);
  assert.equal(await d1.membership(), 'in-group');
  assert.equal(await d2.membership(), 'in-group');

  // Bob writes to the key −21 holds: the group that published last. The other device cannot
  // read it (the hazard the notice is about).
  await bob.send(d1.sessionId(), 'during the fork');
  const r1 = await d1.poll();
  const r2 = await d2.poll();
  assert.equal(r1.undecryptable + r2.undecryptable, 1);
  assert.equal(r1.handled + r2.handled, 1);
  const [winner, loser, ew, el, gw, sl] =
    r1.handled === 1 ? [d1, d2, e1, e2, g1, st2] : ([d2, d1, e2, e1, g2, st1] as const);
  assert.deepEqual(
    el.notices.filter((n) => n.kind === 'undecryptable').map((n) => n.accountId),
    [loser.sessionId()],
  );

  // The loser joins the winner's group. Confirming before the admission admits nothing yet.
  const join = await loser.joinGroup(gw);
  assert.equal(join.kind, 'link-requested');
  assert.equal(await loser.confirmLink(), false, 'not admitted before the other device accepts');
  assert.equal(await loser.membership(), 'in-group', 'still in its own group meanwhile');
  const prompts = record(winner, 'device-link-requested');
  await winner.poll();
  assert.equal(prompts.length, 1);
  assert.equal(prompts[0]?.sas.standard, join.kind === 'link-requested' ? join.sas.standard : '');
  assert.equal(prompts[0]?.deviceId, await loser.deviceId(), 'it keeps its device ID');
  await loser.poll(); // the admission arrives; the SAS was confirmed: applied
  assert.deepEqual(
    el.linked.map((e) => e.self),
    [true],
  );
  assert.deepEqual(ew.linked, [{ deviceId: await loser.deviceId(), self: false }]);
  await winner.poll();
  for (const c of [winner, loser]) {
    const devices = await c.listDevices();
    assert.deepEqual(
      devices
        .filter((d) => d.state === 'registered')
        .map((d) => d.id)
        .sort(),
      [await winner.deviceId(), await loser.deviceId()].sort(),
    );
  }
  // Events the user saw: no membership change after the first, nobody removed.
  for (const e of [e1, e2]) {
    assert.deepEqual(
      e.membership.map((m) => m.membership),
      ['no-group', 'in-group'],
    );
    assert.deepEqual(e.removed, []);
  }
  assert.equal(await groupIn(sl), gw, 'the loser is in the winner group now');

  // Sync copies both ways; Bob's next message reaches both.
  await winner.acceptRequest(bob.sessionId());
  await loser.poll();
  await winner.send(bob.sessionId(), 'from the winner');
  await loser.send(bob.sessionId(), 'from the loser');
  await winner.poll();
  await loser.poll();
  const sentCopies = (e: typeof e1) =>
    e.messages.filter((m) => m.message.direction === 'outgoing').map((m) => m.message.body);
  assert.deepEqual(sentCopies(ew), ['from the loser']);
  assert.deepEqual(sentCopies(el), ['from the winner']);
  await bob.poll();
  const bobGot = await bodies(bob, d1.sessionId());
  assert.ok(bobGot.includes('from the winner') && bobGot.includes('from the loser'));
  w.clock.advance(1000);
  await bob.send(d1.sessionId(), 'after the join');
  const after1 = await winner.poll();
  const after2 = await loser.poll();
  assert.deepEqual([after1.undecryptable, after2.undecryptable], [0, 0]);
  for (const e of [ew, el]) {
    assert.equal(e.messages.at(-1)?.message.body, 'after the join');
  }

  // A device restored later asks the surviving group (the newest), not the abandoned one.
  const tablet = client(w, 'tablet');
  const later = await tablet.restoreAccount(created.recoveryPassword);
  assert.equal(later.kind, 'link-requested');
  const asked = [record(winner, 'device-link-requested'), record(loser, 'device-link-requested')];
  await winner.poll();
  await loser.poll();
  for (const prompts of asked) {
    assert.deepEqual(
      prompts.map((p) => p.deviceId),
      [await tablet.deviceId()],
    );
  }
});

test('displacement: a restored copy of a device changes its record; the original rejoins after the SAS', async () => {
  const w = world();
  const laptopStore = createMemoryStores();
  const laptop = client(w, 'laptop', laptopStore);
  const bob = client(w, 'bob');
  const created = await laptop.createAccount();
  await bob.createAccount();
  await laptop.poll(); // reads back its own push: its device key is confirmed
  const oldId = await laptop.deviceId();

  // The laptop's data is restored onto a new machine: same account, same device ID and keys.
  const copyStore = createMemoryStores();
  const account = await laptopStore.account.getAccount();
  const snapshot = await laptopStore.deviceState.get();
  assert.ok(account !== undefined && snapshot !== undefined);
  await copyStore.account.putAccount(account);
  await copyStore.deviceState.put(snapshot);
  const copy = client(w, 'laptop', copyStore);
  assert.equal(await copy.open(), true);
  assert.equal(await copy.deviceId(), oldId);

  // The old laptop sits in a drawer for 8 days; the copy runs its schedules: a new device key
  // (7 days) in its record under the shared ID, and new account keys, pushed to the group.
  const membership = record(laptop, 'membership-changed');
  const removed = record(laptop, 'device-removed');
  const notices = record(laptop, 'security-notice');
  w.clock.advance(8 * DAY);
  await copy.tick();
  const copied = await copyStore.deviceState.get();
  assert.equal(copied?.deviceKeys.length, snapshot.deviceKeys.length + 1, 'a new device key');
  assert.equal(copied?.accountKeys.length, snapshot.accountKeys.length + 1, 'a new account key');
  await copy.poll();
  // Bob writes (to the copy's new account key) before the original next polls.
  await bob.send(laptop.sessionId(), 'while displaced');

  // The original reads a newer message of its own group that it cannot open, more than 5 min
  // after the last it read: displaced, which is not a removal (nobody kicked it).
  const displacedPoll = await laptop.poll();
  assert.equal(await laptop.membership(), 'displaced');
  // It leaves the inbox alone until it holds the group's keys again (reading it now would burn
  // Bob's message as undecryptable).
  assert.deepEqual(displacedPoll, { handled: 0, undecryptable: 0 });
  assert.deepEqual(
    membership.map((m) => m.membership),
    ['displaced'],
  );
  assert.deepEqual(removed, []);
  assert.deepEqual(notices, [], 'no group-appeared (it is our own group), nothing undecryptable');
  // A displaced device no longer acts for the group: its schedules do nothing.
  w.clock.advance(HOUR);
  const before = await laptopStore.deviceState.get();
  await laptop.tick();
  assert.deepEqual(await laptopStore.deviceState.get(), before);

  // Rejoin: a new device ID, a link request the copy (the group) accepts; admitted after the SAS.
  const prompts = record(copy, 'device-link-requested');
  const linked = record(laptop, 'device-linked');
  const again = await laptop.rejoin();
  assert.equal(again.kind, 'link-requested');
  const newId = await laptop.deviceId();
  assert.notEqual(newId, oldId);
  await copy.poll();
  assert.equal(prompts[0]?.deviceId, newId);
  assert.equal(prompts[0]?.sas.standard, again.kind === 'link-requested' ? again.sas.standard : '');
  await laptop.poll();
  assert.equal(await laptop.membership(), 'waiting', 'held until the user confirms');
  assert.equal(await laptop.confirmLink(), true);
  assert.equal(await laptop.membership(), 'in-group');
  assert.deepEqual(linked, [{ deviceId: newId, self: true }]);
  assert.deepEqual(
    membership.map((m) => m.membership),
    // rejoin's fetch, as a new device, sees the group; its request waits; the admission.
    ['displaced', 'groups-visible', 'waiting', 'in-group'],
  );
  assert.deepEqual(removed, []);
  await copy.poll();
  const devices = await copy.listDevices();
  assert.deepEqual(
    devices
      .filter((d) => d.state === 'registered')
      .map((d) => d.id)
      .sort(),
    [oldId, newId].sort(),
    'the copy keeps the old ID; the laptop is a new device',
  );

  // Back in the group, the laptop reads what Bob sent while it was displaced, and what he sends
  // now, as does the copy.
  const got = record(laptop, 'message');
  const summary = await laptop.poll();
  w.clock.advance(1000);
  await bob.send(laptop.sessionId(), 'after the rejoin');
  await laptop.poll();
  assert.deepEqual(
    got.map((e) => e.message.body),
    ['while displaced', 'after the rejoin'],
  );
  assert.equal(summary.undecryptable, 0);
  await copy.poll();
  assert.deepEqual(await bodies(copy, bob.sessionId()), ['while displaced', 'after the rejoin']);
  assert.equal(created.sessionId, laptop.sessionId());
});

test("leave(): the others rotate on reading the −t; the contact's next message is closed to the departed device", async () => {
  const w = world();
  const a1Store = createMemoryStores();
  const a2Store = createMemoryStores();
  const a1 = client(w, 'a1', a1Store);
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const identity = identityFromSeed(seedFromRecoveryPassword(created.recoveryPassword));
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1, a2Store);
  const leaverStore = createMemoryStores();
  const a3 = await linked(w, created.recoveryPassword, 'a3', a1, leaverStore);
  await a2.poll();
  const a3Id = await a3.deviceId();
  await bob.send(a1.sessionId(), 'before the departure');
  const a3Seen = record(a3, 'message');
  await a3.poll();
  assert.deepEqual(
    a3Seen.map((e) => e.message.body),
    ['before the departure'],
  );

  // The attacker's view: everything the departed device held, kept past its departure.
  const kept = (await leaverStore.deviceState.get())?.accountKeys ?? [];
  const ring = async (c: ClientStore) => (await c.deviceState.get())?.accountKeys ?? [];
  const current = (r: AccountKeyRing) =>
    toHex(currentAccountKey(r)?.seed.exportBytes() ?? new Uint8Array());
  const beforeDeparture = (await inbox(w, identity)).at(-1);
  assert.ok(beforeDeparture !== undefined);
  assert.equal(
    opensWith(identity, kept, beforeDeparture, w.clock.now()),
    true,
    'the harness: the kept keys open what was sent before',
  );

  w.clock.advance(60_000);
  const removedOn = [record(a1, 'device-removed'), record(a2, 'device-removed')];
  const a3Removed = record(a3, 'device-removed');
  const a3Membership = record(a3, 'membership-changed');
  assert.equal(await a3.leave(), true);
  assert.deepEqual(
    a3Membership.map((e) => e.membership),
    ['groups-visible'],
    'the UI learns at once',
  );
  // It forgot the group, its keys included, and reads nothing more.
  assert.deepEqual(await ring(leaverStore), []);
  assert.equal(await a3.membership(), 'groups-visible');
  assert.deepEqual(await a3.poll(), { handled: 0, undecryptable: 0 });
  assert.deepEqual(a3Removed, [], 'leaving is not a removal');

  // The others read the −t on their next poll: a departure (reason left), and a new account key.
  await a1.poll();
  await a2.poll();
  await a1.poll();
  for (const events of removedOn) {
    assert.deepEqual(events, [{ deviceId: a3Id, self: false, reason: 'left' }]);
  }
  const a1Devices = await a1.listDevices();
  assert.equal(a1Devices.find((d) => d.id === a3Id)?.state, 'left');
  // Both rotated on reading it (the rotations crossed); merged, they share one new current key.
  const [k1, k2] = [current(await ring(a1Store)), current(await ring(a2Store))];
  assert.equal(k1, k2);
  assert.notEqual(k1, current(kept));

  // Bob sends right after: his send re-reads −21 and uses the new key.
  await bob.send(a1.sessionId(), 'after the departure');
  const newest = (await inbox(w, identity)).at(-1);
  assert.ok(newest !== undefined && newest !== beforeDeparture);
  assert.equal(opensWith(identity, kept, newest, w.clock.now()), false, 'closed to the kept keys');
  const got = [record(a1, 'message'), record(a2, 'message')];
  for (const c of [a1, a2]) assert.equal((await c.poll()).undecryptable, 0);
  for (const events of got) {
    assert.deepEqual(
      events.map((e) => e.message.body),
      ['after the departure'],
    );
  }
});

test('a device offline for 20 days catches up on what the swarm still holds, nothing undecryptable', async () => {
  const w = world();
  const a1Store = createMemoryStores();
  const a1 = client(w, 'a1', a1Store);
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const a2Store = createMemoryStores();
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1, a2Store);
  const a3Store = createMemoryStores();
  const a3 = await linked(w, created.recoveryPassword, 'a3', a1, a3Store);
  await a2.poll();
  await bob.send(a1.sessionId(), 'day 0');
  await a1.poll();
  await a1.acceptRequest(bob.sessionId());
  await a2.poll();
  await a3.poll();
  const startRing = (await a2Store.deviceState.get())?.accountKeys ?? [];

  // a2 and a3 go dark. a1 runs every 6 hours (schedules, then a poll); Bob writes on some days and
  // a1 answers (sync copies for a2). DMs live 14 days, so days 1 and 3 are gone by day 20.
  const a2Got = record(a2, 'message');
  const a2Notices = record(a2, 'security-notice');
  const a3Got = record(a3, 'message');
  const a3Notices = record(a3, 'security-notice');
  const days = [1, 3, 8, 12, 19];
  for (let t = 6; t <= 20 * 24; t += 6) {
    w.clock.advance(6 * HOUR);
    await a1.tick();
    await a1.poll();
    if (t % 24 === 0 && days.includes(t / 24)) {
      await bob.send(a1.sessionId(), `bob, day ${t / 24}`);
      await a1.poll();
      await a1.send(bob.sessionId(), `a1, day ${t / 24}`);
    }
  }
  const a1Ring = (await a1Store.deviceState.get())?.accountKeys ?? [];
  const startSeeds = new Set(startRing.map((k) => toHex(k.seed.exportBytes())));
  assert.ok(a1Ring.length >= 20, 'the others rotated many times meanwhile');
  assert.ok(
    !a1Ring.some((k) => startSeeds.has(toHex(k.seed.exportBytes()))),
    'every key a2 held is pruned (16 days) from the ring',
  );

  // a2 comes back: it polls first (then runs its schedules, as an app does on start).
  const back = await a2.poll();
  assert.equal(back.undecryptable, 0);
  assert.deepEqual(
    a2Notices.filter((n) => n.kind === 'undecryptable'),
    [],
  );
  assert.equal(await a2.membership(), 'in-group');
  const still = [
    'bob, day 8',
    'a1, day 8',
    'bob, day 12',
    'a1, day 12',
    'bob, day 19',
    'a1, day 19',
  ];
  assert.deepEqual(
    a2Got.map((e) => e.message.body),
    still,
  );
  await a2.tick();
  // Half an hour later a3 comes back the other way round: its schedules first. Both its keys
  // are due, but it fetches before it pushes: a push of its 20-day-old device table would be
  // encrypted to device keys a1 rotated away long ago, so a1 would never learn the account key
  // a3 publishes (and, past the 5-min grace, would find itself displaced).
  w.clock.advance(30 * 60_000);
  await a3.tick();
  await a1.poll();
  assert.equal(await a1.membership(), 'in-group');
  const a3Current = currentAccountKey((await a3Store.deviceState.get())?.accountKeys ?? []);
  const a1Seeds = ((await a1Store.deviceState.get())?.accountKeys ?? []).map((k) =>
    toHex(k.seed.exportBytes()),
  );
  assert.ok(a3Current !== undefined && a1Seeds.includes(toHex(a3Current.seed.exportBytes())));
  assert.equal((await a3.poll()).undecryptable, 0);
  assert.deepEqual(
    a3Got.map((e) => e.message.body),
    still,
  );
  await a1.poll();
  await a2.poll();

  // And on from there: Bob's next message reaches both, a2's sends reach a1.
  w.clock.advance(HOUR);
  await bob.send(a1.sessionId(), 'welcome back');
  await a2.send(bob.sessionId(), 'from a2, back');
  const a1Got = record(a1, 'message');
  assert.equal((await a1.poll()).undecryptable, 0);
  assert.equal((await a2.poll()).undecryptable, 0);
  assert.equal((await a3.poll()).undecryptable, 0);
  assert.equal(a2Got.at(-1)?.message.body, 'welcome back');
  assert.deepEqual(
    a3Got.slice(still.length).map((e) => e.message.body),
    ['welcome back', 'from a2, back'],
  );
  assert.deepEqual(
    a3Notices.filter((n) => n.kind === 'undecryptable'),
    [],
  );
  assert.deepEqual(
    a1Got.map((e) => e.message.body),
    ['welcome back', 'from a2, back'],
  );
  await bob.poll();
  assert.ok((await bodies(bob, a1.sessionId())).includes('from a2, back'));
});

test('a departure whose push fails is pushed by the next poll (the rotation is not left local)', async () => {
  const w = world();
  // a1's view of the swarm: its namespace-21 stores can be made to fail.
  let failGroupStores = false;
  let groupStores = 0;
  const a1View: World = {
    ...w,
    swarm: {
      now: () => w.swarm.now(),
      async storageRpc(account, method, params) {
        if (method === 'store' && params['namespace'] === 21) {
          if (failGroupStores) throw new Error('connection reset');
          groupStores++;
        }
        return w.swarm.storageRpc(account, method, params);
      },
    },
  };
  const a1 = client(a1View, 'a1');
  const created = await a1.createAccount();
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1);
  await a2.poll();
  await a2.leave();

  failGroupStores = true;
  await assert.rejects(a1.poll(), /connection reset/);
  failGroupStores = false;
  const before = groupStores;
  await a1.poll();
  assert.ok(groupStores > before, 'the owed group message went out on the next poll');
  const after = groupStores;
  await a1.poll();
  assert.equal(groupStores, after, 'and is owed no more');
});

test('a device back after 20 days that sends before polling: its sync copy opens on the others', async () => {
  const w = world();
  const a1 = client(w, 'a1');
  const bob = client(w, 'bob');
  const created = await a1.createAccount();
  await bob.createAccount();
  const a2 = await linked(w, created.recoveryPassword, 'a2', a1);
  await a2.poll();
  await bob.send(a1.sessionId(), 'hello');
  await a1.poll();
  await a1.acceptRequest(bob.sessionId());
  await a2.poll();
  for (let t = 0; t < 20 * 4; t++) {
    w.clock.advance(6 * HOUR);
    await a1.tick();
    await a1.poll();
  }
  // a2 wakes up and, before any poll or tick, answers Bob.
  await a2.send(bob.sessionId(), 'sorry, I was away');
  const a1Notices = record(a1, 'security-notice');
  await a1.poll();
  assert.deepEqual(
    a1Notices.filter((n) => n.kind === 'undecryptable'),
    [],
    'the sync copy was encrypted to a key a1 still holds',
  );
  assert.ok((await bodies(a1, bob.sessionId())).includes('sorry, I was away'));
  const bobGot = record(bob, 'message');
  await bob.poll();
  assert.deepEqual(
    bobGot.map((e) => e.message.body),
    ['sorry, I was away'],
  );
});
