/**
 * Test fixture for the storage RPC: a service node over an in-memory (or given) store, a clock
 * the test moves, a swarm view the test shapes, and clients that sign requests exactly as a
 * Session client does (core's signed strings, Ed25519 with the account's key).
 */
import {
  buildSubaccountToken,
  identityFromSeed,
  signDetached,
  toBase64,
  toHex,
  type Identity,
  type SubaccountFlag,
} from '@session-ts/core';
import { createSilentLogger } from '@session-ts/server-kit';
import { createServiceNode, type ServiceNode, type ServiceNodeDeps } from '../app.ts';
import type { RpcResponse } from '../rpc/handler.ts';
import { createMemoryMessageStore } from '../storage/memory-message-store.ts';
import type { MessageStore } from '../storage/message-store.ts';
import {
  NO_PEERS,
  type NodeInfo,
  type PeerForwarder,
  type SwarmInfo,
  type SwarmView,
} from '../swarm-port.ts';

/** 2023-11-14T22:13:20Z; any fixed time works. */
export const T0 = 1_700_000_000_000;

/** A clock the test sets. */
export interface TestClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = T0): TestClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A node description for swarm views. */
export function nodeInfo(identity: Identity, port: number, swarmId: bigint | undefined): NodeInfo {
  return {
    pubkeyEd25519: toHex(identity.ed25519PublicKey),
    pubkeyX25519: toHex(identity.x25519PublicKey),
    ip: '127.0.0.1',
    port,
    swarmId,
  };
}

/**
 * A swarm view with two swarms: ours (id 1, this node plus `peers`) and a foreign one (id 2,
 * one node). Accounts in `foreign` map to swarm 2; everything else to ours.
 */
export function fakeSwarm(
  self: NodeInfo,
  options: { peers?: readonly NodeInfo[]; foreign?: ReadonlySet<string>; ready?: boolean } = {},
): SwarmView & { other: SwarmInfo } {
  const ours: SwarmInfo = { id: 1n, nodes: [{ ...self, swarmId: 1n }, ...(options.peers ?? [])] };
  const otherNode = nodeInfo(identityFromSeed(new Uint8Array(32).fill(250)), 40000, 2n);
  const other: SwarmInfo = { id: 2n, nodes: [otherNode] };
  return {
    other,
    mySwarmId: () => (options.ready === false ? undefined : 1n),
    swarmFor: (account) => (options.foreign?.has(toHex(account)) === true ? other : ours),
    peers: () => options.peers ?? [],
    nodes: () => [...ours.nodes, ...other.nodes],
  };
}

/** A Session account (05) that signs like a client. */
export interface TestUser {
  readonly identity: Identity;
  /** The account ID to send as `pubkey`. */
  readonly pubkey: string;
  /** `{pubkey, pubkey_ed25519}` for 05 accounts, `{pubkey}` for 03. */
  readonly auth: Record<string, string>;
  readonly sign: (message: Uint8Array) => string;
}

export function sessionUser(n: number): TestUser {
  const identity = identityFromSeed(new Uint8Array(32).fill(n));
  return {
    identity,
    pubkey: identity.sessionId,
    auth: { pubkey: identity.sessionId, pubkey_ed25519: toHex(identity.ed25519PublicKey) },
    sign: (m) => toBase64(signDetached(identity.ed25519SecretKey, m)),
  };
}

/** A groups-v2 account (03): the group's Ed25519 key is the account key. */
export function groupAccount(n: number): TestUser {
  const identity = identityFromSeed(new Uint8Array(32).fill(n));
  const pubkey = '03' + toHex(identity.ed25519PublicKey);
  return {
    identity,
    pubkey,
    auth: { pubkey },
    sign: (m) => toBase64(signDetached(identity.ed25519SecretKey, m)),
  };
}

/** A subaccount of `owner` with `flags`: the token fields to add and its own signer. */
export function subaccount(
  owner: TestUser,
  n: number,
  flags: readonly SubaccountFlag[],
): {
  fields: Record<string, string>;
  token: Uint8Array;
  sign: (message: Uint8Array) => string;
} {
  const member = identityFromSeed(new Uint8Array(32).fill(n));
  const token = buildSubaccountToken({
    prefix: Number.parseInt(owner.pubkey.slice(0, 2), 16),
    flags,
    publicKey: member.ed25519PublicKey,
  });
  return {
    token,
    fields: { subaccount: toBase64(token), subaccount_sig: owner.sign(token) },
    sign: (m) => toBase64(signDetached(member.ed25519SecretKey, m)),
  };
}

/** A node under test. */
export interface RpcFixture {
  readonly node: ServiceNode;
  readonly clock: TestClock;
  readonly store: MessageStore;
  readonly self: NodeInfo;
  readonly identity: Identity;
  rpc(method: string, params: unknown, forwarded?: boolean): Promise<RpcResponse>;
  /** A JSON body as a record (fails the test when the answer is text). */
  json(r: RpcResponse): Record<string, unknown>;
}

/** Builds a node; the swarm view defaults to `fakeSwarm(self)`. */
export function rpcFixture(
  options: {
    store?: MessageStore;
    forwarder?: PeerForwarder;
    swarm?: (self: NodeInfo) => SwarmView;
    deps?: Partial<ServiceNodeDeps>;
  } = {},
): RpcFixture {
  const identity = identityFromSeed(new Uint8Array(32).fill(200));
  const self = nodeInfo(identity, 30000, 1n);
  const clock = testClock();
  const store = options.store ?? createMemoryMessageStore();
  const node = createServiceNode({
    identity,
    store,
    clock,
    logger: createSilentLogger(),
    swarm: options.swarm?.(self) ?? fakeSwarm(self),
    forwarder: options.forwarder ?? NO_PEERS,
    ...options.deps,
  });
  return {
    node,
    clock,
    store,
    self,
    identity,
    rpc: (method, params, forwarded = false) => node.handleRpc(method, params, { forwarded }),
    json(r) {
      if (typeof r.body === 'string') throw new Error(`expected JSON, got ${r.status} ${r.body}`);
      return r.body;
    },
  };
}

/** The body of an answer as text (the reason of a rejection, or the JSON). */
export function bodyText(r: RpcResponse): string {
  return typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
}
