/**
 * A small Session network inside the current process: one seed and N service nodes, each a
 * real daemon (SQLite under `dir`, real HTTP on loopback), sized so that tiny networks form
 * swarms. Tests and tools that need a working network without child processes use this; the
 * devnet (`devnet.ts`) runs the same daemons as separate processes.
 */
import { join } from 'node:path';
import type { Clock, Rng } from '@session-ts/core';
import { startSeedDaemon, type SeedDaemon } from '@session-ts/seed';
import type { Logger } from '@session-ts/server-kit';
import { startServiceNodeDaemon, type NodeDaemon } from '@session-ts/service-node';
import type { NetworkFile } from './devnet-files.ts';

/** Options of `startInProcessNetwork`. */
export interface InProcessNetworkOptions {
  /** Data directory (seed/ and node-N/ are created under it). */
  readonly dir: string;
  readonly nodes: number;
  /** Nodes per swarm (default: all nodes in one swarm). */
  readonly swarmSize?: number;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger: Logger;
  /** How often nodes poll the seed (default 200 ms). */
  readonly pollMs?: number;
}

/** A running in-process network. */
export interface InProcessNetwork {
  readonly seed: SeedDaemon;
  readonly nodes: readonly NodeDaemon[];
  /** The `network.json` shape clients read (`devnet status --json`). */
  readonly description: NetworkFile;
  stop(): Promise<void>;
}

/** Starts a seed and `nodes` service nodes and waits until they have settled into swarms. */
export async function startInProcessNetwork(
  options: InProcessNetworkOptions,
): Promise<InProcessNetwork> {
  const { clock, rng, logger } = options;
  const size = options.swarmSize ?? options.nodes;
  const pollMs = options.pollMs ?? 200;
  const seed = await startSeedDaemon({
    dataDir: join(options.dir, 'seed'),
    port: 0,
    sizing: {
      minSize: 1,
      idealSize: size,
      newSwarmSize: 1,
      maxSize: Math.max(size, 10),
      buffer: 0,
    },
    clock,
    rng,
    logger,
  });
  const nodes: NodeDaemon[] = [];
  const stop = async (): Promise<void> => {
    for (const n of nodes) await n.stop();
    await seed.stop();
  };
  try {
    for (let i = 1; i <= options.nodes; i++) {
      nodes.push(
        await startServiceNodeDaemon({
          dataDir: join(options.dir, `node-${i}`),
          seedUrl: seed.url,
          seedPubkey: undefined,
          host: '127.0.0.1',
          ip: '127.0.0.1',
          port: 0,
          pollMs,
          maxDbBytes: 64 * 1024 * 1024,
          clock,
          rng,
          logger,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Every node must see the final list before clients use it: a few poll periods.
  await new Promise((resolve) => setTimeout(resolve, pollMs * 4));
  return {
    seed,
    nodes,
    description: {
      seeds: [{ url: seed.url, pubkey: seed.pubkey }],
      nodes: nodes.map((n) => ({
        url: n.url,
        ed25519: n.ed25519,
        x25519: n.x25519,
        swarm: n.swarm,
      })),
    },
    stop,
  };
}
