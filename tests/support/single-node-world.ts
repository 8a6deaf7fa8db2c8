/**
 * A test world for SDK clients over real service-node code: one node with a memory store,
 * its storage RPC called directly through a `SwarmApi` (no sockets), a manual clock, and
 * attacker/network hooks — strip an account's −21 answers, or make its swarm unreachable.
 * Shared by the SDK end-to-end tests in tests/.
 */
import assert from 'node:assert/strict';
import {
  createSystemRng,
  identityFromSeed,
  retrieveToSign,
  signDetached,
  toBase64,
  toHex,
  type Identity,
} from '@session-ts/core';
import {
  createClient,
  createMemoryStores,
  type Client,
  type ClientEventName,
  type ClientEvents,
  type ClientStore,
  type SwarmApi,
} from '@session-ts/sdk';
import {
  createMemoryMessageStore,
  createServiceNode,
  createSingleNodeSwarmView,
  NO_PEERS,
} from '@session-ts/service-node';
import { createSilentLogger } from '@session-ts/server-kit';

/** The fixed start time of every world (ms). */
export const T0 = 1_760_000_000_000;

/** A single-node world. */
export interface World {
  readonly clock: { now(): number; advance(ms: number): void };
  readonly swarm: SwarmApi;
  /** Accounts whose −21 answers an attacker strips. */
  readonly stripped: Set<string>;
  /** Accounts whose swarm cannot be reached. */
  readonly unreachable: Set<string>;
}

/** Builds a fresh world at `T0`. */
export function world(): World {
  let t = T0;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const node = createServiceNode({
    identity: identityFromSeed(new Uint8Array(32).fill(9)),
    store: createMemoryMessageStore(),
    clock,
    logger: createSilentLogger(),
    swarm: createSingleNodeSwarmView({
      pubkeyEd25519: 'aa'.repeat(32),
      pubkeyX25519: 'bb'.repeat(32),
      ip: '127.0.0.1',
      port: 1,
      swarmId: 0n,
    }),
    forwarder: NO_PEERS,
    rateLimit: false,
  });
  const stripped = new Set<string>();
  const unreachable = new Set<string>();
  const swarm: SwarmApi = {
    async storageRpc(account, method, params) {
      if (unreachable.has(account)) throw new Error('connection refused');
      if (method === 'retrieve' && params['namespace'] === -21 && stripped.has(account)) {
        return { status: 200, body: { messages: [], more: false }, node: 'n1' };
      }
      const r = await node.handleRpc(method, params, { forwarded: false });
      return { status: r.status, body: r.body, node: 'n1' };
    },
    now: () => clock.now(),
  };
  return { clock, swarm, stripped, unreachable };
}

/** A client device in `w` with its own (memory, unless given) store. */
export function client(
  w: World,
  description: string,
  store: ClientStore = createMemoryStores(),
  options: { readonly keyRecheckMs?: number } = {},
): Client {
  return createClient({
    store,
    swarm: w.swarm,
    clock: w.clock,
    rng: createSystemRng(),
    device: { type: 'c', description },
    ...options,
  });
}

/** Collects every event of one kind that `c` emits. */
export function record<K extends ClientEventName>(c: Client, name: K): ClientEvents[K][] {
  const out: ClientEvents[K][] = [];
  c.on(name, (e) => out.push(e));
  return out;
}

/** A device restored from `words` and linked to `admit`'s group, the SAS confirmed. */
export async function linkDevice(
  w: World,
  words: string,
  description: string,
  admit: Client,
  store?: ClientStore,
): Promise<Client> {
  const device = client(w, description, store);
  const start = await device.restoreAccount(words);
  assert.equal(start.kind, 'link-requested');
  await admit.poll();
  await device.poll();
  assert.equal(await device.confirmLink(), true);
  await admit.poll();
  return device;
}

/** One message as the swarm holds it. */
export interface HeldMessage {
  readonly hash: string;
  readonly data: Uint8Array;
  readonly expiration: number;
}

/**
 * What `identity`'s swarm holds in `namespace`, read with a signed retrieve — as anyone holding
 * the account's root seed (a removed device, say) can read it.
 */
export async function retrieveAs(
  w: World,
  identity: Identity,
  namespace: number,
): Promise<HeldMessage[]> {
  const now = w.swarm.now();
  const r = await w.swarm.storageRpc(identity.sessionId, 'retrieve', {
    pubkey: identity.sessionId,
    pubkey_ed25519: toHex(identity.ed25519PublicKey),
    namespace,
    timestamp: now,
    signature: toBase64(
      signDetached(identity.ed25519SecretKey, retrieveToSign({ namespace, timestamp: now })),
    ),
  });
  assert.equal(r.status, 200);
  const messages = (r.body as { messages: { hash: string; data: string; expiration: number }[] })
    .messages;
  return messages.map((m) => ({
    hash: m.hash,
    data: Uint8Array.from(Buffer.from(m.data, 'base64')),
    expiration: m.expiration,
  }));
}
