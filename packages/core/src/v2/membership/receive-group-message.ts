/**
 * Receiving a device-group message (`""` = `"G"`) into a device's state (protocol-v2.md §9.3,
 * §10, §12; upstream session-foundation/libsession-util:src/core/devices.cpp
 * `receive_device_group_message`, `_record_group`, `_own_request_admitted`).
 *
 * - A validly signed message records its group as seen (group ID and link key), read or not.
 * - Unreadable, naming us in `"k"`: we were removed (`removed`).
 * - Unreadable, from our own group, more than 5 min newer than the newest one we read, while we
 *   are a member: another device holds our place (`displaced`).
 * - Readable from our group: merge the account-key ring and the device table (§10 rules);
 *   a device that left makes us rotate the account key (whoever notices first).
 * - Readable from elsewhere: only an **admission** on one of our own requests, i.e. the
 *   payload lists us Registered with the timestamp and X25519 key of a request we made. It is
 *   applied only once the user has confirmed that request's SAS; until then it is held (and
 *   only for the newest request, the one the user is looking at). Anyone holding the root seed
 *   can publish a group of their own and admit us into it; the SAS is what stops that.
 */
import { bytesEqual } from '../../encoding/bytes.ts';
import { deviceKeysFromSeed, type HybridKeyPair } from '../keys/hybrid-keys.ts';
import { mergeAccountKeyRings } from '../keys/account-key-ring.ts';
import { rotateAccountKey } from '../keys/account-key-rotation.ts';
import { confirmDeviceKey, type DeviceKeyEntry } from '../keys/device-key-rotation.ts';
import { decryptDeviceGroupMessage } from '../device-group/group-message-decrypt.ts';
import { mergeDeviceTable } from '../device-group/device-merge.ts';
import type { IncomingLinkRequest } from '../link/link-request-status.ts';
import {
  DEVICE_GROUP_TTL_MS,
  DISPLACEMENT_GRACE_MS,
  isMember,
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
  type OutgoingDeviceMessage,
  type Transition,
} from './membership-state.ts';
import { leaveGroupMessage } from './group-actions.ts';

/** A message fetched from namespace 21. */
export interface SwarmDeviceMessage {
  readonly data: Uint8Array;
  readonly hash?: string;
  /** Swarm timestamp and expiry, unix ms. */
  readonly timestamp: number;
  readonly expiry?: number;
}

/** What happened to a received group message. */
export type GroupMessageOutcome =
  'merged' | 'admitted' | 'admission-held' | 'removed' | 'displaced' | 'ignored' | 'rejected';

/** This device's active device keys, newest first, with their ring entries. */
export function activeDeviceKeys(
  state: DeviceStateSnapshot,
): { readonly entry: DeviceKeyEntry; readonly keys: HybridKeyPair }[] {
  return [...state.deviceKeys]
    .sort((a, b) => b.created - a.created)
    .map((entry) => ({ entry, keys: deviceKeysFromSeed(entry.seed) }));
}

/** Receives one `"G"` message. */
export function receiveGroupMessage(
  state: DeviceStateSnapshot,
  message: SwarmDeviceMessage,
  ctx: MembershipContext,
): Transition<GroupMessageOutcome> {
  const active = activeDeviceKeys(state);
  const result = decryptDeviceGroupMessage(message.data, {
    account: ctx.account,
    deviceId: state.deviceId,
    deviceKeys: active.map((a) => a.keys),
  });
  if (!result.ok && (result.reason === 'bad-format' || result.reason === 'bad-signature')) {
    if (result.groupId === undefined) return settled(state, 'rejected');
  }
  const events: DeviceEvent[] = [];
  let s = state;
  if (result.groupId !== undefined && result.linkKey !== undefined) {
    s = noteGroupSeen(s, {
      groupId: result.groupId,
      linkKey: result.linkKey,
      seenAt: message.timestamp,
      expiresAt: message.expiry ?? message.timestamp + DEVICE_GROUP_TTL_MS,
    });
  }
  if (!result.ok) {
    if (result.reason === 'removed') {
      const self = s.devices.get(selfHex(s));
      if (self?.state === 'kicked') return settled(s, 'removed');
      const devices = new Map(s.devices);
      devices.set(selfHex(s), { ...self, state: 'kicked', removedAt: Math.floor(ctx.now / 1000) });
      s = { ...s, devices };
      events.push({ type: 'removed' });
      s = reportMembership(s, events, ctx.now);
      return settled(s, 'removed', events);
    }
    const ours = s.groupId;
    if (
      result.reason === 'not-for-this-device' &&
      ours !== undefined &&
      result.groupId !== undefined &&
      bytesEqual(ours, result.groupId) &&
      s.readAt !== undefined &&
      message.timestamp > s.readAt + DISPLACEMENT_GRACE_MS &&
      isMember(s)
    ) {
      s = { ...s, displacedAt: message.timestamp };
      events.push({ type: 'displaced' });
      s = reportMembership(s, events, ctx.now);
      return settled(s, 'displaced', events);
    }
    return settled(s, result.reason === 'not-for-this-device' ? 'ignored' : 'rejected');
  }

  const theirs = result.groupId;
  let ours = s.groupId;
  const member =
    ownState(s) === 'registered' &&
    (ours === undefined || theirs === undefined || bytesEqual(ours, theirs));

  let admitting = false;
  const store: OutgoingDeviceMessage[] = [];
  const deletions: string[] = [];
  if (!member) {
    const selfEntry = result.payload.devices.get(selfHex(s));
    const index =
      theirs === undefined || selfEntry?.kind !== 'record'
        ? -1
        : s.own.findIndex(
            (r) =>
              bytesEqual(r.groupId, theirs) &&
              r.timestamp === selfEntry.record.timestamp &&
              bytesEqual(r.x25519PublicKey, selfEntry.record.x25519PublicKey),
          );
    const accepted = s.own[index];
    if (accepted === undefined) return settled(s, 'ignored', events);
    if (!accepted.confirmed) {
      if (newestOwnRequest(s) !== accepted) return settled(s, 'ignored', events);
      const own = [...s.own];
      own[index] = {
        ...accepted,
        admission: {
          message: message.data,
          timestamp: message.timestamp,
          ...(message.hash === undefined ? {} : { hash: message.hash }),
        },
      };
      s = reportMembership({ ...s, own }, events, ctx.now);
      return settled(s, 'admission-held', events);
    }
    admitting = true;
    if (ours !== undefined && theirs !== undefined && !bytesEqual(ours, theirs)) {
      // Switching groups: tell the old group we left, then forget it.
      const left = leaveGroupMessage(s, ctx);
      s = left.state;
      store.push(...left.store);
      deletions.push(...left.delete);
      ours = undefined;
    }
  }

  if (theirs !== undefined && ours === undefined) s = { ...s, groupId: theirs };

  const nowSeconds = Math.floor(ctx.now / 1000);
  s = { ...s, accountKeys: mergeAccountKeyRings(s.accountKeys, result.payload.accountKeys) };
  const wasMember = isMember(s);
  const merged = mergeDeviceTable(s.devices, result.payload.devices, nowSeconds);
  s = { ...s, devices: merged.table };
  const me = selfHex(s);
  let departed = false;
  let incoming: IncomingLinkRequest[] = [...s.incoming];
  for (const c of merged.changes) {
    if (c.id === me) {
      if (c.change === 'kicked') events.push({ type: 'removed' });
      continue;
    }
    if (c.change === 'kicked' && c.previous === 'registered') {
      events.push({ type: 'device-removed', deviceId: c.id });
    } else if (c.change === 'left' && c.previous !== 'kicked') {
      departed = true;
      if (c.previous === 'registered') events.push({ type: 'device-left', deviceId: c.id });
    } else if (c.change === 'registered') {
      if (!admitting) events.push({ type: 'device-joined', deviceId: c.id });
    }
    if (c.change === 'registered' || c.change === 'updated') {
      const record = merged.table.get(c.id)?.record;
      incoming = incoming.map((r) =>
        r.deviceId === c.id &&
        r.status === 'pending' &&
        (!r.replaces ||
          (record !== undefined &&
            bytesEqual(r.record.x25519PublicKey, record.x25519PublicKey) &&
            bytesEqual(r.record.mlkemPublicKey, record.mlkemPublicKey)))
          ? { ...r, status: 'accepted' }
          : r,
      );
    }
  }
  s = { ...s, incoming };

  if (departed && wasMember && isMember(s)) {
    s = { ...s, accountKeys: rotateAccountKey(s.accountKeys, nowSeconds, ctx.rng).ring };
  }
  const opened = active[result.deviceKeyIndex];
  if (opened !== undefined) {
    s = { ...s, deviceKeys: confirmDeviceKey(s.deviceKeys, opened.entry.seed, nowSeconds) };
  }
  if (theirs !== undefined && s.groupId !== undefined && bytesEqual(theirs, s.groupId)) {
    const readAt = Math.max(s.readAt ?? message.timestamp, message.timestamp);
    s = { ...s, readAt };
    if (s.displacedAt !== undefined && message.timestamp >= s.displacedAt) {
      s = omitKeys(s, 'displacedAt');
    }
  }
  if (message.hash !== undefined && !s.merged.includes(message.hash)) {
    s = { ...s, merged: [...s.merged, message.hash] };
  }
  if (admitting) {
    s = { ...s, own: [] };
    events.push({ type: 'admitted', groupId: theirs });
  }
  s = reportMembership(s, events, ctx.now);
  return {
    state: s,
    events,
    store,
    delete: deletions,
    value: admitting ? 'admitted' : 'merged',
  };
}
