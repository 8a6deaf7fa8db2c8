/**
 * One device's membership of its account's device group, as plain data, and the membership it
 * adds up to (protocol-v2.md §12–§13; upstream session-foundation/libsession-util:
 * src/core/devices.cpp `_membership`, `_member`, `_displaced`, `_note_read`, `_forget_group`,
 * and `device::Membership` in include/session/core/devices.hpp).
 *
 * Membership (what a UI shows), derived, never stored:
 *
 * | membership       | when                                                                 |
 * | ---------------- | -------------------------------------------------------------------- |
 * | `unknown`        | no fetch has completed since start: the swarm decides the rest      |
 * | `in-group`       | Registered, not displaced, own group's messages present (or no other) |
 * | `cut-off`        | Registered, but only *another* group's messages are in the swarm     |
 * | `displaced`      | a newer unreadable message from our own group (beyond 5 min grace)   |
 * | `removed`        | our own `"k"` entry was found, or a tombstone names us kicked        |
 * | `waiting`        | our own link request is pending, or an admission awaits confirmation |
 * | `no-group`       | not in a group and no group is visible                               |
 * | `groups-visible` | not in a group and some group is visible                             |
 *
 * The transition functions (`receive-group-message.ts`, `link-actions.ts`, `group-actions.ts`)
 * take a snapshot and return a new one with the events a UI needs; the snapshot lives behind a
 * `DeviceStateStore`. Times: `now` and swarm timestamps are unix **milliseconds**; record
 * timestamps, tombstones and key times are unix **seconds**, as on the wire.
 */
import type { Rng } from '../../crypto/rng.ts';
import type { Identity } from '../../identity/identity.ts';
import { bytesEqual } from '../../encoding/bytes.ts';
import { toHex } from '../../encoding/hex.ts';
import type { AccountKeyRing } from '../keys/account-key-ring.ts';
import type { DeviceKeyRing } from '../keys/device-key-rotation.ts';
import type { DeviceId } from '../keys/device-id.ts';
import type { DeviceState, StoredDevice } from '../device-group/device-merge.ts';
import type { IncomingLinkRequest } from '../link/link-request-status.ts';
import type { EmojiSas } from '../sas/emoji-sas.ts';

/** Upstream's `DISPLACEMENT_GRACE` (5 min), milliseconds. */
export const DISPLACEMENT_GRACE_MS = 5 * 60 * 1000;
/** Upstream's `DEVICE_GROUP_TTL` (30 days), milliseconds. */
export const DEVICE_GROUP_TTL_MS = 30 * 24 * 3600 * 1000;

/** The membership states (devices.hpp `device::Membership`). */
export const MEMBERSHIPS = [
  'unknown',
  'in-group',
  'cut-off',
  'displaced',
  'removed',
  'waiting',
  'no-group',
  'groups-visible',
] as const;
/** Where this device stands. */
export type Membership = (typeof MEMBERSHIPS)[number];

/** A device group seen in the swarm (upstream table `device_groups`). */
export interface VisibleGroup {
  readonly groupId: Uint8Array;
  /** Its link key, from its newest message. */
  readonly linkKey: Uint8Array;
  /** Swarm timestamp of its newest message, and when that expires, unix ms. */
  readonly seenAt: number;
  readonly expiresAt: number;
  readonly dismissed: boolean;
}

/** An admission received for one of our requests, held until the user confirms the SAS. */
export interface HeldAdmission {
  readonly message: Uint8Array;
  readonly hash?: string;
  readonly timestamp: number;
}

/** One of this device's own link requests (upstream table `device_own_requests`). */
export interface OwnLinkRequest {
  readonly groupId: Uint8Array;
  /** The requested record's timestamp (unix s) and X25519 key: what an admission matches. */
  readonly timestamp: number;
  readonly x25519PublicKey: Uint8Array;
  readonly sasSeed: Uint8Array;
  /** When it lapses unanswered, unix ms. */
  readonly expiresAt: number;
  /** The user confirmed the SAS matches. */
  readonly confirmed: boolean;
  readonly admission?: HeldAdmission;
}

/** Everything one device keeps about its device group. */
export interface DeviceStateSnapshot {
  readonly deviceId: DeviceId;
  readonly deviceKeys: DeviceKeyRing;
  readonly accountKeys: AccountKeyRing;
  /** Our group, while we are in (or joining) one. */
  readonly groupId?: Uint8Array;
  /** Every device we know of, ourselves included, keyed by lowercase hex ID. */
  readonly devices: ReadonlyMap<string, StoredDevice>;
  readonly groups: readonly VisibleGroup[];
  /** Swarm timestamp of the newest own-group message we read, unix ms. */
  readonly readAt?: number;
  /** Swarm timestamp of the unreadable message that displaced us, unix ms. */
  readonly displacedAt?: number;
  /** A fetch has completed since start. */
  readonly fetched: boolean;
  readonly incoming: readonly IncomingLinkRequest[];
  readonly own: readonly OwnLinkRequest[];
  readonly nextRequestId: number;
  /** Hashes of group messages merged (a push makes them obsolete). */
  readonly merged: readonly string[];
  /** Membership last reported, and groups already announced (`group-appeared` fires once). */
  readonly reportedMembership: Membership;
  readonly announcedGroups: readonly string[];
}

/** What every transition needs: the account root, the time and randomness. */
export interface MembershipContext {
  readonly account: Identity;
  /** Unix milliseconds. */
  readonly now: number;
  readonly rng: Rng;
}

/** The events a UI needs. */
export type DeviceEvent =
  | {
      readonly type: 'device-link-requested';
      readonly request: IncomingLinkRequest;
      readonly sas: EmojiSas;
    }
  | { readonly type: 'device-joined'; readonly deviceId: string }
  | { readonly type: 'device-removed'; readonly deviceId: string }
  | { readonly type: 'device-left'; readonly deviceId: string }
  | { readonly type: 'group-appeared'; readonly groupId: Uint8Array }
  | { readonly type: 'displaced' }
  | { readonly type: 'removed' }
  | { readonly type: 'admitted'; readonly groupId: Uint8Array | undefined }
  | { readonly type: 'membership-changed'; readonly membership: Membership };

/** A message to store in namespace 21 (device group, private). */
export interface OutgoingDeviceMessage {
  readonly data: Uint8Array;
  readonly ttlMs: number;
}

/** What a transition returns. */
export interface Transition<T = undefined> {
  readonly state: DeviceStateSnapshot;
  readonly events: readonly DeviceEvent[];
  /** Messages to store, in order. */
  readonly store: readonly OutgoingDeviceMessage[];
  /** Message hashes to delete from the swarm after storing. */
  readonly delete: readonly string[];
  readonly value: T;
}

/** A transition with no messages. */
export function settled<T>(
  state: DeviceStateSnapshot,
  value: T,
  events: readonly DeviceEvent[] = [],
): Transition<T> {
  return { state, events, store: [], delete: [], value };
}

/** The hex form of our own ID. */
export function selfHex(state: DeviceStateSnapshot): string {
  return toHex(state.deviceId);
}

/** Our own row's state (`unregistered` before anything is known). */
export function ownState(state: DeviceStateSnapshot): DeviceState {
  return state.devices.get(selfHex(state))?.state ?? 'unregistered';
}

/** Registered and not displaced: able to act for the group (upstream `_member`). */
export function isMember(state: DeviceStateSnapshot): boolean {
  return state.displacedAt === undefined && ownState(state) === 'registered';
}

/** Groups whose messages are still in the swarm at `nowMs`. */
export function liveGroups(state: DeviceStateSnapshot, nowMs: number): VisibleGroup[] {
  return state.groups.filter((g) => g.expiresAt > nowMs);
}

/** The newest own request (the one the user deals with). */
export function newestOwnRequest(state: DeviceStateSnapshot): OwnLinkRequest | undefined {
  return state.own[state.own.length - 1];
}

/** Where this device stands at `nowMs`. */
export function membershipOf(state: DeviceStateSnapshot, nowMs: number): Membership {
  if (!state.fetched) return 'unknown';
  const groups = liveGroups(state, nowMs);
  const ours = state.groupId;
  const oursPresent = ours !== undefined && groups.some((g) => bytesEqual(g.groupId, ours));
  const others = groups.filter((g) => ours === undefined || !bytesEqual(g.groupId, ours));
  switch (ownState(state)) {
    case 'kicked':
      return 'removed';
    case 'registered':
      if (state.displacedAt !== undefined) return 'displaced';
      return !oursPresent && others.length > 0 ? 'cut-off' : 'in-group';
    case 'pending':
      return 'waiting';
    case 'unregistered':
    case 'left':
      if (newestOwnRequest(state)?.admission !== undefined) return 'waiting';
      return others.length === 0 ? 'no-group' : 'groups-visible';
  }
}

/** A fresh device: no group, nothing fetched. */
export function initialDeviceState(
  deviceId: DeviceId,
  deviceKeys: DeviceKeyRing,
): DeviceStateSnapshot {
  return {
    deviceId,
    deviceKeys,
    accountKeys: [],
    devices: new Map(),
    groups: [],
    fetched: false,
    incoming: [],
    own: [],
    nextRequestId: 1,
    merged: [],
    reportedMembership: 'unknown',
    announcedGroups: [],
  };
}

/**
 * Forgets the group this device was in: its devices (ourselves included), its account keys,
 * its identifier, read/displaced marks and merged hashes (upstream `_forget_group`).
 */
export function forgetGroup(state: DeviceStateSnapshot): DeviceStateSnapshot {
  const rest = omitKeys(state, 'groupId', 'readAt', 'displacedAt');
  return { ...rest, devices: new Map(), accountKeys: [], merged: [] };
}

/** A shallow copy of `value` without the optional `keys`. */
export function omitKeys<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const k of keys) delete copy[k];
  return copy as Omit<T, K>;
}

/** Records a group seen in the swarm (upstream `_record_group`): newest link key wins. */
export function noteGroupSeen(
  state: DeviceStateSnapshot,
  group: { groupId: Uint8Array; linkKey: Uint8Array; seenAt: number; expiresAt: number },
): DeviceStateSnapshot {
  const i = state.groups.findIndex((g) => bytesEqual(g.groupId, group.groupId));
  const old = i === -1 ? undefined : state.groups[i];
  const next: VisibleGroup =
    old === undefined
      ? { ...group, dismissed: false }
      : {
          groupId: old.groupId,
          linkKey: group.seenAt >= old.seenAt ? group.linkKey : old.linkKey,
          seenAt: Math.max(old.seenAt, group.seenAt),
          expiresAt: Math.max(old.expiresAt, group.expiresAt),
          dismissed: old.dismissed,
        };
  const groups = [...state.groups];
  if (i === -1) groups.push(next);
  else groups[i] = next;
  return { ...state, groups };
}

/**
 * Appends a `membership-changed` event when the membership at `nowMs` differs from the one last
 * reported (and is known), and records it as reported.
 */
export function reportMembership(
  state: DeviceStateSnapshot,
  events: DeviceEvent[],
  nowMs: number,
): DeviceStateSnapshot {
  const m = membershipOf(state, nowMs);
  if (m === 'unknown' || m === state.reportedMembership) return state;
  events.push({ type: 'membership-changed', membership: m });
  return { ...state, reportedMembership: m };
}
