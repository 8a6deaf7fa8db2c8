/**
 * The client's pool of known service nodes (network.md §3), from which it picks guards, path
 * nodes and the nodes it asks for swarms.
 *
 * Upstream's rules (session-foundation/session-desktop `ts/session/apis/snode_api/snodePool.ts`,
 * `getServiceNodesList.ts`, `snodePoolConstants.ts`, `onions.ts`):
 * - below `minSize` nodes (12, `minSnodePoolCount`) the pool is refetched from a random seed;
 * - a refresh asks 3 random nodes for their node list and keeps the **intersection** (by IP and
 *   port) of the three answers, which must hold at least `refreshAgreement` nodes (24,
 *   `requiredSnodesForAgreement`); otherwise it retries (4 tries, 1 s apart) and finally falls
 *   back to a seed;
 * - a node is dropped after `failureThreshold` (3, `snodeFailureThreshold`) failures, or at once
 *   when a relay reports it unknown ("Next node not found");
 * - a fresh list resets the failure counts;
 * - (ours) a seed fetch goes round every seed up to 3 times, with a pause between rounds.
 *
 * `minSize` and `refreshAgreement` are options so a small local network (a handful of nodes)
 * works; upstream's values are the defaults.
 */
import type { Rng } from '@session-ts/core';
import { NetworkError } from './network-error.ts';
import { SILENT_LOGGER, shortKey, type NetLogger } from './net-logger.ts';
import type { NodeInfo } from './node-info.ts';
import { sample, shuffled } from './random.ts';
import { realSleep, type Sleep } from './retry.ts';
import { fetchNodesFromSeed, SEED_TIMEOUT_MS, type SeedNode } from './seed-client.ts';
import type { Transport } from './transport.ts';

/** Upstream's pool constants (desktop `snodePoolConstants.ts`, `onions.ts`). */
export const POOL_DEFAULTS = {
  minSize: 12,
  refreshAgreement: 24,
  failureThreshold: 3,
  /** Nodes asked in a refresh (lodash `intersectionWith` of three lists in the desktop). */
  refreshSample: 3,
  /** Tries before a refresh falls back to a seed (p-retry `retries: 3`). */
  refreshAttempts: 4,
  refreshDelayMs: 1_000,
  /**
   * Rounds over every seed before a seed fetch fails (ours; the desktop wraps its seed request
   * in p-retry too): with one seed, one lost request would otherwise fail a fresh client's very
   * first call. 1 s, then 2 s between rounds.
   */
  seedRounds: 3,
} as const;

/** Options of `createNodePool`. */
export interface NodePoolOptions {
  readonly transport: Transport;
  readonly seeds: readonly SeedNode[];
  readonly rng: Rng;
  readonly logger?: NetLogger;
  readonly sleep?: Sleep;
  /** Refetch from a seed below this many nodes (default 12). */
  readonly minSize?: number;
  /** Nodes a refresh's three answers must share (default 24). */
  readonly refreshAgreement?: number;
  /** Failures before a node is dropped (default 3). */
  readonly failureThreshold?: number;
  readonly seedTimeoutMs?: number;
  /** Asks one node for the node list (`createNetwork` sends an onion `oxend_request`). */
  readonly fetchFromNode?: (node: NodeInfo, signal?: AbortSignal) => Promise<readonly NodeInfo[]>;
  /** Called after the pool was replaced by a fresh list. */
  readonly onReplaced?: () => void;
}

/** The pool. */
export interface NodePool {
  nodes(): readonly NodeInfo[];
  size(): number;
  get(ed25519: string): NodeInfo | undefined;
  /** Makes sure at least `minSize` nodes are known, fetching from a seed if needed. */
  ensure(signal?: AbortSignal): Promise<void>;
  /** Replaces the pool with a seed's list (seeds tried in random order). */
  fetchFromSeed(signal?: AbortSignal): Promise<void>;
  /** Refreshes from three nodes' agreeing lists, else from a seed; says which it used. */
  refresh(signal?: AbortSignal): Promise<'nodes' | 'seed'>;
  /** Up to `count` distinct random nodes, none of `exclude` (Ed25519 hex). */
  random(count: number, exclude?: ReadonlySet<string>): NodeInfo[];
  drop(ed25519: string, reason: string): void;
  /** Counts a failure; true when it dropped the node. */
  recordFailure(ed25519: string, reason: string): boolean;
  resetFailures(): void;
}

/** Keeps the nodes present (by IP and port) in every list, in the first list's order. */
export function intersectNodeLists(lists: readonly (readonly NodeInfo[])[]): NodeInfo[] {
  const [first, ...rest] = lists;
  if (first === undefined) return [];
  const keyed = rest.map((l) => new Set(l.map((n) => `${n.ip}:${n.port}`)));
  return first.filter((n) => keyed.every((s) => s.has(`${n.ip}:${n.port}`)));
}

/** Creates an empty pool. */
export function createNodePool(options: NodePoolOptions): NodePool {
  const logger = options.logger ?? SILENT_LOGGER;
  const sleep = options.sleep ?? realSleep;
  const minSize = options.minSize ?? POOL_DEFAULTS.minSize;
  const agreement = options.refreshAgreement ?? POOL_DEFAULTS.refreshAgreement;
  const threshold = options.failureThreshold ?? POOL_DEFAULTS.failureThreshold;
  let pool: NodeInfo[] = [];
  const failures = new Map<string, number>();
  let seeding: Promise<void> | undefined;

  const replace = (nodes: readonly NodeInfo[]): void => {
    pool = [...nodes];
    failures.clear();
    options.onReplaced?.();
  };

  const fetchFromSeedOnce = async (signal?: AbortSignal): Promise<void> => {
    if (options.seeds.length === 0)
      throw new NetworkError('seed-failed', 'no seed nodes configured');
    let last: unknown;
    for (let round = 1; round <= POOL_DEFAULTS.seedRounds; round++) {
      if (round > 1) await sleep(POOL_DEFAULTS.refreshDelayMs * (round - 1), signal);
      const fetched = await fetchFromSeedsRound(signal);
      if (fetched.ok) return;
      last = fetched.error;
    }
    throw new NetworkError('seed-failed', 'no seed node gave a node list', { cause: last });
  };

  /** One try of every seed, in random order; the first list wins. */
  const fetchFromSeedsRound = async (
    signal?: AbortSignal,
  ): Promise<{ ok: true } | { ok: false; error: unknown }> => {
    let last: unknown;
    for (const seed of shuffled(options.rng, options.seeds)) {
      try {
        const nodes = await fetchNodesFromSeed(options.transport, seed, {
          timeoutMs: options.seedTimeoutMs ?? SEED_TIMEOUT_MS,
          ...(signal === undefined ? {} : { signal }),
        });
        if (nodes.length === 0)
          throw new NetworkError('seed-failed', `seed ${seed.url}: empty list`);
        replace(nodes);
        return { ok: true };
      } catch (error) {
        if (signal?.aborted === true) throw error;
        logger.warn('seed node failed', { seed: seed.url, error });
        last = error;
      }
    }
    return { ok: false, error: last };
  };

  const self: NodePool = {
    nodes: () => pool,
    size: () => pool.length,
    get: (ed) => pool.find((n) => n.pubkeyEd25519 === ed),

    async ensure(signal) {
      if (pool.length >= minSize) return;
      await self.fetchFromSeed(signal);
      if (pool.length < minSize) {
        throw new NetworkError(
          'pool-too-small',
          `the seeds know ${pool.length} nodes; at least ${minSize} are needed (option minSize)`,
        );
      }
    },

    fetchFromSeed(signal) {
      // One seed fetch at a time: concurrent callers share it.
      seeding ??= fetchFromSeedOnce(signal).finally(() => {
        seeding = undefined;
      });
      return seeding;
    },

    async refresh(signal) {
      if (pool.length < minSize || options.fetchFromNode === undefined) {
        await self.fetchFromSeed(signal);
        return 'seed';
      }
      const fetchFromNode = options.fetchFromNode;
      for (let attempt = 1; attempt <= POOL_DEFAULTS.refreshAttempts; attempt++) {
        const asked = sample(options.rng, pool, POOL_DEFAULTS.refreshSample);
        try {
          const lists = await Promise.all(asked.map((n) => fetchFromNode(n, signal)));
          const common = intersectNodeLists(lists);
          if (common.length >= agreement && asked.length === POOL_DEFAULTS.refreshSample) {
            replace(common);
            return 'nodes';
          }
          logger.info('node lists do not agree enough', { common: common.length, agreement });
        } catch (error) {
          if (signal?.aborted === true) throw error;
          logger.warn('pool refresh from nodes failed', { error });
        }
        if (attempt < POOL_DEFAULTS.refreshAttempts) {
          await sleep(POOL_DEFAULTS.refreshDelayMs, signal);
        }
      }
      await self.fetchFromSeed(signal);
      return 'seed';
    },

    random(count, exclude) {
      const candidates =
        exclude === undefined ? pool : pool.filter((n) => !exclude.has(n.pubkeyEd25519));
      return sample(options.rng, candidates, count);
    },

    drop(ed, reason) {
      const before = pool.length;
      pool = pool.filter((n) => n.pubkeyEd25519 !== ed);
      failures.delete(ed);
      if (pool.length < before) {
        logger.warn('dropping node from pool', {
          node: shortKey(ed),
          reason,
          remaining: pool.length,
        });
      }
    },

    recordFailure(ed, reason) {
      const count = (failures.get(ed) ?? 0) + 1;
      if (count >= threshold) {
        self.drop(ed, reason);
        return true;
      }
      failures.set(ed, count);
      return false;
    },

    resetFailures() {
      failures.clear();
    },
  };
  return self;
}
