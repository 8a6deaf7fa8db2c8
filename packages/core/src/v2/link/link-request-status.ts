/**
 * What a member does with a link request it can read, and what became of it (protocol-v2.md
 * §11.1 step 4 and §11.3; upstream session-foundation/libsession-util:src/core/devices.cpp
 * `receive_link_request`, `_accept_request`, `_ignore_request`, and `device::LinkStatus` in
 * include/session/core/devices.hpp).
 *
 * - A request from a Kicked or Left ID is ignored: that ID is spent.
 * - A request from an ID already Registered, with a timestamp newer than its record, is a
 *   **replace record** request (a device restored from a backup that no longer holds the keys
 *   the group encrypts to). Accepting it rotates the account key. An older one is stale.
 * - Otherwise the request's record is stored as Pending under the merge rules, so a redelivery
 *   of the same request (same seqno and digest) does not prompt again.
 *
 * Status: `pending` → `accepted` | `ignored` | `superseded` (the same device asked again).
 * Expiry is derived: a pending request past its swarm expiry can no longer be accepted.
 */
import type { DeviceRecord } from '../device-group/device-record.ts';
import { DEVICE_STATE_RANK, type StoredDevice } from '../device-group/device-merge.ts';
import { compareBytes } from '../../encoding/bencode.ts';
import type { OpenedLinkRequest } from './link-request-open.ts';

/** Upstream's `device::LinkStatus`. */
export const LINK_REQUEST_STATUSES = ['pending', 'accepted', 'ignored', 'superseded'] as const;
/** What became of a link request. */
export type LinkRequestStatus = (typeof LINK_REQUEST_STATUSES)[number];

/** A link request a member has seen. */
export interface IncomingLinkRequest {
  /** Local identifier for accept/ignore (not persisted meaning across devices). */
  readonly id: number;
  /** The requesting device, lowercase hex. */
  readonly deviceId: string;
  /** The record it asks to have admitted. */
  readonly record: DeviceRecord;
  readonly digest: Uint8Array;
  /** True for a replace-record request. */
  readonly replaces: boolean;
  /** The 16-byte SAS seed (`sasFromSeed` shows it). */
  readonly sasSeed: Uint8Array;
  /** When it was received and when the swarm drops it, unix milliseconds. */
  readonly receivedAt: number;
  readonly expiresAt: number;
  readonly status: LinkRequestStatus;
  /** The swarm message hash, for deleting an ignored request. */
  readonly hash?: string;
}

/** What to do with an opened request. */
export type LinkRequestDisposition =
  | 'own'
  | 'new'
  | 'replace'
  | 'ignore-removed'
  | 'ignore-stale'
  | 'ignore-duplicate'
  | 'ignore-state';

/**
 * Classifies an opened request against the stored row for its device (absent if unknown).
 * `ownDeviceId` is this device's hex ID: our own request, fetched back, is never acted on.
 */
export function classifyLinkRequest(
  request: OpenedLinkRequest,
  stored: StoredDevice | undefined,
  ownDeviceId: string,
): LinkRequestDisposition {
  if (request.deviceId === ownDeviceId) return 'own';
  const state = stored?.state ?? 'pending';
  if (state === 'registered') {
    const held = stored?.record?.timestamp ?? 0;
    return request.record.timestamp > held ? 'replace' : 'ignore-stale';
  }
  if (DEVICE_STATE_RANK[state] >= DEVICE_STATE_RANK.left) return 'ignore-removed';
  if (state !== 'pending') return 'ignore-state';
  if (stored?.record !== undefined) {
    // The merge guard at equal rank: (seqno, digest) must grow; no digest never yields.
    if (request.record.seqno !== stored.record.seqno) {
      return request.record.seqno > stored.record.seqno ? 'new' : 'ignore-duplicate';
    }
    if (stored.digest === undefined) return 'ignore-duplicate';
    return compareBytes(request.digest, stored.digest) > 0 ? 'new' : 'ignore-duplicate';
  }
  return 'new';
}

/** True when a pending request is past its deadline at `nowMs`. */
export function isLinkRequestExpired(request: IncomingLinkRequest, nowMs: number): boolean {
  return request.status === 'pending' && request.expiresAt <= nowMs;
}
