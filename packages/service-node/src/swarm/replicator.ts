/**
 * Replication on swarm changes (network.md §1.7; session-foundation/session-storage-server
 * `oxenss/snode/service_node.cpp`, `on_swarm_update`, `bootstrap_peers`, `bootstrap_swarms`):
 *
 * - new members of our swarm get every message of our swarm;
 * - a new swarm elsewhere gets the messages we hold that now map to it;
 * - if our old swarm dissolved, every message we hold goes to the swarm that now owns it.
 *
 * Work runs one job at a time in the background: the store is exported a batch at a time
 * (between batches it serves other requests while pushes wait on the network), each message is routed to its target nodes, and
 * batches of up to `PUSH_BATCH_BYTES` are pushed with a few retries. `lagMs` — how long the
 * oldest unfinished job has been waiting — is the replication lag `/metrics` reports.
 */
import { fromHexOfLength, type Clock } from '@session-ts/core';
import type { Logger } from '@session-ts/server-kit';
import type { NodeInfo } from '../swarm-port.ts';
import { PEER_ROUTES, type PeerClient } from './http-peer-forwarder.ts';
import {
  PUSH_BATCH_BYTES,
  encodePushBatch,
  type MessageArchive,
  type ReplicatedMessage,
} from './replication.ts';
import type { SwarmEvents, SwarmState } from './swarm-state.ts';

/** Options of `createReplicator`. */
export interface ReplicatorOptions {
  readonly self: string;
  readonly state: SwarmState;
  readonly archive: MessageArchive;
  readonly peers: PeerClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Attempts per batch before giving up on a node (default 5), and the base wait between them. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

/** Counters the metrics endpoint reads. */
export interface ReplicationStats {
  readonly pushedMessages: number;
  readonly failedBatches: number;
  readonly jobs: number;
}

/** The replicator. */
export interface Replicator {
  /** Schedules the pushes a swarm change calls for (nothing if it calls for none). */
  onSwarmEvents(events: SwarmEvents): void;
  /** How long the oldest unfinished job has waited (0 when idle). */
  lagMs(): number;
  stats(): ReplicationStats;
  /** Resolves when no job is queued or running. */
  idle(): Promise<void>;
  /** Stops after the current batch. */
  stop(): void;
}

const PAGE_SIZE = 500;

interface Job {
  readonly events: SwarmEvents;
  readonly queuedAt: number;
}

/** Creates a replicator. */
export function createReplicator(options: ReplicatorOptions): Replicator {
  const { state, archive, peers, clock, logger, self } = options;
  const attempts = options.attempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const queue: Job[] = [];
  let running: Promise<void> | undefined;
  let stopped = false;
  let pushedMessages = 0;
  let failedBatches = 0;
  let jobs = 0;

  /** The nodes a message must reach under `events`. */
  const targetsOf = (m: ReplicatedMessage, events: SwarmEvents): readonly NodeInfo[] => {
    const owner = state.swarmFor(fromHexOfLength(m.account, 33, 'account'));
    if (owner === undefined) return [];
    if (events.dissolved) return owner.nodes.filter((n) => n.pubkeyEd25519 !== self);
    const out: NodeInfo[] = [];
    if (owner.id === events.swarmId) out.push(...events.newMembers);
    if (events.newSwarms.includes(owner.id)) out.push(...owner.nodes);
    return out;
  };

  const push = async (node: NodeInfo, batch: readonly ReplicatedMessage[]): Promise<void> => {
    for (let attempt = 1; attempt <= attempts && !stopped; attempt++) {
      const body = encodePushBatch(batch, state.version() ?? 0);
      const result = await peers.call(node, PEER_ROUTES.push, body, 30_000);
      if (result.ok) {
        pushedMessages += batch.length;
        return;
      }
      if (attempt < attempts) await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
      else {
        failedBatches++;
        logger.warn('replication push failed', {
          peer: node.pubkeyEd25519,
          messages: batch.length,
          ...('code' in result ? { code: result.code } : {}),
          ...('timeout' in result ? { timeout: true } : {}),
        });
      }
    }
  };

  const runJob = async (job: Job): Promise<void> => {
    const batches = new Map<
      string,
      { node: NodeInfo; messages: ReplicatedMessage[]; bytes: number }
    >();
    const flush = async (key: string): Promise<void> => {
      const b = batches.get(key);
      if (b === undefined || b.messages.length === 0) return;
      batches.delete(key);
      await push(b.node, b.messages);
    };
    let total = 0;
    for (const page of archive.exportAll({ now: clock.now(), batchSize: PAGE_SIZE })) {
      if (stopped) break;
      for (const m of page) {
        for (const node of targetsOf(m, job.events)) {
          const key = node.pubkeyEd25519;
          const b = batches.get(key) ?? { node, messages: [], bytes: 0 };
          b.messages.push(m);
          b.bytes += m.data.length;
          batches.set(key, b);
          total++;
          if (b.bytes >= PUSH_BATCH_BYTES) await flush(key);
        }
      }
    }
    for (const key of [...batches.keys()]) await flush(key);
    if (total > 0) logger.info('replicated', { copies: total, dissolved: job.events.dissolved });
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0 && !stopped) {
      const job = queue[0];
      if (job === undefined) break;
      try {
        await runJob(job);
      } catch (error) {
        logger.error('replication job failed', { error });
      }
      queue.shift();
      jobs++;
    }
    running = undefined;
  };

  return {
    onSwarmEvents(events) {
      if (!events.dissolved && events.newMembers.length === 0 && events.newSwarms.length === 0) {
        return;
      }
      queue.push({ events, queuedAt: clock.now() });
      running ??= drain();
    },
    lagMs: () => (queue[0] === undefined ? 0 : Math.max(0, clock.now() - queue[0].queuedAt)),
    stats: () => ({ pushedMessages, failedBatches, jobs }),
    idle: async () => {
      while (running !== undefined) await running;
    },
    stop() {
      stopped = true;
      queue.length = 0;
    },
  };
}
