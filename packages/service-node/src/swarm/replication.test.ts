/**
 * Replication among real nodes on loopback: each node is a real HTTP listener with the swarm
 * layer (seed client, swarm state, peer routes, forwarder, replicator); the seed is a scripted
 * stand-in whose list the test changes, so every swarm change happens exactly when the test
 * says. The storage RPC is a small fake here (store and retrieve over an in-memory archive) so
 * this file tests the swarm layer alone; the daemons test in apps/cli runs the real thing.
 *
 * Scenarios: a store on one member reaches every member (forwarded, authenticated writes); a
 * node joining the swarm receives the messages stored before it came; when a swarm dissolves,
 * its messages move to the swarm that now owns their accounts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromBase64,
  fromHex,
  identityFromSeed,
  messageHash,
  swarmIdToHex,
  toBase64,
  toHex,
  utf8,
  type Identity,
} from '@session-ts/core';
import {
  createApp,
  createSilentLogger,
  listen,
  readJson,
  type Listener,
} from '@session-ts/server-kit';
import type { PeerResult, SwarmView } from '../swarm-port.ts';
import { createPeerClient, type PeerClient } from './http-peer-forwarder.ts';
import { createPeerRoutes, type ForwardedRpc } from './peer-routes.ts';
import type { MessageArchive, ReplicatedMessage } from './replication.ts';
import { createReplicator, type Replicator } from './replicator.ts';
import { createSeedClient } from './seed-client.ts';
import { createSwarmState, type SwarmState } from './swarm-state.ts';
import { createSwarmSync, type SwarmSync } from './swarm-sync.ts';

const clock = { now: () => Date.now() };
const logger = createSilentLogger();
const A = 0n;
const B = 1n << 63n;

/** An account whose swarm-space value is `space` (first chunk set, the rest zero). */
function accountAt(space: bigint): string {
  return '05' + space.toString(16).padStart(16, '0') + '00'.repeat(24);
}

function memoryArchive(): MessageArchive & { all(): ReplicatedMessage[] } {
  const byHash = new Map<string, ReplicatedMessage>();
  return {
    all: () => [...byHash.values()],
    *exportAll({ now, batchSize = 100 }) {
      const list = [...byHash.values()].filter((m) => m.expiry > now);
      for (let i = 0; i < list.length; i += batchSize) yield list.slice(i, i + batchSize);
    },
    importMessages(messages) {
      let added = 0;
      for (const m of messages) {
        const old = byHash.get(m.hash);
        if (old === undefined) added++;
        if (old === undefined || old.expiry < m.expiry) byHash.set(m.hash, m);
      }
      return added;
    },
  };
}

/** A stand-in for the RPC layer: `store` (forwarded to peers unless forwarded) and `retrieve`. */
function fakeRpc(
  archive: ReturnType<typeof memoryArchive>,
  view: SwarmView,
  peers: PeerClient,
): ForwardedRpc {
  return async (method, params, { forwarded }) => {
    const pubkey = String(params['pubkey']);
    if (method === 'retrieve') {
      return {
        status: 200,
        body: {
          messages: archive
            .all()
            .filter((m) => m.account === pubkey)
            .map((m) => m.hash),
        },
      };
    }
    const data = fromBase64(String(params['data']));
    const hash = messageHash(fromHex(pubkey), 0, data);
    archive.importMessages([
      {
        account: pubkey,
        namespace: 0,
        hash,
        timestamp: Date.now(),
        expiry: Date.now() + 3_600_000,
        data,
      },
    ]);
    const swarm: Record<string, PeerResult> = {};
    if (!forwarded) {
      for (const peer of view.peers())
        swarm[peer.pubkeyEd25519] = await peers.forward(peer, method, params);
    }
    return { status: 200, body: { hash, swarm } };
  };
}

interface ScriptedSeed {
  readonly url: string;
  /** Swarm of each node (by Ed25519 hex); a node absent here is not listed. */
  readonly assign: Map<string, bigint>;
  /** Publishes the current assignment as a new list version. */
  bump(): void;
  close(): Promise<void>;
}

async function scriptedSeed(): Promise<ScriptedSeed> {
  const contacts = new Map<string, { ip: string; port: number; x25519: string }>();
  const assign = new Map<string, bigint>();
  let version = 1;
  const app = createApp({
    logger,
    routes: [
      {
        method: 'POST',
        path: '/seed/v1/register',
        handler: async (req) => {
          const b = (await readJson(req, 10_000)) as Record<string, unknown>;
          const ed = String(b['pubkey_ed25519']);
          const known = contacts.get(ed);
          const contact = {
            ip: String(b['public_ip']),
            port: Number(b['storage_port']),
            x25519: ed, // not checked by the nodes' swarm layer
          };
          contacts.set(ed, contact);
          // A new or moved node changes the list, so its version moves on (as the real seed's).
          if (known?.ip !== contact.ip || known.port !== contact.port) version++;
          return Response.json({
            version,
            swarm: swarmIdToHex(assign.get(ed) ?? A),
            refresh_ms: 60_000,
          });
        },
      },
      {
        method: 'POST',
        path: '/json_rpc',
        handler: async (req) => {
          const params = ((await readJson(req, 10_000)) as { params: Record<string, unknown> })
            .params;
          const hash = version.toString(16).padStart(64, '0');
          if (params['poll_block_hash'] === hash) {
            return Response.json({
              result: { height: version, block_hash: hash, unchanged: true },
            });
          }
          const states = [...assign].flatMap(([ed, swarm]) => {
            const c = contacts.get(ed);
            if (c === undefined) return [];
            return [
              {
                pubkey_ed25519: ed,
                pubkey_x25519: c.x25519,
                public_ip: c.ip,
                storage_port: c.port,
                swarm: swarmIdToHex(swarm),
              },
            ];
          });
          return Response.json({
            result: { height: version, block_hash: hash, service_node_states: states },
          });
        },
      },
    ],
  });
  const l = await listen(app, { host: '127.0.0.1', port: 0 });
  return { url: l.url, assign, bump: () => void version++, close: () => l.close() };
}

interface TestNode {
  readonly key: string;
  readonly state: SwarmState;
  readonly archive: ReturnType<typeof memoryArchive>;
  readonly rpc: ForwardedRpc;
  readonly replicator: Replicator;
  readonly sync: SwarmSync;
  readonly listener: Listener;
  stop(): Promise<void>;
}

async function startNode(
  i: number,
  seed: ScriptedSeed,
  swarm: bigint | undefined,
): Promise<TestNode> {
  const identity: Identity = identityFromSeed(new Uint8Array(32).fill(0x40 + i));
  const key = toHex(identity.ed25519PublicKey);
  const archive = memoryArchive();
  const state = createSwarmState(key);
  const peers = createPeerClient({ identity, clock });
  const rpc = fakeRpc(archive, state, peers);
  const replicator = createReplicator({
    self: key,
    state,
    archive,
    peers,
    clock,
    logger,
    retryDelayMs: 100,
  });
  const late: { sync?: SwarmSync } = {};
  const app = createApp({
    logger,
    routes: createPeerRoutes({
      state,
      handleRpc: rpc,
      archive,
      clock,
      onBehind: () => late.sync?.pollNow(),
    }),
  });
  const listener = await listen(app, { host: '127.0.0.1', port: 0 });
  if (swarm !== undefined) {
    seed.assign.set(key, swarm);
    seed.bump();
  }
  const sync = createSwarmSync({
    identity,
    self: { ip: '127.0.0.1', port: listener.port, version: [2, 8, 0] },
    seed: createSeedClient({ url: seed.url, clock }),
    state,
    replicator,
    clock,
    logger,
    pollMs: 50,
    joinTimeoutMs: 5000,
  });
  late.sync = sync;
  await sync.start();
  return {
    key,
    state,
    archive,
    rpc,
    replicator,
    sync,
    listener,
    stop: async () => {
      sync.stop();
      replicator.stop();
      await listener.close();
    },
  };
}

async function eventually(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const hashes = (n: TestNode): string[] =>
  n.archive
    .all()
    .map((m) => m.hash)
    .sort();

test('replication among nodes on loopback: forwarded stores, a joining member, a dissolved swarm', async () => {
  const seed = await scriptedSeed();
  const nodes: TestNode[] = [];
  try {
    // Three members of swarm A.
    for (let i = 0; i < 3; i++) nodes.push(await startNode(i, seed, A));
    const [n0, n1, n2] = nodes as [TestNode, TestNode, TestNode];
    await eventually('all three see each other', () =>
      nodes.every((n) => n.state.peers().length === 2),
    );

    // 1. A store on one member reaches all of them, each answering for itself.
    const account = accountAt(5n);
    const reply = await n0.rpc(
      'store',
      { pubkey: account, data: toBase64(utf8('first')) },
      { forwarded: false },
    );
    const swarm = (reply.body as { swarm: Record<string, PeerResult> }).swarm;
    assert.deepEqual(Object.keys(swarm).sort(), [n1.key, n2.key].sort());
    assert.ok(
      Object.values(swarm).every((r) => r.ok),
      JSON.stringify(swarm),
    );
    const first = hashes(n0);
    assert.equal(first.length, 1);
    assert.deepEqual(hashes(n1), first);
    assert.deepEqual(hashes(n2), first);

    // 2. A fourth node joins swarm A and receives what was stored before it came.
    const n3 = await startNode(3, seed, A);
    nodes.push(n3);
    await eventually(
      'the new member has the old message',
      () => hashes(n3).join() === first.join(),
    );

    // 3. Swarm B (nodes 4, 5) holds an account near 2^63; then node 5 leaves and B dissolves,
    //    node 4 moving into A: B's messages move to A's members.
    const n4 = await startNode(4, seed, B);
    const n5 = await startNode(5, seed, B);
    nodes.push(n4, n5);
    const bAccount = accountAt(B + 7n);
    await eventually('B members see each other', () =>
      [n4, n5].every((n) => n.state.peers().length === 1),
    );
    const r = await n4.rpc(
      'store',
      { pubkey: bAccount, data: toBase64(utf8('in B')) },
      { forwarded: false },
    );
    assert.equal((r.body as { swarm: Record<string, PeerResult> }).swarm[n5.key]?.ok, true);
    const bHash = hashes(n4).find((h) => !first.includes(h));
    assert.ok(bHash !== undefined);
    assert.ok(hashes(n5).includes(bHash), 'forwarded within B');
    assert.ok(!hashes(n0).includes(bHash), 'A does not hold B accounts');

    seed.assign.delete(n5.key);
    seed.assign.set(n4.key, A);
    seed.bump();
    for (const n of [n0, n1, n2, n3]) {
      await eventually(`${n.key.slice(0, 8)} receives the dissolved swarm's message`, () =>
        hashes(n).includes(bHash),
      );
    }
    for (const n of [n0, n1, n2, n3, n4]) await n.replicator.idle();
    assert.equal(n4.replicator.stats().failedBatches, 0);
  } finally {
    for (const n of nodes) await n.stop();
    await seed.close();
  }
});
