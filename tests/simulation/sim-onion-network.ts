/**
 * The simulated Session network the conversation scenario runs on, built from real code end to
 * end: a seed (`createSeed`) that the nodes register with by signed HTTP requests, service
 * nodes (`createServiceNode`) with server-kit's onion endpoint mounted, all on net's in-process
 * transport (`createInProcessNetwork`), and per-device clients' `Network`s (`createNetwork`)
 * that learn the nodes from the seed and send every storage request through 3-hop onion paths.
 *
 * What is simulated: the clock (`SimClock`, moved by the scenario and by each client request's
 * latency), the weather (weather-transport.ts on every client and relay hop), node crashes
 * (the node's handler goes dark; a SQLite store survives, a memory one does not) and
 * replication between swarm members, which calls the peer's RPC handler directly (the swarm
 * layer's HTTP peer routes are not what this scenario tests).
 *
 * Everything random is drawn from one seeded `SimRng` (nodes', seed's and clients' rngs are
 * forks), and delays are event-loop turns, so one seed gives one run, bit for bit.
 */
import { createHash } from 'node:crypto';
import {
  fromUtf8,
  identityFromSeed,
  nodeRegistrationToSign,
  signDetached,
  swarmForAccount,
  toBase64,
  type Identity,
} from '@session-ts/core';
import {
  createInProcessNetwork,
  createNetwork,
  fetchNodesFromSeed,
  type Network,
  type NodeInfo,
  type Transport,
} from '@session-ts/net';
import { createMemoryRegistryStore, createSeed } from '@session-ts/seed';
import { createSilentLogger, type OnionForwardOutcome } from '@session-ts/server-kit';
import {
  STORAGE_SERVER_VERSION,
  createMemoryMessageStore,
  createOnionRoutes,
  createServiceNode,
  openSqliteMessageStore,
  type MessageStore,
  type PeerForwarder,
  type ServiceNode,
  type SwarmView,
} from '@session-ts/service-node';
import { simNodeIdentity, turns, type SimClock } from './sim-network.ts';
import type { SimRng } from './sim-rng.ts';
import { weatherTransport, type Weather, type WeatherStats } from './weather-transport.ts';

const SEED_HOST = '10.9.0.1:22027';
/**
 * Every real-time deadline (transport, onion relay, seed, guard test): an hour, so none fires.
 * Deadlines run on wall-clock timers, and a run on a busy machine would otherwise time out at
 * different requests each time; loss is the weather's job, decided by the seeded rng.
 */
const NEVER_MS = 3_600_000;
const NODE_PORT = 22021;
const logger = createSilentLogger();

/** Counters of what the network did. */
export interface OnionSimStats extends WeatherStats {
  crashes: number;
  restarts: number;
  /** Messages newly stored on any node (first copies and replicas). */
  stored: number;
}

/** The simulated network. */
export interface OnionSimNetwork {
  readonly stats: OnionSimStats;
  /** Ed25519 keys (hex) of the nodes. */
  readonly nodes: readonly string[];
  /** How many swarms the seed formed. */
  readonly swarms: number;
  /** A device's network layer: its own source address, clock skew and rng. */
  clientNetwork(skewMs: number, rng: SimRng): Network;
  /** Turns loss on (the configured rate) or off (setup runs in calm weather). */
  setLoss(on: boolean): void;
  crash(node: string): void;
  restart(node: string): void;
  isUp(node: string): boolean;
  /** SHA-256 over every (node, hash) newly stored, in the order it happened (hex). */
  storedDigest(): string;
  close(): void;
}

interface SimNode {
  readonly identity: Identity;
  info: NodeInfo;
  store: MessageStore;
  service: ServiceNode | undefined;
}

/** Builds a seed and `nodeCount` nodes; resolves once the nodes have their swarms. */
export async function createOnionSimNetwork(options: {
  readonly rng: SimRng;
  readonly clock: SimClock;
  readonly nodeCount: number;
  /** Nodes per swarm the seed aims for. */
  readonly swarmSize: number;
  readonly storage: 'sqlite' | 'memory';
  readonly weather: Weather;
}): Promise<OnionSimNetwork> {
  const { rng, clock } = options;
  // One mutable copy every transport reads at each request, so `setLoss` reaches them all.
  const weather = { ...options.weather };
  const stats: OnionSimStats = {
    requests: 0,
    lostOut: 0,
    lostBack: 0,
    crashes: 0,
    restarts: 0,
    stored: 0,
  };
  const digest = createHash('sha256');
  const net = createInProcessNetwork();
  const seedIdentity = identityFromSeed(new Uint8Array(32).fill(190));
  const seed = createSeed({
    identity: seedIdentity,
    store: createMemoryRegistryStore(),
    clock,
    rng: rng.fork(),
    logger,
    sizing: {
      minSize: 1,
      idealSize: options.swarmSize,
      newSwarmSize: 1,
      maxSize: Math.max(options.swarmSize, 10),
      buffer: 0,
    },
  });
  net.register(SEED_HOST, (req, ctx) => seed.app.fetch(req, ctx));
  const seeds = [{ url: `http://${SEED_HOST}`, pubkey: seed.pubkey }];

  const makeStore = (index: number): MessageStore => {
    const inner =
      options.storage === 'sqlite'
        ? openSqliteMessageStore({ path: ':memory:' })
        : createMemoryMessageStore();
    // Records every newly stored message, so the digest pins down the run's ciphertexts.
    const note = (hash: string): void => {
      stats.stored++;
      digest.update(`${index}:${hash}\n`);
    };
    // Both stores are closures over their state (no `this`), so a spread copy wraps them.
    return {
      ...inner,
      store: (m) => {
        const outcome = inner.store(m);
        if (outcome.kind === 'new') note(m.hash);
        return outcome;
      },
      storeMany: (ms) => {
        const outcomes = inner.storeMany(ms);
        outcomes.forEach((o, i) => {
          const m = ms[i];
          if (o.kind === 'new' && m !== undefined) note(m.hash);
        });
        return outcomes;
      },
    };
  };

  const nodes: SimNode[] = [];
  for (let i = 0; i < options.nodeCount; i++) {
    const ip = `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    nodes.push({
      ...simNodeIdentity(i, { ip, port: NODE_PORT, swarmId: undefined }),
      store: makeStore(i),
      service: undefined,
    });
  }
  const byKey = new Map(nodes.map((n) => [n.info.pubkeyEd25519, n]));
  const hostOf = (n: SimNode): string => `${n.info.ip}:${n.info.port}`;

  // Each node registers itself with the seed (signed, as the daemon's seed client does).
  for (const node of nodes) {
    const fields = {
      ed25519: node.info.pubkeyEd25519,
      ip: node.info.ip,
      port: node.info.port,
      version: STORAGE_SERVER_VERSION,
      timestamp: clock.now(),
    };
    const signature = signDetached(node.identity.ed25519SecretKey, nodeRegistrationToSign(fields));
    const res = await net.transport(node.info.ip).request(
      { url: `http://${SEED_HOST}` },
      JSON.stringify({
        pubkey_ed25519: fields.ed25519,
        public_ip: fields.ip,
        storage_port: fields.port,
        storage_server_version: fields.version,
        timestamp: fields.timestamp,
        signature: toBase64(signature),
      }),
      {
        path: '/seed/v1/register',
        headers: { 'content-type': 'application/json' },
        timeoutMs: NEVER_MS,
      },
    );
    if (res.status !== 200) throw new Error(`registration refused: ${fromUtf8(res.body)}`);
  }
  // The list as the seed serves it (signed; checked against the pinned key): the swarms.
  const listed = await fetchNodesFromSeed(net.transport('10.9.0.2'), seeds[0] ?? { url: '' });
  for (const info of listed) {
    const node = byKey.get(info.pubkeyEd25519);
    if (node !== undefined) node.info = info;
  }
  const infos = (): NodeInfo[] => nodes.map((n) => n.info);
  const swarmIds = [
    ...new Set(infos().flatMap((n) => (n.swarmId === undefined ? [] : [n.swarmId]))),
  ];
  const members = (id: bigint): NodeInfo[] => infos().filter((n) => n.swarmId === id);

  const forwarder: PeerForwarder = {
    async forward(peer, method, params) {
      const target = byKey.get(peer.pubkeyEd25519);
      if (target?.service === undefined) return { ok: false, timeout: true };
      await turns(rng.int(weather.maxDelayTurns + 1));
      const r = await target.service.handleRpc(method, params, { forwarded: true });
      return r.status === 200 ? { ok: true, body: r.body } : { ok: false, code: r.status };
    },
  };

  const relayTransports = new Map<string, Transport>();
  const relayTransport = (from: SimNode): Transport => {
    let t = relayTransports.get(from.info.ip);
    if (t === undefined) {
      t = weatherTransport({ inner: net.transport(from.info.ip), rng, weather, stats });
      relayTransports.set(from.info.ip, t);
    }
    return t;
  };

  function start(node: SimNode): void {
    const mine = node.info.swarmId;
    const swarm: SwarmView = {
      mySwarmId: () => mine,
      swarmFor: (account) => {
        const id = swarmForAccount(account, swarmIds);
        return id === undefined ? undefined : { id, nodes: members(id) };
      },
      peers: () => (mine === undefined ? [] : members(mine).filter((n) => n !== node.info)),
      nodes: infos,
    };
    const service = createServiceNode({
      identity: node.identity,
      store: node.store,
      clock,
      logger,
      swarm,
      forwarder,
      rng: rng.fork(),
      rateLimit: false,
      extraRoutes: [
        createOnionRoutes({
          identity: node.identity,
          rng: rng.fork(),
          logger,
          relayTimeoutMs: NEVER_MS,
          handleRpc: (method, params, call) => service.handleRpc(method, params, call),
          nodes: infos,
          // Through the weather; a lost request is a timeout here, not a dead node.
          sendToNode: async (target, envelope, signal): Promise<OnionForwardOutcome> => {
            try {
              const res = await relayTransport(node).request(target, envelope, {
                path: '/onion_req/v2',
                signal,
                timeoutMs: NEVER_MS,
              });
              return { kind: 'response', status: res.status, body: res.body };
            } catch (error) {
              const timeout = error instanceof Error && 'code' in error && error.code === 'timeout';
              return timeout ? { kind: 'timeout' } : { kind: 'unreachable' };
            }
          },
        }),
      ],
    });
    node.service = service;
    net.register(hostOf(node), (req, ctx) => service.app.fetch(req, ctx));
    net.setDown(hostOf(node), false);
  }
  for (const n of nodes) start(n);

  let clients = 0;
  return {
    stats,
    nodes: nodes.map((n) => n.info.pubkeyEd25519),
    swarms: swarmIds.length,
    clientNetwork(skewMs, clientRng) {
      clients++;
      const source = `192.0.${Math.floor(clients / 250) + 2}.${(clients % 250) + 1}`;
      return createNetwork({
        transport: weatherTransport({
          inner: net.transport(source),
          rng,
          weather,
          stats,
          advanceClock: (ms) => clock.advance(ms),
        }),
        seeds,
        clock: { now: () => clock.now() + skewMs },
        rng: clientRng,
        // Backoff waits are a turn of the event loop: simulated time moves with requests.
        sleep: () => turns(1),
        pool: { minSize: Math.min(options.nodeCount, 12), refreshAgreement: 1 },
        retry: { attempts: 6 },
        timeouts: { requestMs: NEVER_MS, seedMs: NEVER_MS, guardTestMs: NEVER_MS },
      });
    },
    setLoss(on) {
      weather.lossRate = on ? options.weather.lossRate : 0;
    },
    isUp: (key) => byKey.get(key)?.service !== undefined,
    crash(key) {
      const node = byKey.get(key);
      if (node?.service === undefined) return;
      node.service.stop();
      node.service = undefined;
      net.setDown(hostOf(node), true);
      stats.crashes++;
    },
    restart(key) {
      const node = byKey.get(key);
      if (node === undefined || node.service !== undefined) return;
      const index = nodes.indexOf(node);
      // A SQLite store is the node's disk and survives; a memory store is lost with the process.
      if (options.storage === 'memory') node.store = makeStore(index);
      // What it missed comes back from a live swarm peer, as the swarm layer's replicator hands
      // a returning member the swarm's data (`exportAll` → `importMessages`).
      const peer = nodes.find(
        (n) => n !== node && n.service !== undefined && n.info.swarmId === node.info.swarmId,
      );
      if (peer !== undefined) {
        for (const batch of peer.store.exportAll({ now: clock.now() })) {
          node.store.importMessages(batch);
        }
      }
      start(node);
      stats.restarts++;
    },
    storedDigest: () => digest.copy().digest('hex'),
    close() {
      for (const n of nodes) {
        n.service?.stop();
        n.store.close();
      }
      seed.stop();
    },
  };
}
