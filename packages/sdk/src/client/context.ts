/**
 * What every part of a client shares: its dependencies, the loaded identity, the emitter, and
 * the one helper that applies a device-group transition (store the snapshot, push its messages,
 * translate its events). Internal to the client.
 */
import {
  currentAccountKey,
  accountKeysFromSeed,
  buildAccountPubkeyMessage,
  deviceIdHex,
  NAMESPACES,
  TTL_MAX_PRIVATE_MS,
  toHex,
  type Clock,
  type DeviceEvent,
  type DeviceStateSnapshot,
  type Identity,
  type MembershipContext,
  type Rng,
  type Transition,
} from '@session-ts/core';
import type { ClientStore } from '../stores/client-store.ts';
import { ClientError } from './client-error.ts';
import type { Emitter } from './events.ts';
import type { SwarmApi } from './swarm-api.ts';
import { deleteMessages, storeMessage } from './swarm-requests.ts';

/** The logger a client writes to (the subset of server-kit's and net's loggers it uses). */
export interface ClientLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const SILENT_CLIENT_LOGGER: ClientLogger = { warn: () => {}, error: () => {} };

/** The mutable core of one client. */
export interface ClientContext {
  readonly store: ClientStore;
  readonly swarm: SwarmApi;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger: ClientLogger;
  readonly events: Emitter;
  /** See `ClientDeps.keyRecheckMs`. */
  readonly keyRecheckMs: number;
  identity?: Identity;
  /** The X25519 key last published to −21 by this device (hex), to republish on change. */
  publishedKey?: string;
  /**
   * Fetches namespace 21 unless this client did so within the last hour (set by the client;
   * failures are logged, not thrown). Sync copies call it first: a device back from a long
   * absence would otherwise encrypt them to an account key its other devices rotated away.
   */
  ensureGroupFresh?: () => Promise<void>;
  /** The node that answered our last retrieve (per-node `last_hash`, PollStateStore). */
  lastNode?: string;
}

export function requireIdentity(ctx: ClientContext): Identity {
  if (ctx.identity === undefined) {
    throw new ClientError('no-account', 'no account: create or restore one first');
  }
  return ctx.identity;
}

export async function requireState(ctx: ClientContext): Promise<DeviceStateSnapshot> {
  const s = await ctx.store.deviceState.get();
  if (s === undefined) throw new ClientError('no-account', 'no device state: create or restore');
  return s;
}

export function membershipContext(ctx: ClientContext): MembershipContext {
  return { account: requireIdentity(ctx), now: ctx.clock.now(), rng: ctx.rng };
}

/**
 * Applies a transition: stores its namespace-21 messages, then the new snapshot, deletes the
 * obsolete messages, and emits the client events its device events mean. Returns its value.
 */
export async function applyTransition<T>(ctx: ClientContext, t: Transition<T>): Promise<T> {
  const identity = requireIdentity(ctx);
  // Messages first: if a store fails, the snapshot stays as it was and the step can be retried.
  for (const m of t.store) {
    await storeMessage(ctx.swarm, {
      account: identity.sessionId,
      namespace: NAMESPACES.DEVICE_GROUP,
      data: m.data,
      ttlMs: m.ttlMs,
      signer: identity,
    });
  }
  await ctx.store.deviceState.put(t.state);
  if (t.store.length > 0 && t.delete.length > 0) {
    try {
      await deleteMessages(ctx.swarm, identity, t.delete);
    } catch (error) {
      ctx.logger.warn('could not delete obsolete device-group messages', { error });
    }
  }
  emitDeviceEvents(ctx, t.state, t.events);
  return t.value;
}

function emitDeviceEvents(
  ctx: ClientContext,
  state: DeviceStateSnapshot,
  events: readonly DeviceEvent[],
): void {
  const self = deviceIdHex(state.deviceId);
  for (const e of events) {
    switch (e.type) {
      case 'device-joined':
        ctx.events.emit('device-linked', { deviceId: e.deviceId, self: false });
        break;
      case 'admitted':
        ctx.events.emit('device-linked', { deviceId: self, self: true });
        break;
      case 'device-removed':
        ctx.events.emit('device-removed', { deviceId: e.deviceId, self: false, reason: 'removed' });
        break;
      case 'device-left':
        ctx.events.emit('device-removed', { deviceId: e.deviceId, self: false, reason: 'left' });
        break;
      case 'removed':
        ctx.events.emit('device-removed', { deviceId: self, self: true, reason: 'removed' });
        break;
      case 'membership-changed':
        ctx.events.emit('membership-changed', { membership: e.membership, state });
        break;
      case 'group-appeared':
        ctx.events.emit('security-notice', {
          kind: 'group-appeared',
          accountId: requireIdentity(ctx).sessionId,
          detail: toHex(e.groupId),
        });
        break;
      case 'device-link-requested':
      case 'displaced':
        // The link request is announced by the device layer (it may auto-approve); displacement
        // shows as `membership-changed`.
        break;
    }
  }
}

/**
 * Publishes the current account key to −21 when it differs from what this device last
 * published (a rotation here or on another device). Returns whether it published.
 */
export async function publishAccountKeys(ctx: ClientContext, force = false): Promise<boolean> {
  const identity = requireIdentity(ctx);
  const state = await requireState(ctx);
  const current = currentAccountKey(state.accountKeys);
  if (current === undefined) return false;
  const keys = accountKeysFromSeed(current.seed);
  const hex = toHex(keys.x25519PublicKey);
  if (!force && ctx.publishedKey === hex) return false;
  await storeMessage(ctx.swarm, {
    account: identity.sessionId,
    namespace: NAMESPACES.ACCOUNT_PUBKEYS,
    data: buildAccountPubkeyMessage({ identity, accountKeys: keys, rng: ctx.rng }),
    ttlMs: TTL_MAX_PRIVATE_MS,
    signer: identity,
  });
  ctx.publishedKey = hex;
  return true;
}
