/**
 * The device group from the client's side (protocol-v2.md §9–§13, docs/sdk.md "Devices"):
 * establishing a group for a new account, fetching namespace 21 into the membership state
 * machine, linking (request, SAS, confirm; approve or ignore on existing devices, with the
 * account's "approval required" policy), removing, leaving, and the rotation schedules.
 *
 * Every change goes through one of core's pure transitions and `applyTransition`, which stores
 * the snapshot and pushes the messages it produced.
 */
import {
  accountKeysFromSeed,
  acceptLinkRequest,
  accountRotationDue,
  bytesEqual,
  buildGroupMessage,
  cancelLinkRequest,
  confirmLink,
  currentAccountKey,
  deviceIdHex,
  deviceRotationDue,
  ensureOwnRecord,
  fetchCompleted,
  fromHex,
  ignoreLinkRequest,
  initialDeviceState,
  leaveGroupMessage,
  membershipOf,
  NAMESPACES,
  newDeviceId,
  parseAccountPubkeyMessage,
  receiveGroupMessage,
  receiveLinkRequest,
  removeDevice,
  requestLink,
  rotateAccountKey,
  rotateDeviceKey,
  startGroup,
  toHex,
  type DeviceEvent,
  type DeviceStateSnapshot,
  type EmojiSas,
  type Membership,
  type Transition,
} from '@session-ts/core';
import { ClientError } from './client-error.ts';
import {
  applyTransition,
  membershipContext,
  publishAccountKeys,
  requireIdentity,
  requireState,
  type ClientContext,
} from './context.ts';
import { retrieveMessages } from './swarm-requests.ts';

/** How this device describes itself in its record. */
export interface DeviceInfo {
  /** `c` CLI, `d` desktop, `a` Android, `i` iOS, or custom. */
  readonly type?: string;
  readonly description?: string;
  /** `1000000·major + 1000·minor + patch`. */
  readonly version?: number;
}

/** A device of the account, as the device table knows it. */
export interface DeviceSummary {
  readonly id: string;
  readonly self: boolean;
  readonly state: 'registered' | 'pending' | 'unregistered' | 'left' | 'kicked';
  readonly type: string;
  readonly description: string;
  readonly version: number;
  /** The newest record's timestamp, unix ms (when the device last changed its record). */
  readonly lastSeen?: number;
  /** When this client first saw the device, unix ms (kept while the client runs). */
  readonly firstSeen?: number;
  /** For removed and departed devices: when, unix ms. */
  readonly removedAt?: number;
}

/** What linking a restored device started. */
export type LinkStart =
  { readonly kind: 'link-requested'; readonly sas: EmojiSas } | { readonly kind: 'new-group' };

/** The group's 'G' and link requests' 'L' share namespace 21; the outer dict starts `d0:1:`. */
function messageType(data: Uint8Array): 'G' | 'L' | undefined {
  if (data.length < 6 || data[0] !== 0x64 || data[1] !== 0x30 || data[2] !== 0x3a) return undefined;
  if (data[3] !== 0x31 || data[4] !== 0x3a) return undefined;
  return data[5] === 0x47 ? 'G' : data[5] === 0x4c ? 'L' : undefined;
}

/** A fresh device state with a new device ID, stored. */
export async function freshDeviceState(ctx: ClientContext): Promise<DeviceStateSnapshot> {
  const state = initialDeviceState(newDeviceId(ctx.rng), []);
  await ctx.store.deviceState.put(state);
  return state;
}

/** Device events seen on this client (for first-seen times). */
export interface DeviceMemory {
  readonly firstSeen: Map<string, number>;
}

/**
 * Fetches namespace 21 and runs every new message through the state machine, then finishes the
 * fetch. Announces link requests (auto-approving them unless the account requires approval),
 * pushes a group message when the state owes one, and republishes the account keys when the
 * current one changed. Returns the membership after it.
 */
export async function fetchDeviceGroup(
  ctx: ClientContext,
  memory: DeviceMemory,
  info: DeviceInfo,
  fromStart = false,
): Promise<Membership> {
  const identity = requireIdentity(ctx);
  const cursor = {
    node: ctx.lastNode ?? 'default',
    account: identity.sessionId,
    namespace: NAMESPACES.DEVICE_GROUP,
  };
  // A fresh device state has read nothing: fetch the whole namespace, whatever was read before.
  const { messages, node: answered } = await retrieveMessages(ctx.swarm, {
    account: identity.sessionId,
    namespace: NAMESPACES.DEVICE_GROUP,
    lastHash: fromStart ? undefined : await ctx.store.pollState.getLastHash(cursor),
    signer: identity,
  });
  const events: DeviceEvent[] = [];
  for (const m of messages) {
    const state = await requireState(ctx);
    const type = messageType(m.data);
    const message = { data: m.data, hash: m.hash, timestamp: m.timestamp, expiry: m.expiration };
    const mctx = membershipContext(ctx);
    if (type === 'G') {
      const t = receiveGroupMessage(state, message, mctx);
      events.push(...t.events);
      await applyTransition(ctx, t);
    } else if (type === 'L') {
      const t = receiveLinkRequest(state, message, mctx);
      events.push(...t.events);
      await applyTransition(ctx, t);
    }
  }
  ctx.lastNode = answered;
  const last = messages[messages.length - 1];
  if (last !== undefined) {
    await ctx.store.pollState.setLastHash(
      { node: answered, account: identity.sessionId, namespace: NAMESPACES.DEVICE_GROUP },
      last.hash,
    );
  }
  const done = fetchCompleted(await requireState(ctx), membershipContext(ctx));
  events.push(...done.events);
  await applyTransition(ctx, done);
  noteDevices(memory, await requireState(ctx), ctx.clock.now());

  const settings = await ctx.store.account.getSettings();
  const mustPush = events.some((e) => e.type === 'device-left' || e.type === 'admitted');
  await oweBroadcastFor(
    ctx,
    events.flatMap((e) => (e.type === 'device-left' ? [e.deviceId] : [])),
  );
  for (const e of events) {
    if (e.type !== 'device-link-requested') continue;
    const auto = !settings.approvalRequired;
    if (auto) {
      const t = acceptLinkRequest(await requireState(ctx), e.request.id, membershipContext(ctx));
      if (t.value) await applyAndPush(ctx, t, info);
    }
    ctx.events.emit('device-link-requested', {
      requestId: e.request.id,
      deviceId: e.request.deviceId,
      sas: e.sas,
      autoApproved: auto,
    });
    if (auto) ctx.events.emit('device-linked', { deviceId: e.request.deviceId, self: false });
  }
  const state = await requireState(ctx);
  const owes = [...state.devices.values()].some((d) => d.broadcastNeeded === true);
  if (membershipOf(state, ctx.clock.now()) === 'in-group' && (mustPush || owes)) {
    await push(ctx, info);
  }
  await syncPublishedKeys(ctx);
  return membershipOf(await requireState(ctx), ctx.clock.now());
}

/**
 * A departure read from the group rotates the account key at once (core); the group must learn
 * the new key from our push. Marking the departed entry as owing a broadcast keeps that push
 * owed in the stored state, so a push that fails now is retried by the next fetch (`owes`)
 * instead of being forgotten with this call (the `device-left` event does not recur).
 */
async function oweBroadcastFor(ctx: ClientContext, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  const state = await requireState(ctx);
  const devices = new Map(state.devices);
  for (const id of deviceIds) {
    const d = devices.get(id);
    if (d !== undefined) devices.set(id, { ...d, broadcastNeeded: true });
  }
  await applyTransition(ctx, settled({ ...state, devices }));
}

function noteDevices(memory: DeviceMemory, state: DeviceStateSnapshot, now: number): void {
  for (const id of state.devices.keys()) {
    if (!memory.firstSeen.has(id)) memory.firstSeen.set(id, now);
  }
}

/** Pushes this device's group message (own record kept current) and republishes keys. */
export async function push(ctx: ClientContext, info: DeviceInfo): Promise<boolean> {
  return applyAndPush(ctx, settled(await requireState(ctx)), info);
}

function settled(state: DeviceStateSnapshot): Transition<boolean> {
  return { state, events: [], store: [], delete: [], value: true };
}

/**
 * Applies `t` together with the group message it calls for: the snapshot is stored only once
 * the push landed, so a new account key (a rotation, a removal) never becomes current here
 * before the other devices can learn it; a failed push leaves the old state to retry from.
 */
async function applyAndPush<T>(ctx: ClientContext, t: Transition<T>, info: DeviceInfo): Promise<T> {
  const mctx = membershipContext(ctx);
  const built = buildGroupMessage(ensureOwnRecord(t.state, mctx, definedInfo(info)), mctx);
  if (!built.value) return applyTransition(ctx, t);
  await applyTransition(ctx, {
    state: built.state,
    events: [...t.events, ...built.events],
    store: [...t.store, ...built.store],
    delete: [...t.delete, ...built.delete],
    value: undefined,
  });
  await publishAccountKeys(ctx);
  return t.value;
}

function definedInfo(info: DeviceInfo): { type?: string; description?: string; version?: number } {
  return {
    ...(info.type === undefined ? {} : { type: info.type }),
    ...(info.description === undefined ? {} : { description: info.description }),
    ...(info.version === undefined ? {} : { version: info.version }),
  };
}

/**
 * Reads our own −21 message: when another device published the current key already, this
 * device need not; when it shows an older key (or none), publish ours.
 */
async function syncPublishedKeys(ctx: ClientContext): Promise<void> {
  const identity = requireIdentity(ctx);
  const state = await requireState(ctx);
  const current = currentAccountKey(state.accountKeys);
  if (current === undefined || membershipOf(state, ctx.clock.now()) !== 'in-group') return;
  const mine = toHex(accountKeysFromSeed(current.seed).x25519PublicKey);
  if (ctx.publishedKey === mine) return;
  const { messages } = await retrieveMessages(ctx.swarm, {
    account: identity.sessionId,
    namespace: NAMESPACES.ACCOUNT_PUBKEYS,
  });
  const newest = messages[messages.length - 1];
  const parsed =
    newest === undefined ? undefined : parseAccountPubkeyMessage(newest.data, identity.sessionId);
  if (parsed?.ok === true && toHex(parsed.keys.x25519PublicKey) === mine) {
    ctx.publishedKey = mine;
    return;
  }
  await publishAccountKeys(ctx, true);
}

/** A brand-new account: this device alone in a new group, pushed, keys published. */
export async function establishGroup(
  ctx: ClientContext,
  memory: DeviceMemory,
  info: DeviceInfo,
): Promise<void> {
  await freshDeviceState(ctx);
  await fetchDeviceGroup(ctx, memory, info, true);
  const started = await applyTransition(
    ctx,
    startGroup(await requireState(ctx), membershipContext(ctx)),
  );
  if (!started.ok) throw new ClientError('state', `cannot start a group: ${started.reason}`);
  await push(ctx, info);
}

/**
 * A restored device: fetch namespace 21; ask the newest visible group to admit us (the user
 * compares the SAS, then calls `confirmLink`), or start a group when none is visible.
 */
export async function joinOrStart(
  ctx: ClientContext,
  memory: DeviceMemory,
  info: DeviceInfo,
): Promise<LinkStart> {
  await freshDeviceState(ctx);
  await fetchDeviceGroup(ctx, memory, info, true);
  const state = await requireState(ctx);
  const now = ctx.clock.now();
  const group = [...state.groups]
    .filter((g) => g.expiresAt > now && !g.dismissed)
    .sort((a, b) => b.seenAt - a.seenAt)[0];
  if (group === undefined) {
    const started = await applyTransition(ctx, startGroup(state, membershipContext(ctx)));
    if (!started.ok) throw new ClientError('state', `cannot start a group: ${started.reason}`);
    await push(ctx, info);
    return { kind: 'new-group' };
  }
  const withRecord = ensureOwnRecord(state, membershipContext(ctx), definedInfo(info));
  const asked = await applyTransition(
    ctx,
    requestLink(withRecord, group.groupId, membershipContext(ctx)),
  );
  if (!asked.ok) throw new ClientError('state', `cannot request a link: ${asked.reason}`);
  return { kind: 'link-requested', sas: asked.sas };
}

/**
 * While in our own group, asks another group of the account (announced by `group-appeared`) to
 * admit this device, keeping its identity: it stays a member of its group until the admission
 * (after `confirmLink`), then leaves it (core `requestLink`; receive-group-message.ts).
 */
export async function joinOtherGroup(
  ctx: ClientContext,
  groupId: string,
  info: DeviceInfo,
): Promise<LinkStart> {
  if (!/^[0-9a-f]{16}$/i.test(groupId)) {
    throw new ClientError(
      'invalid-input',
      `joinGroup: expected 16 hex characters, got "${groupId}"`,
    );
  }
  const id = fromHex(groupId);
  const state = await requireState(ctx);
  if (isOwnGroup(state, id)) throw new ClientError('invalid-input', 'joinGroup: our own group');
  const withRecord = ensureOwnRecord(state, membershipContext(ctx), definedInfo(info));
  const asked = await applyTransition(ctx, requestLink(withRecord, id, membershipContext(ctx)));
  if (!asked.ok) throw new ClientError('state', `cannot request a link: ${asked.reason}`);
  return { kind: 'link-requested', sas: asked.sas };
}

/** The user confirmed the SAS on this (new) device. True when admitted at once. */
export async function confirmOwnLink(ctx: ClientContext, info: DeviceInfo): Promise<boolean> {
  const t = confirmLink(await requireState(ctx), membershipContext(ctx));
  const ok = await applyTransition(ctx, t);
  if (!ok) throw new ClientError('state', 'no link request to confirm');
  // Not "in-group now": a device joining another group is in its own until the admission.
  const admitted = t.events.some((e) => e.type === 'admitted');
  if (admitted) await push(ctx, info);
  return admitted;
}

/** The SAS did not match (or the user gave up): refuse our own request. */
export async function cancelOwnLink(ctx: ClientContext): Promise<boolean> {
  return applyTransition(ctx, cancelLinkRequest(await requireState(ctx), membershipContext(ctx)));
}

/** An existing device approves a pending request (after comparing the SAS). */
export async function approveLink(
  ctx: ClientContext,
  requestId: number,
  info: DeviceInfo,
): Promise<boolean> {
  const state = await requireState(ctx);
  const request = state.incoming.find((r) => r.id === requestId);
  const t = acceptLinkRequest(state, requestId, membershipContext(ctx));
  if (!t.value) return false;
  await applyAndPush(ctx, t, info);
  if (request !== undefined) {
    ctx.events.emit('device-linked', { deviceId: request.deviceId, self: false });
  }
  return true;
}

export async function ignoreLink(ctx: ClientContext, requestId: number): Promise<boolean> {
  return applyTransition(ctx, ignoreLinkRequest(await requireState(ctx), requestId));
}

/** Removes a device: kicked, account key rotated, pushed, keys republished. */
export async function removeOtherDevice(
  ctx: ClientContext,
  deviceId: string,
  info: DeviceInfo,
): Promise<boolean> {
  const state = await requireState(ctx);
  if (deviceId === deviceIdHex(state.deviceId)) {
    throw new ClientError('invalid-input', 'removeDevice: use leave() for this device');
  }
  const t = removeDevice(state, deviceId, membershipContext(ctx));
  if (!t.value) return false;
  await applyAndPush(ctx, t, info);
  return true;
}

/** Leaves the group (the others rotate on reading our `−t`). */
export async function leaveGroup(ctx: ClientContext): Promise<boolean> {
  const state = await requireState(ctx);
  const before = membershipOf(state, ctx.clock.now());
  const left = await applyTransition(ctx, leaveGroupMessage(state, membershipContext(ctx)));
  // Core's leave carries no membership event; the UI learns of it now, not at the next poll.
  const after = await requireState(ctx);
  const membership = membershipOf(after, ctx.clock.now());
  if (membership !== before) ctx.events.emit('membership-changed', { membership, state: after });
  return left;
}

/**
 * Rotations due at the injected clock's time (missed ones included: the schedule is compared
 * with now): the account key on its 11–13 h schedule, the device key every 7 days once
 * confirmed. Returns what rotated.
 *
 * When something is due, namespace 21 is fetched first (`refetch`): devices push only after
 * fetching (protocol-v2.md "Device-key rotation"). A device back from weeks away would
 * otherwise push its stale device table, encrypted to device keys the others have long
 * rotated away, and publish an account key they cannot learn: contacts would write to it and
 * the other devices read nothing (and, more than 5 min on, find themselves displaced).
 */
export async function rotateDue(
  ctx: ClientContext,
  info: DeviceInfo,
  refetch: () => Promise<unknown>,
): Promise<{ account: boolean; device: boolean }> {
  const none = { account: false, device: false };
  const first = dueRotations(await requireState(ctx), ctx.clock.now());
  if (!first.account && !first.device) return none;
  await refetch();
  let state = await requireState(ctx);
  const now = ctx.clock.now();
  const { account, device } = dueRotations(state, now);
  const sec = Math.floor(now / 1000);
  if (account)
    state = { ...state, accountKeys: rotateAccountKey(state.accountKeys, sec, ctx.rng).ring };
  if (device)
    state = { ...state, deviceKeys: rotateDeviceKey(state.deviceKeys, sec, ctx.rng).ring };
  if (account || device) await applyAndPush(ctx, settled(state), info);
  return { account, device };
}

function dueRotations(
  state: DeviceStateSnapshot,
  now: number,
): { account: boolean; device: boolean } {
  if (membershipOf(state, now) !== 'in-group') return { account: false, device: false };
  const sec = Math.floor(now / 1000);
  const registered = [...state.devices.values()].filter((d) => d.state === 'registered').length;
  const due = accountRotationDue({
    ring: state.accountKeys,
    deviceId: state.deviceId,
    registeredDevices: Math.max(1, registered),
    now: sec,
  });
  return { account: due.due, device: deviceRotationDue(state.deviceKeys, sec) };
}

/** The device table as a list. */
export function listDevices(state: DeviceStateSnapshot, memory: DeviceMemory): DeviceSummary[] {
  const self = deviceIdHex(state.deviceId);
  const out: DeviceSummary[] = [];
  for (const [id, d] of state.devices) {
    const first = memory.firstSeen.get(id);
    out.push({
      id,
      self: id === self,
      state: d.state,
      type: d.record?.type ?? '',
      description: d.record?.description ?? '',
      version: d.record?.version ?? 0,
      ...(d.record === undefined ? {} : { lastSeen: d.record.timestamp * 1000 }),
      ...(first === undefined ? {} : { firstSeen: first }),
      ...(d.removedAt === undefined ? {} : { removedAt: d.removedAt * 1000 }),
    });
  }
  return out.sort((a, b) => (a.self === b.self ? a.id.localeCompare(b.id) : a.self ? -1 : 1));
}

/** True when `groupId` is our group. */
export function isOwnGroup(state: DeviceStateSnapshot, groupId: Uint8Array): boolean {
  return state.groupId !== undefined && bytesEqual(state.groupId, groupId);
}
