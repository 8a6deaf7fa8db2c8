/**
 * A whole fake network in one process: `nodeCount` fake nodes (`fake-node.ts`) in `swarmCount`
 * swarms and a signing seed node, on an in-process network (`createInProcessNetwork`). Node `i`
 * has the fixed identity seed `32 bytes of (i + 1)` and the address `10.0.0.(i + 1):22021`; the
 * seed lives at `10.9.9.9:4433`; clients use `clientTransport()` (source `192.0.2.50`,
 * TEST-NET-1, so the privacy test can search for it).
 *
 * `moveSwarms()` reassigns every node to the next swarm id, so each account's swarm changes
 * members at once — what a client with a cached swarm then meets as 421s.
 */
import {
  SEED_PUBKEY_HEADER,
  SEED_SIGNATURE_HEADER,
  identityFromSeed,
  signDetached,
  swarmForAccount,
  toBase64,
  toHex,
  utf8,
  type Clock,
  type Identity,
  type Rng,
} from '@session-ts/core';
import { createInProcessNetwork, type InProcessNetwork } from '../in-process-transport.ts';
import type { NodeInfo } from '../node-info.ts';
import type { SeedNode } from '../seed-client.ts';
import type { Transport } from '../transport.ts';
import { createFakeNode, serviceNodeStateJson, type NodeView } from './fake-node.ts';

/** The address fake clients send from. */
export const CLIENT_IP = '192.0.2.50';
/** The port fake nodes listen on. */
export const NODE_PORT = 22021;
const SEED_HOST = '10.9.9.9:4433';

/** Options of `createFakeNetwork`. */
export interface FakeNetworkOptions {
  readonly nodeCount: number;
  /** Default 2. */
  readonly swarmCount?: number;
  /** The nodes' clock (default the system clock). */
  readonly clock?: Clock;
  readonly rng: Rng;
}

/** One node of the fake network. */
export interface FakeNetworkNode {
  readonly identity: Identity;
  /** `ip:port`. */
  readonly host: string;
  info(): NodeInfo;
}

/** The fake network. */
export interface FakeNetwork {
  readonly net: InProcessNetwork;
  readonly nodes: readonly FakeNetworkNode[];
  readonly seed: SeedNode;
  /** What each node learnt from onion layers, oldest first. */
  readonly views: NodeView[];
  clientTransport(address?: string): Transport;
  /** The nodes currently holding `account`. */
  swarmOf(account: string): readonly NodeInfo[];
  /** Moves every node to the next swarm id (accounts change swarms). */
  moveSwarms(): void;
  node(ed25519: string): FakeNetworkNode | undefined;
}

/** Builds and registers a fake network. */
export function createFakeNetwork(options: FakeNetworkOptions): FakeNetwork {
  const net = createInProcessNetwork();
  const clock = options.clock ?? { now: () => Date.now() };
  const swarmCount = options.swarmCount ?? 2;
  // Swarm ids spread over the u64 space, as the registry assigns them.
  const swarmIds = Array.from({ length: swarmCount }, (_, i) => (BigInt(i) << 62n) + 0x1234n);
  let shift = 0;
  const views: NodeView[] = [];
  const identities = Array.from({ length: options.nodeCount }, (_, i) =>
    identityFromSeed(new Uint8Array(32).fill(i + 1)),
  );
  const swarmIdOf = (i: number): bigint => swarmIds[(i + shift) % swarmCount] as bigint;
  const infoOf = (i: number): NodeInfo => {
    const id = identities[i] as Identity;
    return {
      pubkeyEd25519: toHex(id.ed25519PublicKey),
      pubkeyX25519: toHex(id.x25519PublicKey),
      ip: `10.0.0.${i + 1}`,
      port: NODE_PORT,
      swarmId: swarmIdOf(i),
    };
  };
  const directory = (): NodeInfo[] => identities.map((_, i) => infoOf(i));
  const swarmOf = (account: string): { id: bigint; nodes: NodeInfo[] } => {
    const id = swarmForAccount(account, swarmIds) as bigint;
    return { id, nodes: directory().filter((n) => n.swarmId === id) };
  };

  const nodes: FakeNetworkNode[] = identities.map((identity, i) => {
    const host = `10.0.0.${i + 1}:${NODE_PORT}`;
    const node = createFakeNode({
      identity,
      ip: `10.0.0.${i + 1}`,
      port: NODE_PORT,
      transport: net.transport(`10.0.0.${i + 1}`),
      directory,
      swarmOf,
      clock,
      rng: options.rng,
      onView: (v) => views.push(v),
    });
    net.register(host, node.handler);
    return { identity, host, info: () => infoOf(i) };
  });

  const seedIdentity = identityFromSeed(new Uint8Array(32).fill(0xee));
  net.register(SEED_HOST, async (request) => {
    const body = (await request.json()) as { method?: unknown };
    if (body.method !== 'get_n_service_nodes')
      return new Response('no such method', { status: 400 });
    const bytes = utf8(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        result: { service_node_states: directory().map(serviceNodeStateJson) },
      }),
    );
    return new Response(bytes, {
      headers: {
        'content-type': 'application/json',
        [SEED_SIGNATURE_HEADER]: toBase64(signDetached(seedIdentity.ed25519SecretKey, bytes)),
        [SEED_PUBKEY_HEADER]: toHex(seedIdentity.ed25519PublicKey),
      },
    });
  });

  return {
    net,
    nodes,
    seed: { url: `http://${SEED_HOST}`, pubkey: toHex(seedIdentity.ed25519PublicKey) },
    views,
    clientTransport: (address = CLIENT_IP) => net.transport(address),
    swarmOf: (account) => swarmOf(account).nodes,
    moveSwarms() {
      shift++;
    },
    node: (ed) => nodes.find((n) => toHex(n.identity.ed25519PublicKey) === ed),
  };
}
