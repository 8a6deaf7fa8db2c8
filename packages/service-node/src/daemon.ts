/**
 * The service node as a running process: its persistent identity and SQLite store under a data
 * directory, the storage RPC app with the swarm layer's peer routes and `/metrics`, the socket,
 * and the loops that keep it registered with the seed, its swarm view current, its messages
 * replicated and expired ones cleaned. `main.ts` and `session-cli node run` both start it from
 * their settings; argv, environment and signals stay with them.
 *
 * Files under the data directory: `key_ed25519` (the node's Ed25519 seed, mode 0600, created on
 * first start; the X25519 key is converted from it, network.md §12.1) and `storage.db` (the
 * messages, SQLite in WAL mode).
 *
 * `start` returns once the node is in a swarm, so its caller can say "ready" with the swarm id.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { swarmIdToHex, toHex, type Clock, type Rng } from '@session-ts/core';
import { listen, loadOrCreateIdentity, type Logger } from '@session-ts/server-kit';
import { createServiceNode, type ServiceNode } from './app.ts';
import { createMetrics, instrumentApp } from './metrics.ts';
import { STORAGE_SERVER_VERSION } from './rpc/handler.ts';
import type { NodeSettings } from './node-config.ts';
import { openSqliteMessageStore } from './storage/sqlite-message-store.ts';
import { createPeerClient } from './swarm/http-peer-forwarder.ts';
import { createPeerRoutes } from './swarm/peer-routes.ts';
import { createOnionRoutes } from './onion-routes.ts';
import { createReplicator } from './swarm/replicator.ts';
import { createSeedClient } from './swarm/seed-client.ts';
import { createSwarmState } from './swarm/swarm-state.ts';
import { createSwarmSync, type SwarmSync } from './swarm/swarm-sync.ts';

/** How to run a node: its settings plus the clock, randomness and logger of the process. */
export interface NodeDaemonConfig extends NodeSettings {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger: Logger;
  /** The storage server version it reports to the seed (default `STORAGE_SERVER_VERSION`). */
  readonly version?: readonly [number, number, number];
}

/** A running node. */
export interface NodeDaemon {
  /** Where it listens, e.g. `http://127.0.0.1:22021`. */
  readonly url: string;
  readonly ed25519: string;
  readonly x25519: string;
  /** Its swarm id (16 hex digits) when it became ready. */
  readonly swarm: string;
  /** Stops loops and server, closes the database; resolves when done. */
  stop(): Promise<void>;
}

/** Starts a service node and resolves once it is in a swarm. */
export async function startServiceNodeDaemon(config: NodeDaemonConfig): Promise<NodeDaemon> {
  const { clock, logger } = config;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { identity, created } = loadOrCreateIdentity(
    join(config.dataDir, 'key_ed25519'),
    config.rng,
  );
  const ed25519 = toHex(identity.ed25519PublicKey);
  const store = openSqliteMessageStore({
    path: join(config.dataDir, 'storage.db'),
    maxSizeBytes: config.maxDbBytes,
  });
  const state = createSwarmState(ed25519);
  const peers = createPeerClient({ identity, clock });
  const replicator = createReplicator({
    self: ed25519,
    state,
    archive: store,
    peers,
    clock,
    logger: logger.child({ component: 'replication' }),
  });
  const stats = () => store.stats();
  const metrics = createMetrics([
    {
      name: 'session_stored_messages',
      help: 'Messages stored',
      type: 'gauge',
      read: () => stats().messages,
    },
    {
      name: 'session_stored_bytes',
      help: 'Bytes the message database uses',
      type: 'gauge',
      read: () => stats().bytes,
    },
    {
      name: 'session_stored_accounts',
      help: 'Accounts with stored messages',
      type: 'gauge',
      read: () => stats().accounts,
    },
    {
      name: 'session_replication_lag_seconds',
      help: 'How long the oldest unfinished replication job has waited',
      type: 'gauge',
      read: () => replicator.lagMs() / 1000,
    },
    {
      name: 'session_replication_pushed_messages_total',
      help: 'Message copies pushed to other nodes',
      type: 'counter',
      read: () => replicator.stats().pushedMessages,
    },
    {
      name: 'session_replication_failed_batches_total',
      help: 'Replication batches given up after retries',
      type: 'counter',
      read: () => replicator.stats().failedBatches,
    },
    {
      name: 'session_swarm_peers',
      help: 'Other members of this node\u2019s swarm',
      type: 'gauge',
      read: () => state.peers().length,
    },
    {
      name: 'session_node_list_version',
      help: 'Version of the node list in use',
      type: 'gauge',
      read: () => state.version() ?? 0,
    },
  ]);

  // The peer routes and the RPC layer refer to each other; `late` closes the loop.
  const late: { node?: ServiceNode; sync?: SwarmSync } = {};
  const peerRoutes = createPeerRoutes({
    state,
    archive: store,
    clock,
    handleRpc: (method, params, options) => {
      if (late.node === undefined) return Promise.resolve({ status: 503, body: 'starting' });
      return late.node.handleRpc(method, params, options);
    },
    onPush: (stored, ignored) => {
      metrics.add('session_replication_received_messages_total', stored);
      metrics.add('session_replication_ignored_messages_total', ignored);
    },
    onBehind: () => late.sync?.pollNow(),
  });
  const service = createServiceNode({
    identity,
    store,
    clock,
    logger,
    swarm: state,
    forwarder: peers,
    rng: config.rng,
    extraRoutes: [
      ...peerRoutes,
      metrics.route(),
      createOnionRoutes({
        identity,
        rng: config.rng,
        logger,
        nodes: () => state.nodes(),
        ready: () => state.mySwarmId() !== undefined,
        handleRpc: (method, params, call) => {
          if (late.node === undefined) return Promise.resolve({ status: 503, body: 'starting' });
          return late.node.handleRpc(method, params, call);
        },
      }),
    ],
  });
  late.node = service;

  let listener: Awaited<ReturnType<typeof listen>>;
  try {
    listener = await listen(instrumentApp(service.app, metrics), {
      host: config.host,
      port: config.port,
    });
  } catch (error) {
    service.stop();
    store.close();
    throw error;
  }
  const running = createSwarmSync({
    identity,
    self: { ip: config.ip, port: listener.port, version: config.version ?? STORAGE_SERVER_VERSION },
    seed: createSeedClient({
      url: config.seedUrl,
      clock,
      ...(config.seedPubkey === undefined ? {} : { pinnedKey: config.seedPubkey }),
    }),
    state,
    replicator,
    clock,
    logger: logger.child({ component: 'swarm' }),
    pollMs: config.pollMs,
  });
  late.sync = running;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      running.stop();
      replicator.stop();
      service.stop();
      await listener.close();
      store.close();
      logger.info('service node stopped');
    })();
    return stopping;
  };
  try {
    await running.start();
  } catch (error) {
    await stop();
    throw error;
  }
  service.startCleanup();
  const swarm = swarmIdToHex(state.mySwarmId() ?? 0n);
  logger.info('service node ready', { url: listener.url, node: ed25519, swarm, newKey: created });
  return {
    url: listener.url,
    ed25519,
    x25519: toHex(identity.x25519PublicKey),
    swarm,
    stop,
  };
}
