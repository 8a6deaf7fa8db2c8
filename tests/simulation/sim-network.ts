/**
 * The simulation's network: real service-node code (`createServiceNode`, one swarm of a few
 * nodes replicating to each other through `handleRpc(..., { forwarded: true })`), a simulated
 * clock, and per-device `SwarmApi` adapters with injectable weather: random delays that
 * reorder concurrent requests, node crash and restart (a SQLite `:memory:` store outlives the
 * crash; a memory store does not), and per-device clock skew.
 *
 * Everything is driven by one seeded `SimRng`; delays are event-loop turns, not wall time, so
 * a run is deterministic and fast.
 */
import { identityFromSeed, toHex, type Clock, type Identity } from '@session-ts/core';
import {
  NO_PEERS,
  createMemoryMessageStore,
  createServiceNode,
  openSqliteMessageStore,
  type MessageStore,
  type NodeInfo,
  type PeerForwarder,
  type ServiceNode,
  type SwarmView,
} from '@session-ts/service-node';
import { createSilentLogger } from '@session-ts/server-kit';
import { createNetworkClock } from '@session-ts/net';
import type { SimRng } from './sim-rng.ts';

/** The simulated time: starts at a fixed instant, moves only when the scenario says. */
export interface SimClock extends Clock {
  advance(ms: number): void;
}

/** 2026-01-01T00:00:00Z. */
export const SIM_EPOCH = 1_767_225_600_000;

export function createSimClock(start = SIM_EPOCH): SimClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A storage-RPC answer, as the client's `SwarmApi` returns it. */
export interface SimAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly node?: string;
}

/** The client's `SwarmApi` shape (`@session-ts/sdk`), implemented over the simulated nodes. */
export interface SimSwarmApi {
  storageRpc(
    account: string,
    method: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<SimAnswer>;
  now(): number;
}

/** Network weather. */
export interface SimWeather {
  /** Most event-loop turns a request or answer waits (its "delay"); 0 delivers at once. */
  readonly maxDelayTurns: number;
  /** Chance that a request is lost on the way and answered as a timeout. */
  readonly lossRate: number;
}

/** Counters of what the network did. */
export interface SimNetworkStats {
  requests: number;
  lost: number;
  downRefusals: number;
  crashes: number;
  restarts: number;
}

/** The simulated swarm. */
export interface SimNetwork {
  readonly clock: SimClock;
  readonly stats: SimNetworkStats;
  readonly nodes: readonly string[];
  /**
   * A device's port to the swarm. The device's own clock runs `skewMs` off true time; `now()`
   * is net's network clock over it, corrected by the `t` of every answer (as `createNetwork`
   * does), so signed timestamps land within the nodes' windows once a node has answered.
   */
  swarmApi(skewMs: number): SimSwarmApi;
  crash(node: string): void;
  restart(node: string): void;
  isUp(node: string): boolean;
  close(): void;
}

interface SimNode {
  readonly info: NodeInfo;
  readonly identity: ReturnType<typeof identityFromSeed>;
  store: MessageStore;
  service: ServiceNode | undefined;
}

/** Node `i`'s identity (fixed by its index, so runs repeat) and its address. */
export function simNodeIdentity(
  i: number,
  address: { readonly ip: string; readonly port: number; readonly swarmId: bigint | undefined },
): { identity: Identity; info: NodeInfo } {
  const identity = identityFromSeed(new Uint8Array(32).fill(200 + i));
  return {
    identity,
    info: {
      pubkeyEd25519: toHex(identity.ed25519PublicKey),
      pubkeyX25519: toHex(identity.x25519PublicKey),
      ...address,
    },
  };
}

/** Builds `nodeCount` nodes in one swarm. */
export function createSimNetwork(options: {
  readonly rng: SimRng;
  readonly clock: SimClock;
  readonly nodeCount: number;
  readonly storage: 'sqlite' | 'memory';
  readonly weather: SimWeather;
}): SimNetwork {
  const { rng, clock, weather } = options;
  const stats: SimNetworkStats = { requests: 0, lost: 0, downRefusals: 0, crashes: 0, restarts: 0 };
  const makeStore = (): MessageStore =>
    options.storage === 'sqlite'
      ? openSqliteMessageStore({ path: ':memory:' })
      : createMemoryMessageStore();
  const nodes: SimNode[] = [];
  for (let i = 0; i < options.nodeCount; i++) {
    nodes.push({
      ...simNodeIdentity(i, { ip: `10.0.0.${i + 1}`, port: 22021, swarmId: 1n }),
      store: makeStore(),
      service: undefined,
    });
  }
  const byKey = new Map(nodes.map((n) => [n.info.pubkeyEd25519, n]));

  const forwarder: PeerForwarder = {
    async forward(peer, method, params) {
      const target = byKey.get(peer.pubkeyEd25519);
      if (target?.service === undefined) return { ok: false, timeout: true };
      await turns(rng.int(weather.maxDelayTurns + 1));
      const r = await target.service.handleRpc(method, params, { forwarded: true });
      return r.status === 200 ? { ok: true, body: r.body } : { ok: false, code: r.status };
    },
  };

  function start(node: SimNode): void {
    const swarm: SwarmView = {
      mySwarmId: () => 1n,
      swarmFor: () => ({ id: 1n, nodes: nodes.map((n) => n.info) }),
      peers: () => nodes.filter((n) => n !== node).map((n) => n.info),
      nodes: () => nodes.map((n) => n.info),
    };
    node.service = createServiceNode({
      identity: node.identity,
      store: node.store,
      clock,
      logger: createSilentLogger(),
      swarm,
      forwarder: nodes.length > 1 ? forwarder : NO_PEERS,
      rateLimit: false,
    });
  }
  for (const n of nodes) start(n);

  function swarmApi(skewMs: number): SimSwarmApi {
    // Each device sticks to one node until it fails (as clients keep a swarm node).
    let preferred = rng.int(nodes.length);
    const networkClock = createNetworkClock({ now: () => clock.now() + skewMs });
    return {
      now: () => networkClock.now(),
      async storageRpc(_account, method, params) {
        stats.requests++;
        // A request takes time: 1–200 ms of simulated latency, so clocks never stand still.
        clock.advance(rng.between(1, 200));
        for (let attempt = 0; attempt < nodes.length; attempt++) {
          const node = nodes[(preferred + attempt) % nodes.length];
          if (node === undefined) break;
          await turns(rng.int(weather.maxDelayTurns + 1));
          if (node.service === undefined) {
            stats.downRefusals++;
            continue;
          }
          if (rng.chance(weather.lossRate)) {
            stats.lost++;
            preferred = rng.int(nodes.length);
            return { status: 0, body: 'timeout', node: node.info.pubkeyEd25519 };
          }
          const r = await node.service.handleRpc(method, params, { forwarded: false });
          await turns(rng.int(weather.maxDelayTurns + 1));
          preferred = (preferred + attempt) % nodes.length;
          // Through JSON, as on the wire: nothing is shared between node and client.
          const body: unknown =
            typeof r.body === 'string' ? r.body : JSON.parse(JSON.stringify(r.body));
          if (typeof r.body !== 'string') networkClock.observe(r.body['t']);
          return { status: r.status, body, node: node.info.pubkeyEd25519 };
        }
        return { status: 0, body: 'no node of the swarm answered' };
      },
    };
  }

  return {
    clock,
    stats,
    nodes: nodes.map((n) => n.info.pubkeyEd25519),
    swarmApi,
    isUp: (key) => byKey.get(key)?.service !== undefined,
    crash(key) {
      const node = byKey.get(key);
      if (node?.service === undefined) return;
      node.service.stop();
      node.service = undefined;
      stats.crashes++;
    },
    restart(key) {
      const node = byKey.get(key);
      if (node === undefined || node.service !== undefined) return;
      // A SQLite store is the node's disk and survives; a memory store is lost with the process.
      if (options.storage === 'memory') node.store = makeStore();
      // What it missed comes back from a live peer, as the swarm layer's replicator hands a
      // returning member the swarm's data (`exportAll` → `importMessages`).
      const peer = nodes.find((n) => n !== node && n.service !== undefined);
      if (peer !== undefined) {
        for (const batch of peer.store.exportAll({ now: clock.now() })) {
          node.store.importMessages(batch);
        }
      }
      start(node);
      stats.restarts++;
    },
    close() {
      for (const n of nodes) n.service?.stop();
    },
  };
}

/** Waits `n` event-loop turns: a delay that lets concurrent requests overtake each other. */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
