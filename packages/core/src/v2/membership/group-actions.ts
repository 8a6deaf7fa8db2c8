/**
 * What a device does to its group: push the group message, start a group, remove a device,
 * leave, renew its identity after removal, finish a fetch (protocol-v2.md §9, §11.3, §12;
 * upstream session-foundation/libsession-util:src/core/devices.cpp `build_device_group_message`,
 * `establish_group`, `_start_group`, `_remove_device`, `_leave_group`,
 * `_renew_device_identity`, `_flush_events`, `_report_events`, `_dismiss_group`).
 *
 * Forced account-key rotation happens here and in the other transitions, in the same step as
 * what forces it: removing a device, accepting a replace-record request, learning that a device
 * left. Leaving publishes our own `−t` tombstone to the members that remain.
 */
import { ProtocolError } from '../../errors.ts';
import { bytesEqual } from '../../encoding/bytes.ts';
import { toHex } from '../../encoding/hex.ts';
import {
  currentAccountKey,
  pruneAccountKeyRing,
  type AccountKeyRing,
} from '../keys/account-key-ring.ts';
import { rotateAccountKey } from '../keys/account-key-rotation.ts';
import { currentDeviceKey, rotateDeviceKey } from '../keys/device-key-rotation.ts';
import { newDeviceId } from '../keys/device-id.ts';
import { accountKeysFromSeed, deviceKeysFromSeed } from '../keys/hybrid-keys.ts';
import { createDeviceRecord, type DeviceRecord } from '../device-group/device-record.ts';
import { payloadEntries, type StoredDevice } from '../device-group/device-merge.ts';
import { encryptDeviceGroupMessage } from '../device-group/group-message-encrypt.ts';
import { newGroupId } from '../device-group/group-id.ts';
import {
  DEVICE_GROUP_TTL_MS,
  forgetGroup,
  isMember,
  liveGroups,
  membershipOf,
  newestOwnRequest,
  noteGroupSeen,
  omitKeys,
  ownState,
  reportMembership,
  selfHex,
  settled,
  type DeviceEvent,
  type DeviceStateSnapshot,
  type MembershipContext,
  type Transition,
} from './membership-state.ts';

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function withRing(state: DeviceStateSnapshot, ring: AccountKeyRing): DeviceStateSnapshot {
  return { ...state, accountKeys: ring };
}

/** Makes sure the ring has a current key (rotating if not), pruned at `now`. */
function ensureAccountKey(state: DeviceStateSnapshot, ctx: MembershipContext): DeviceStateSnapshot {
  const now = seconds(ctx.now);
  if (currentAccountKey(state.accountKeys) !== undefined) {
    return withRing(state, pruneAccountKeyRing(state.accountKeys, now));
  }
  return withRing(state, rotateAccountKey(state.accountKeys, now, ctx.rng).ring);
}

/** Our own record with the current device keys, bumped when it changes (or first made). */
export function ensureOwnRecord(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
  changes: Partial<Pick<DeviceRecord, 'description' | 'type' | 'version'>> = {},
): DeviceStateSnapshot {
  let s = state;
  let current = currentDeviceKey(s.deviceKeys);
  if (current === undefined) {
    const rotated = rotateDeviceKey(s.deviceKeys, seconds(ctx.now), ctx.rng);
    s = { ...s, deviceKeys: rotated.ring };
    current = rotated.key;
  }
  const keys = deviceKeysFromSeed(current.seed);
  const self = s.devices.get(selfHex(s));
  const old = self?.record;
  const unchanged =
    old !== undefined &&
    bytesEqual(old.x25519PublicKey, keys.x25519PublicKey) &&
    bytesEqual(old.mlkemPublicKey, keys.mlkemPublicKey) &&
    (changes.description === undefined || changes.description === old.description) &&
    (changes.type === undefined || changes.type === old.type) &&
    (changes.version === undefined || changes.version === old.version);
  if (unchanged) return s;
  const record = createDeviceRecord({
    seqno: (old?.seqno ?? 0) + 1,
    timestamp: Math.max(seconds(ctx.now), old?.timestamp ?? 0),
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
    description: changes.description ?? old?.description ?? '',
    type: changes.type ?? old?.type ?? '',
    version: changes.version ?? old?.version ?? 0,
    extra: old?.extra ?? new Map(),
  });
  const devices = new Map(s.devices);
  // Authored here: no digest, so an equal-seqno copy from the wire never displaces it.
  devices.set(selfHex(s), { state: self?.state ?? 'unregistered', record });
  return { ...s, devices };
}

/**
 * Builds the group message this device owes (upstream `build_device_group_message`): every
 * Registered record and every tombstone, the account-key ring, encrypted to the Registered
 * devices. Only a member pushes. The messages it has merged become obsolete (`delete`).
 */
export function buildGroupMessage(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<boolean> {
  if (!isMember(state)) return settled(state, false);
  let s = ensureOwnRecord(ensureAccountKey(state, ctx), ctx);
  if (s.groupId === undefined) s = { ...s, groupId: newGroupId(ctx.now, ctx.rng) };
  const groupId = s.groupId ?? newGroupId(ctx.now, ctx.rng);
  const data = encryptDeviceGroupMessage({
    account: ctx.account,
    groupId,
    payload: { devices: payloadEntries(s.devices), accountKeys: s.accountKeys },
    rng: ctx.rng,
  });
  const devices = new Map<string, StoredDevice>();
  for (const [id, d] of s.devices) {
    devices.set(id, omitKeys(d, 'broadcastNeeded'));
  }
  const current = currentAccountKey(s.accountKeys);
  if (current !== undefined) {
    s = noteGroupSeen(s, {
      groupId,
      linkKey: accountKeysFromSeed(current.seed).x25519PublicKey,
      seenAt: ctx.now,
      expiresAt: ctx.now + DEVICE_GROUP_TTL_MS,
    });
  }
  const obsolete = s.merged;
  s = { ...s, devices, merged: [], readAt: Math.max(s.readAt ?? ctx.now, ctx.now) };
  return {
    state: s,
    events: [],
    store: [{ data, ttlMs: DEVICE_GROUP_TTL_MS }],
    delete: obsolete,
    value: true,
  };
}

/** Why a group could not be started. */
export type StartGroupRefusal = 'membership-unknown' | 'already-in-group' | 'removed';

/**
 * Starts a new group with this device as its only member (upstream `_start_group`, and
 * `establish_group` for a brand-new account): a fresh account key and group ID. Allowed from
 * `no-group`, `groups-visible` and `waiting` (which withdraws the request). Push it with
 * `buildGroupMessage`.
 */
export function startGroup(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<{ ok: true; groupId: Uint8Array } | { ok: false; reason: StartGroupRefusal }> {
  switch (membershipOf(state, ctx.now)) {
    case 'unknown':
      return settled(state, { ok: false, reason: 'membership-unknown' });
    case 'in-group':
    case 'cut-off':
      return settled(state, { ok: false, reason: 'already-in-group' });
    case 'removed':
    case 'displaced':
      return settled(state, { ok: false, reason: 'removed' });
    case 'waiting':
    case 'no-group':
    case 'groups-visible':
      break;
  }
  let s: DeviceStateSnapshot = { ...forgetGroup(state), own: [] };
  s = withRing(s, rotateAccountKey([], seconds(ctx.now), ctx.rng).ring);
  s = ensureOwnRecord(s, ctx);
  const self = s.devices.get(selfHex(s));
  const devices = new Map(s.devices);
  devices.set(selfHex(s), { ...self, state: 'registered', broadcastNeeded: true });
  const groupId = newGroupId(ctx.now, ctx.rng);
  const current = currentAccountKey(s.accountKeys);
  s = { ...s, devices, groupId, readAt: ctx.now };
  if (current !== undefined) {
    s = noteGroupSeen(s, {
      groupId,
      linkKey: accountKeysFromSeed(current.seed).x25519PublicKey,
      seenAt: ctx.now,
      expiresAt: ctx.now + DEVICE_GROUP_TTL_MS,
    });
  }
  const events: DeviceEvent[] = [];
  s = reportMembership(s, events, ctx.now);
  return settled(s, { ok: true, groupId }, events);
}

/**
 * Removes a device (upstream `_remove_device`): Kicked at `now`, and the account key rotated in
 * the same step so the removed device does not hold the current one. The next push carries the
 * tombstone and a `"k"` entry, and gives the device no slot. Answers false when this device is
 * not a member or the target is not Registered; removing oneself is an error.
 */
export function removeDevice(
  state: DeviceStateSnapshot,
  deviceId: string,
  ctx: MembershipContext,
): Transition<boolean> {
  if (deviceId === selfHex(state)) {
    throw new ProtocolError(
      'invalid-input',
      'removeDevice: a device leaves, it does not remove itself',
    );
  }
  const target = state.devices.get(deviceId);
  if (!isMember(state) || target?.state !== 'registered') return settled(state, false);
  const now = seconds(ctx.now);
  const devices = new Map(state.devices);
  devices.set(deviceId, { ...target, state: 'kicked', removedAt: now, broadcastNeeded: true });
  const ring = rotateAccountKey(state.accountKeys, now, ctx.rng).ring;
  return settled({ ...state, devices, accountKeys: ring }, true);
}

/**
 * Leaves the group (upstream `_leave_group`): our row becomes Left at `now`; while other members
 * remain, a group message carrying our `−t` tombstone goes to them (they rotate the account key
 * on reading it); then the group is forgotten and dismissed here.
 */
export function leaveGroupMessage(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<boolean> {
  const me = selfHex(state);
  const self = state.devices.get(me);
  const old = state.groupId;
  const others = [...state.devices].some(([id, d]) => id !== me && d.state === 'registered');
  let store: Transition['store'] = [];
  if (others && old !== undefined && self !== undefined) {
    const devices = new Map(state.devices);
    devices.set(me, { ...self, state: 'left', removedAt: seconds(ctx.now) });
    const ring = ensureAccountKey(state, ctx).accountKeys;
    store = [
      {
        data: encryptDeviceGroupMessage({
          account: ctx.account,
          groupId: old,
          payload: { devices: payloadEntries(devices), accountKeys: ring },
          rng: ctx.rng,
        }),
        ttlMs: DEVICE_GROUP_TTL_MS,
      },
    ];
  }
  const deletions = state.merged;
  let s = forgetGroup(state);
  if (old !== undefined) {
    s = {
      ...s,
      groups: s.groups.map((g) => (bytesEqual(g.groupId, old) ? { ...g, dismissed: true } : g)),
    };
  }
  return { state: s, events: [], store, delete: deletions, value: store.length > 0 };
}

/**
 * Gives a removed or displaced device a new identity (upstream `_renew_device_identity`): a new
 * device ID and a new device key; its old group is forgotten. False for any other device.
 */
export function renewDeviceIdentity(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<boolean> {
  if (state.displacedAt === undefined && ownState(state) !== 'kicked') return settled(state, false);
  const deviceKeys = rotateDeviceKey(state.deviceKeys, seconds(ctx.now), ctx.rng).ring;
  const s: DeviceStateSnapshot = {
    ...forgetGroup(state),
    deviceId: newDeviceId(ctx.rng),
    deviceKeys,
    own: [],
    incoming: [],
  };
  const events: DeviceEvent[] = [];
  return settled(reportMembership(s, events, ctx.now), true, events);
}

/**
 * Ends a fetch (upstream `_flush_events` after `parse_device_messages`): membership becomes
 * known; our own request lapses if its deadline passed with no admission held; a group other
 * than ours, while we are in ours, is announced once (`group-appeared`, a possible fork).
 */
export function fetchCompleted(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<undefined> {
  let s: DeviceStateSnapshot = { ...state, fetched: true };
  const newest = newestOwnRequest(s);
  const me = selfHex(s);
  const self = s.devices.get(me);
  if (
    self?.state === 'pending' &&
    newest !== undefined &&
    newest.admission === undefined &&
    newest.expiresAt <= ctx.now
  ) {
    const devices = new Map(s.devices);
    devices.set(me, { ...self, state: 'unregistered' });
    s = { ...s, devices };
  }
  const events: DeviceEvent[] = [];
  s = reportMembership(s, events, ctx.now);
  if (membershipOf(s, ctx.now) === 'in-group') {
    const announced = [...s.announcedGroups];
    for (const g of liveGroups(s, ctx.now)) {
      const hex = toHex(g.groupId);
      if (g.dismissed || announced.includes(hex)) continue;
      if (s.groupId !== undefined && bytesEqual(g.groupId, s.groupId)) continue;
      announced.push(hex);
      events.push({ type: 'group-appeared', groupId: g.groupId });
    }
    s = { ...s, announcedGroups: announced };
  }
  return settled(s, undefined, events);
}

/** Dismisses the alert for another group (upstream `_dismiss_group`). False if never seen. */
export function dismissGroup(state: DeviceStateSnapshot, groupId: Uint8Array): Transition<boolean> {
  if (!state.groups.some((g) => bytesEqual(g.groupId, groupId))) return settled(state, false);
  const groups = state.groups.map((g) =>
    bytesEqual(g.groupId, groupId) ? { ...g, dismissed: true } : g,
  );
  return settled({ ...state, groups }, true);
}
