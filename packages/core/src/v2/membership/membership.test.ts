/**
 * The membership state machine (protocol-v2.md §11–§13) played with real messages between
 * in-process devices of one account: start a group, link a device with the SAS held until
 * confirmation, removal (forced rotation, `removed` on the victim), leaving (`−t`, rotation by
 * the member that notices), displacement, forks (`group-appeared`), and a SAS mismatch ending
 * in refusal. Also the `DeviceStateStore` contract for the in-memory store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityFromSeed, type Identity } from '../../identity/identity.ts';
import { toHex } from '../../encoding/hex.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { deviceStateStoreContract } from '../../test-support/device-state-store-contract.ts';
import { currentAccountKey } from '../keys/account-key-ring.ts';
import { deviceIdFromBytes } from '../keys/device-id.ts';
import { decryptDeviceGroupMessage } from '../device-group/group-message-decrypt.ts';
import { createMemoryDeviceStateStore } from './device-state-store.ts';
import {
  DISPLACEMENT_GRACE_MS,
  initialDeviceState,
  membershipOf,
  selfHex,
  type DeviceEvent,
  type DeviceStateSnapshot,
  type MembershipContext,
  type Transition,
} from './membership-state.ts';
import { receiveGroupMessage } from './receive-group-message.ts';
import {
  buildGroupMessage,
  fetchCompleted,
  leaveGroupMessage,
  removeDevice,
  renewDeviceIdentity,
  startGroup,
} from './group-actions.ts';
import {
  acceptLinkRequest,
  cancelLinkRequest,
  confirmLink,
  ignoreLinkRequest,
  receiveLinkRequest,
  requestLink,
} from './link-actions.ts';
import { activeDeviceKeys } from './receive-group-message.ts';

for (const c of deviceStateStoreContract(() => createMemoryDeviceStateStore())) {
  test(`memory DeviceStateStore: ${c.name}`, c.run);
}

const T0 = 1_760_000_000_000;

/** One simulated device with its own state and clock. */
class Device {
  state: DeviceStateSnapshot;
  readonly events: DeviceEvent[] = [];
  readonly account: Identity;
  readonly rng;
  now = T0;

  constructor(label: string, account: Identity) {
    this.rng = createSeededRng(`membership.test/${label}`);
    this.account = account;
    this.state = initialDeviceState(deviceIdFromBytes(this.rng.randomBytes(32)), []);
  }

  get ctx(): MembershipContext {
    return { account: this.account, now: this.now, rng: this.rng };
  }

  apply<T>(t: Transition<T>): T {
    this.state = t.state;
    this.events.push(...t.events);
    return t.value;
  }

  fetch(swarm: Swarm): void {
    for (const m of swarm.messages) {
      if (m.type === 'G') this.apply(receiveGroupMessage(this.state, m, this.ctx));
      else this.apply(receiveLinkRequest(this.state, m, this.ctx));
    }
    this.apply(fetchCompleted(this.state, this.ctx));
  }

  push(swarm: Swarm): Uint8Array | undefined {
    const t = buildGroupMessage(this.state, this.ctx);
    this.apply(t);
    for (const s of t.store) swarm.add('G', s.data, this.now);
    return t.store[0]?.data;
  }

  get membership() {
    return membershipOf(this.state, this.now);
  }

  take(type: DeviceEvent['type']): DeviceEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

class Swarm {
  messages: {
    type: 'G' | 'L';
    data: Uint8Array;
    timestamp: number;
    hash: string;
    expiry: number;
  }[] = [];
  #n = 0;
  add(type: 'G' | 'L', data: Uint8Array, timestamp: number, ttl = 30 * 24 * 3600_000): void {
    this.messages.push({ type, data, timestamp, hash: `h${this.#n++}`, expiry: timestamp + ttl });
  }
}

function link(existing: Device, joiner: Device, swarm: Swarm, confirm = true): void {
  joiner.fetch(swarm);
  const group = existing.state.groupId;
  assert.ok(group);
  const t = requestLink(joiner.state, group, joiner.ctx);
  const asked = joiner.apply(t);
  assert.ok(asked.ok);
  for (const s of t.store) swarm.add('L', s.data, joiner.now, s.ttlMs);
  assert.equal(joiner.membership, 'waiting');
  existing.fetch(swarm);
  const prompt = existing.take('device-link-requested').at(-1);
  assert.ok(prompt?.type === 'device-link-requested');
  assert.equal(prompt.sas.standard, asked.sas.standard); // both screens show the same emoji
  assert.ok(existing.apply(acceptLinkRequest(existing.state, prompt.request.id, existing.ctx)));
  existing.push(swarm);
  joiner.fetch(swarm);
  assert.equal(joiner.membership, 'waiting'); // admission held until the user confirms
  if (confirm) {
    assert.ok(joiner.apply(confirmLink(joiner.state, joiner.ctx)));
    assert.equal(joiner.membership, 'in-group');
    assert.equal(joiner.take('admitted').length, 1);
  }
}

test('a new account starts a group; a second device links with the SAS confirmed on both sides', () => {
  const account = identityFromSeed(createSeededRng('m/acct1').randomBytes(32));
  const swarm = new Swarm();
  const a = new Device('a1', account);
  const b = new Device('b1', account);
  a.fetch(swarm);
  assert.equal(a.membership, 'no-group');
  const started = a.apply(startGroup(a.state, a.ctx));
  assert.ok(started.ok);
  assert.equal(a.membership, 'in-group');
  a.push(swarm);
  b.fetch(swarm);
  assert.equal(b.membership, 'groups-visible');
  link(a, b, swarm);
  assert.deepEqual(b.state.groupId, a.state.groupId);
  // Both hold the same account keys and see each other registered.
  assert.equal(
    toHex(currentAccountKey(b.state.accountKeys)!.seed.exportBytes()),
    toHex(currentAccountKey(a.state.accountKeys)!.seed.exportBytes()),
  );
  b.push(swarm);
  a.fetch(swarm);
  assert.equal(a.state.devices.get(selfHex(b.state))?.state, 'registered');
  assert.equal(a.state.incoming.at(-1)?.status, 'accepted');
});

test('removal: forced rotation, the victim reads "removed" and cannot read on; then renews', () => {
  const account = identityFromSeed(createSeededRng('m/acct2').randomBytes(32));
  const swarm = new Swarm();
  const a = new Device('a2', account);
  const b = new Device('b2', account);
  a.fetch(swarm);
  a.apply(startGroup(a.state, a.ctx));
  a.push(swarm);
  link(a, b, swarm);
  const before = currentAccountKey(a.state.accountKeys)!;
  a.now += 60_000;
  assert.ok(a.apply(removeDevice(a.state, selfHex(b.state), a.ctx)));
  const after = currentAccountKey(a.state.accountKeys)!;
  assert.notDeepEqual(after.seed.exportBytes(), before.seed.exportBytes());
  const message = a.push(swarm)!;
  // The removed device, with everything it had, cannot open it.
  const r = decryptDeviceGroupMessage(message, {
    account,
    deviceId: b.state.deviceId,
    deviceKeys: activeDeviceKeys(b.state).map((k) => k.keys),
  });
  assert.deepEqual(r.ok ? 'opened' : r.reason, 'removed');
  b.now = a.now;
  b.fetch(swarm);
  assert.equal(b.membership, 'removed');
  assert.equal(b.take('removed').length, 1);
  // It never learns the new account key.
  assert.ok(
    !b.state.accountKeys.some(
      (k) => toHex(k.seed.exportBytes()) === toHex(after.seed.exportBytes()),
    ),
  );
  assert.ok(!a.apply(removeDevice(a.state, selfHex(b.state), a.ctx))); // already gone
  const oldId = selfHex(b.state);
  assert.ok(b.apply(renewDeviceIdentity(b.state, b.ctx)));
  assert.notEqual(selfHex(b.state), oldId);
  assert.equal(b.membership, 'groups-visible');
});

test('leaving publishes −t; the member that notices rotates; a tombstoned ID cannot come back', () => {
  const account = identityFromSeed(createSeededRng('m/acct3').randomBytes(32));
  const swarm = new Swarm();
  const a = new Device('a3', account);
  const c = new Device('c3', account);
  a.fetch(swarm);
  a.apply(startGroup(a.state, a.ctx));
  a.push(swarm);
  link(a, c, swarm);
  c.push(swarm);
  a.fetch(swarm);
  const cId = selfHex(c.state);
  const keyBefore = currentAccountKey(a.state.accountKeys)!;
  const oldC = c.state;
  c.now += 1000;
  const left = leaveGroupMessage(c.state, c.ctx);
  c.apply(left);
  assert.equal(left.store.length, 1);
  swarm.add('G', left.store[0]!.data, c.now);
  a.now += 2000;
  a.fetch(swarm);
  assert.equal(a.state.devices.get(cId)?.state, 'left');
  assert.equal(a.take('device-left').length, 1);
  assert.notDeepEqual(
    currentAccountKey(a.state.accountKeys)!.seed.exportBytes(),
    keyBefore.seed.exportBytes(),
  );
  // The old copy of c (it still holds the seed) pushes itself back: a restates the tombstone.
  const revived = buildGroupMessage(oldC, { account, now: c.now, rng: c.rng });
  swarm.add('G', revived.store[0]!.data, c.now + 10);
  a.fetch(swarm);
  assert.equal(a.state.devices.get(cId)?.state, 'left');
  assert.equal(a.state.devices.get(cId)?.broadcastNeeded, true);
});

test('displacement: a newer unreadable message from our own group, beyond the 5-minute grace', () => {
  const account = identityFromSeed(createSeededRng('m/acct4').randomBytes(32));
  const swarm = new Swarm();
  const a = new Device('a4', account);
  a.fetch(swarm);
  a.apply(startGroup(a.state, a.ctx));
  a.push(swarm);
  // A copy of a (restored from backup) renews nothing but rotates device keys and pushes.
  const copy = new Device('a4-copy', account);
  copy.state = { ...a.state, deviceKeys: [] }; // lost its device keys: its record gets new ones
  copy.now = a.now + DISPLACEMENT_GRACE_MS - 1000;
  copy.push(swarm);
  a.now = copy.now;
  a.fetch(swarm);
  assert.equal(a.membership, 'in-group'); // within the grace
  copy.now = a.now + DISPLACEMENT_GRACE_MS + 1000;
  copy.push(swarm);
  a.now = copy.now;
  a.fetch(swarm);
  assert.equal(a.membership, 'displaced');
  assert.equal(a.take('displaced').length, 1);
  assert.equal(buildGroupMessage(a.state, a.ctx).value, false); // a displaced device stops pushing
});

test('a second group on the account is announced once (group-appeared); cut-off when ours is gone', () => {
  const account = identityFromSeed(createSeededRng('m/acct5').randomBytes(32));
  const swarm = new Swarm();
  const a = new Device('a5', account);
  const z = new Device('z5', account);
  a.fetch(swarm);
  z.fetch(swarm);
  a.apply(startGroup(a.state, a.ctx));
  z.apply(startGroup(z.state, z.ctx));
  a.push(swarm);
  z.push(swarm);
  a.fetch(swarm);
  a.fetch(swarm);
  assert.equal(a.take('group-appeared').length, 1);
  // Every message of our group expires from the swarm while the other group's stay.
  const ours = toHex(a.state.groupId!);
  const reader = {
    account,
    deviceId: a.state.deviceId,
    deviceKeys: activeDeviceKeys(a.state).map((k) => k.keys),
  };
  swarm.messages = swarm.messages.filter((m) => !decryptDeviceGroupMessage(m.data, reader).ok);
  a.state = { ...a.state, groups: a.state.groups.filter((g) => toHex(g.groupId) !== ours) };
  a.fetch(swarm);
  assert.equal(a.membership, 'cut-off');
});

test('attack: a seed holder admitting us into its own group is refused when the SAS does not match', () => {
  const account = identityFromSeed(createSeededRng('m/acct6').randomBytes(32));
  const swarm = new Swarm();
  const real = new Device('real6', account);
  const attacker = new Device('attacker6', account); // holds the root seed, runs its own group
  const joiner = new Device('joiner6', account);
  real.fetch(swarm);
  real.apply(startGroup(real.state, real.ctx));
  real.push(swarm);
  attacker.fetch(swarm);
  attacker.apply(startGroup(attacker.state, attacker.ctx));
  attacker.push(swarm);
  joiner.fetch(swarm);
  // The user meant the real group, but the joiner is tricked into asking the attacker's.
  const t = requestLink(joiner.state, attacker.state.groupId!, joiner.ctx);
  const asked = joiner.apply(t);
  assert.ok(asked.ok);
  for (const s of t.store) swarm.add('L', s.data, joiner.now, s.ttlMs);
  real.fetch(swarm);
  assert.equal(real.take('device-link-requested').length, 0); // the real group cannot even read it
  attacker.fetch(swarm);
  const prompt = attacker.take('device-link-requested')[0];
  assert.ok(prompt?.type === 'device-link-requested');
  attacker.apply(acceptLinkRequest(attacker.state, prompt.request.id, attacker.ctx));
  attacker.push(swarm);
  joiner.fetch(swarm);
  assert.equal(joiner.membership, 'waiting'); // held, not admitted
  assert.equal(joiner.take('admitted').length, 0);
  // The real device shows no emoji (or different ones): the user refuses.
  assert.ok(joiner.apply(cancelLinkRequest(joiner.state, joiner.ctx)));
  joiner.fetch(swarm);
  assert.notEqual(joiner.membership, 'in-group');
  assert.equal(joiner.state.groupId, undefined);
  assert.equal(joiner.take('admitted').length, 0);

  // The other direction: the attacker forges a request to the real group with its own device;
  // the SAS on the real device differs from the joiner's, and the user ignores it.
  const joinerReq = requestLink(joiner.state, real.state.groupId!, joiner.ctx);
  const joinerSas = joiner.apply(joinerReq);
  assert.ok(joinerSas.ok);
  const forged = requestLink(attacker.state, real.state.groupId!, attacker.ctx);
  attacker.apply(forged);
  for (const s of forged.store) swarm.add('L', s.data, attacker.now, s.ttlMs);
  real.fetch(swarm);
  const shown = real.take('device-link-requested')[0];
  assert.ok(shown?.type === 'device-link-requested');
  assert.notEqual(shown.sas.standard, joinerSas.sas.standard);
  assert.ok(real.apply(ignoreLinkRequest(real.state, shown.request.id)));
  assert.equal(real.state.devices.get(shown.request.deviceId)?.state, 'pending');
  assert.equal(real.push(swarm) !== undefined, true);
  const attackerCanRead = decryptDeviceGroupMessage(swarm.messages.at(-1)!.data, {
    account,
    deviceId: attacker.state.deviceId,
    deviceKeys: activeDeviceKeys(attacker.state).map((k) => k.keys),
  });
  assert.equal(attackerCanRead.ok, false);
});
