/**
 * Linking, on both sides (protocol-v2.md §11; upstream session-foundation/libsession-util:
 * src/core/devices.cpp `receive_link_request`, `_accept_request`, `_replace_record`,
 * `_ignore_request`, `_request_link`, `_build_link_request`, `_confirm_link`).
 *
 * Existing member: a readable, signed request from a new ID becomes a Pending row and a
 * `device-link-requested` event carrying the SAS; the user compares it with the new device's
 * and accepts (Registered; pushed with the next group message) or ignores. A replace-record
 * request, once accepted, takes the place of the device's record with `seqno = max + 1` and
 * rotates the account key.
 *
 * New device: `requestLink` builds the request to a visible group's link key and shows its SAS;
 * an admission is applied only after `confirmLink` on that same request (see
 * `receive-group-message.ts`); `cancelLinkRequest` is the refusal when the emoji differ.
 */
import { ProtocolError } from '../../errors.ts';
import { bytesEqual } from '../../encoding/bytes.ts';
import { rotateAccountKey } from '../keys/account-key-rotation.ts';
import { deviceRecordDigest, encodeDeviceRecord } from '../device-group/device-record.ts';
import { createLinkRequest, LINK_REQUEST_TTL_MS } from '../link/link-request.ts';
import { openLinkRequest } from '../link/link-request-open.ts';
import {
  classifyLinkRequest,
  isLinkRequestExpired,
  type IncomingLinkRequest,
} from '../link/link-request-status.ts';
import { linkSasSeed, sasFromSeed, type EmojiSas } from '../sas/emoji-sas.ts';
import { ensureOwnRecord } from './group-actions.ts';
import {
  isMember,
  liveGroups,
  newestOwnRequest,
  omitKeys,
  ownState,
  reportMembership,
  selfHex,
  settled,
  type DeviceEvent,
  type DeviceStateSnapshot,
  type MembershipContext,
  type OwnLinkRequest,
  type Transition,
} from './membership-state.ts';
import { receiveGroupMessage, type SwarmDeviceMessage } from './receive-group-message.ts';

/** What happened to a received link request. */
export type LinkRequestOutcome =
  'requested' | 'not-for-this-group' | 'rejected' | 'own' | 'ignored';

/** Receives one `"L"` message (namespace 21). */
export function receiveLinkRequest(
  state: DeviceStateSnapshot,
  message: SwarmDeviceMessage,
  ctx: MembershipContext,
): Transition<LinkRequestOutcome> {
  const opened = openLinkRequest(message.data, ctx.account, state.accountKeys);
  if (!opened.ok) {
    return settled(
      state,
      opened.reason === 'not-for-this-group' ? 'not-for-this-group' : 'rejected',
    );
  }
  const stored = state.devices.get(opened.deviceId);
  const disposition = classifyLinkRequest(opened, stored, selfHex(state));
  if (disposition === 'own') return settled(state, 'own');
  if (disposition !== 'new' && disposition !== 'replace') return settled(state, 'ignored');
  let devices = state.devices;
  if (disposition === 'new') {
    const next = new Map(devices);
    next.set(opened.deviceId, { state: 'pending', record: opened.record, digest: opened.digest });
    devices = next;
  }
  const sasSeed = linkSasSeed(opened.plaintext);
  const request: IncomingLinkRequest = {
    id: state.nextRequestId,
    deviceId: opened.deviceId,
    record: opened.record,
    digest: opened.digest,
    replaces: disposition === 'replace',
    sasSeed,
    receivedAt: ctx.now,
    expiresAt: message.expiry ?? message.timestamp + LINK_REQUEST_TTL_MS,
    status: 'pending',
    ...(message.hash === undefined ? {} : { hash: message.hash }),
  };
  const incoming = state.incoming.map((r) =>
    r.deviceId === opened.deviceId && r.status === 'pending'
      ? { ...r, status: 'superseded' as const }
      : r,
  );
  const s: DeviceStateSnapshot = {
    ...state,
    devices,
    incoming: [...incoming, request],
    nextRequestId: state.nextRequestId + 1,
  };
  const sas = sasFromSeed(sasSeed);
  return settled(s, 'requested', [{ type: 'device-link-requested', request, sas }]);
}

/**
 * Accepts a pending request: the device becomes Registered (a replace request also replaces the
 * record and rotates the account key). False when the request is no longer acceptable
 * (answered, superseded, expired) or this device is not a member.
 */
export function acceptLinkRequest(
  state: DeviceStateSnapshot,
  requestId: number,
  ctx: MembershipContext,
): Transition<boolean> {
  const index = state.incoming.findIndex((r) => r.id === requestId);
  const request = state.incoming[index];
  if (request === undefined) {
    throw new ProtocolError('invalid-input', `acceptLinkRequest: no request ${requestId}`);
  }
  if (!isMember(state) || request.status !== 'pending' || isLinkRequestExpired(request, ctx.now)) {
    return settled(state, false);
  }
  const stored = state.devices.get(request.deviceId);
  const devices = new Map(state.devices);
  let accountKeys = state.accountKeys;
  if (request.replaces) {
    if (stored?.state !== 'registered' || stored.record === undefined) return settled(state, false);
    const record = {
      ...request.record,
      seqno: Math.max(stored.record.seqno, request.record.seqno) + 1,
    };
    const digest = deviceRecordDigest(encodeDeviceRecord(record));
    devices.set(request.deviceId, { state: 'registered', record, digest, broadcastNeeded: true });
    accountKeys = rotateAccountKey(accountKeys, Math.floor(ctx.now / 1000), ctx.rng).ring;
  } else {
    if (stored?.state !== 'pending') return settled(state, false);
    devices.set(request.deviceId, { ...stored, state: 'registered', broadcastNeeded: true });
  }
  const incoming = [...state.incoming];
  incoming[index] = { ...request, status: 'accepted' };
  return settled({ ...state, devices, accountKeys, incoming }, true);
}

/** Ignores a pending request here (others may still accept it). False if not pending. */
export function ignoreLinkRequest(
  state: DeviceStateSnapshot,
  requestId: number,
): Transition<boolean> {
  const index = state.incoming.findIndex((r) => r.id === requestId);
  const request = state.incoming[index];
  if (request === undefined) {
    throw new ProtocolError('invalid-input', `ignoreLinkRequest: no request ${requestId}`);
  }
  if (request.status !== 'pending') return settled(state, false);
  const incoming = [...state.incoming];
  incoming[index] = { ...request, status: 'ignored' };
  return settled({ ...state, incoming }, true);
}

/** Why a link request could not be made. */
export type RequestLinkRefusal = 'displaced' | 'already-in-group' | 'unknown-group';

/**
 * Asks the group `groupId` (seen in the swarm) to admit this device: builds the signed,
 * encrypted request (store it with `LINK_REQUEST_TTL_MS`) and its SAS. Outside a group our row
 * becomes Pending; inside one we stay a member until admitted elsewhere.
 */
export function requestLink(
  state: DeviceStateSnapshot,
  groupId: Uint8Array,
  ctx: MembershipContext,
): Transition<{ ok: true; sas: EmojiSas } | { ok: false; reason: RequestLinkRefusal }> {
  if (state.displacedAt !== undefined) return settled(state, { ok: false, reason: 'displaced' });
  const registered = ownState(state) === 'registered';
  if (registered && state.groupId !== undefined && bytesEqual(state.groupId, groupId)) {
    return settled(state, { ok: false, reason: 'already-in-group' });
  }
  const group = liveGroups(state, ctx.now).find((g) => bytesEqual(g.groupId, groupId));
  if (group === undefined) return settled(state, { ok: false, reason: 'unknown-group' });

  let s = ensureOwnRecord(state, ctx);
  const me = selfHex(s);
  const self = s.devices.get(me);
  const base = self?.record;
  if (base === undefined) throw new ProtocolError('invalid-input', 'requestLink: no own record');
  const lastAsked = s.own.reduce((m, r) => Math.max(m, r.timestamp + 1), 0);
  const record = {
    ...base,
    seqno: base.seqno + 1,
    timestamp: Math.max(Math.floor(ctx.now / 1000), lastAsked),
  };
  if (!registered) {
    const devices = new Map(s.devices);
    devices.set(me, { state: 'pending', record });
    s = { ...s, devices };
  }
  const { message, plaintext } = createLinkRequest({
    account: ctx.account,
    deviceId: s.deviceId,
    record,
    linkKey: group.linkKey,
    rng: ctx.rng,
  });
  const sasSeed = linkSasSeed(plaintext);
  const own: OwnLinkRequest[] = s.own.map((r) => omitKeys(r, 'admission'));
  own.push({
    groupId: Uint8Array.from(groupId),
    timestamp: record.timestamp,
    x25519PublicKey: record.x25519PublicKey,
    sasSeed,
    expiresAt: ctx.now + LINK_REQUEST_TTL_MS,
    confirmed: false,
  });
  const events: DeviceEvent[] = [];
  s = reportMembership({ ...s, own }, events, ctx.now);
  return {
    state: s,
    events,
    store: [{ data: message, ttlMs: LINK_REQUEST_TTL_MS }],
    delete: [],
    value: { ok: true, sas: sasFromSeed(sasSeed) },
  };
}

/**
 * The user's confirmation that the SAS on this device matches the accepting device's. Applies
 * a held admission for the newest request at once; otherwise the next admission applies. False
 * when this device is not waiting on a request.
 */
export function confirmLink(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<boolean> {
  const newest = newestOwnRequest(state);
  if (newest === undefined) return settled(state, false);
  const own = [...state.own];
  own[own.length - 1] = { ...newest, confirmed: true };
  const s = { ...state, own };
  if (newest.admission === undefined) return settled(s, true);
  const applied = receiveGroupMessage(
    s,
    {
      data: newest.admission.message,
      timestamp: newest.admission.timestamp,
      ...(newest.admission.hash === undefined ? {} : { hash: newest.admission.hash }),
    },
    ctx,
  );
  return { ...applied, value: true };
}

/**
 * Refuses the newest own request (the emoji did not match, or the user gave up): any held
 * admission is dropped and a Pending row returns to Unregistered. True if there was one.
 */
export function cancelLinkRequest(
  state: DeviceStateSnapshot,
  ctx: MembershipContext,
): Transition<boolean> {
  if (state.own.length === 0) return settled(state, false);
  const me = selfHex(state);
  const self = state.devices.get(me);
  const devices = new Map(state.devices);
  if (self?.state === 'pending') devices.set(me, { ...self, state: 'unregistered' });
  const events: DeviceEvent[] = [];
  const s = reportMembership({ ...state, devices, own: [] }, events, ctx.now);
  return settled(s, true, events);
}

/** The SAS of an incoming request, for redrawing a prompt. */
export function incomingRequestSas(request: IncomingLinkRequest): EmojiSas {
  return sasFromSeed(request.sasSeed);
}
