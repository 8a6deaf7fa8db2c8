/**
 * Onion paths (network.md §2.1): each path is `hops` distinct nodes (3), entered through a guard.
 * The client keeps `guardsWanted` paths (2) and needs at least `guardsNeeded` (1).
 *
 * Upstream's rules (session-foundation/session-desktop `ts/session/onions/onionPath.ts`,
 * `onionPathConstants.ts`):
 * - guard candidates are tested first with a plain, direct `get_swarm` to their
 *   `/storage_rpc/v1` (the only direct request a client makes to a node besides the seed), in
 *   rounds of `guardsWanted` candidates, giving up after a few rounds;
 * - the other hops are random pool nodes, distinct within the path and, while the pool allows,
 *   across paths; they are not tested (testing them would show them the client's address);
 * - a failure somewhere on a path counts against the path and against each non-guard node on
 *   it; the third path failure drops the path and its guard (from the pool too) and paths are
 *   rebuilt; a node a relay reports unknown or unreachable is dropped at once and replaced in
 *   its path by a random node (or, if it was the guard, the path goes).
 */
import type { Rng } from '@session-ts/core';
import { NetworkError, isNetworkError } from './network-error.ts';
import { SILENT_LOGGER, shortKey, type NetLogger } from './net-logger.ts';
import type { NodeInfo } from './node-info.ts';
import type { NodePool } from './node-pool.ts';
import { randomIndex, shuffled } from './random.ts';
import { responseJson, type Transport } from './transport.ts';

/** The desktop's path constants (`onionPathConstants.ts`, `onionPath.ts`). */
export const PATH_DEFAULTS = {
  hops: 3,
  guardsWanted: 2,
  guardsNeeded: 1,
  failureThreshold: 3,
  guardTestTimeoutMs: 10_000,
  /** `selectGuardNodes` stops after this many rounds. */
  guardRounds: 6,
} as const;

/** The desktop sends these on every direct request to a node, as cover (network.md §2.1). */
export const COVER_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': 'WhatsApp',
  'accept-language': 'en-us',
};

/** A path: `nodes[0]` is the guard the client talks to. */
export interface OnionPath {
  readonly id: number;
  readonly nodes: readonly NodeInfo[];
}

/** Options of `createPathManager`. */
export interface PathManagerOptions {
  readonly pool: NodePool;
  readonly transport: Transport;
  readonly rng: Rng;
  readonly logger?: NetLogger;
  readonly hops?: number;
  readonly guardsWanted?: number;
  readonly guardsNeeded?: number;
  readonly failureThreshold?: number;
  readonly guardTestTimeoutMs?: number;
  /** The account the guard test asks `get_swarm` for (a random one reveals nothing). */
  readonly guardTestAccount: string;
  /** Sees each guard's answer body (the network clock reads its `t`). */
  readonly onGuardAnswer?: (body: unknown) => void;
}

/** Choosing among paths. */
export interface PathChoice {
  /** Nodes the path must not contain (the destination). */
  readonly avoidNodes?: ReadonlySet<string>;
  /** Paths to prefer not to use (ones that already failed this request). */
  readonly avoidPaths?: ReadonlySet<number>;
  readonly signal?: AbortSignal;
}

/** The client's paths. */
export interface PathManager {
  paths(): readonly OnionPath[];
  /** A random usable path, building paths first if there are too few. */
  get(choice?: PathChoice): Promise<OnionPath>;
  /** Builds paths until `guardsWanted` exist; rejects when fewer than `guardsNeeded` result. */
  build(signal?: AbortSignal): Promise<void>;
  /** Counts a failure of `path` (and of its non-guard nodes). */
  recordFailure(path: OnionPath, reason: string): void;
  /** Drops a node known to be bad everywhere: from the pool and from its path. */
  dropNode(ed25519: string, reason: string): void;
  resetFailures(): void;
}

/** Creates a path manager with no paths yet. */
export function createPathManager(options: PathManagerOptions): PathManager {
  const { pool, rng } = options;
  const logger = options.logger ?? SILENT_LOGGER;
  const hops = options.hops ?? PATH_DEFAULTS.hops;
  const wanted = options.guardsWanted ?? PATH_DEFAULTS.guardsWanted;
  const needed = options.guardsNeeded ?? PATH_DEFAULTS.guardsNeeded;
  const threshold = options.failureThreshold ?? PATH_DEFAULTS.failureThreshold;
  let paths: OnionPath[] = [];
  let nextId = 1;
  const failures = new Map<number, number>();
  let dirty = true;
  let building: Promise<void> | undefined;

  const inUse = (): Set<string> =>
    new Set(paths.flatMap((p) => p.nodes.map((n) => n.pubkeyEd25519)));

  const testGuard = async (node: NodeInfo, signal?: AbortSignal): Promise<boolean> => {
    try {
      const res = await options.transport.request(
        node,
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'get_swarm',
          params: { pubkey: options.guardTestAccount },
        }),
        {
          path: '/storage_rpc/v1',
          headers: { 'content-type': 'application/json', ...COVER_HEADERS },
          timeoutMs: options.guardTestTimeoutMs ?? PATH_DEFAULTS.guardTestTimeoutMs,
          ...(signal === undefined ? {} : { signal }),
        },
      );
      if (res.status === 200) options.onGuardAnswer?.(responseJson(res));
      return res.status === 200;
    } catch (error) {
      if (isNetworkError(error, 'aborted')) throw error;
      return false;
    }
  };

  /** `count` more nodes for a path, avoiding other paths' nodes while the pool allows. */
  const pickHops = (path: readonly NodeInfo[], count: number): NodeInfo[] | undefined => {
    const own = new Set(path.map((n) => n.pubkeyEd25519));
    let picked = pool.random(count, new Set([...inUse(), ...own]));
    if (picked.length < count) picked = pool.random(count, own);
    return picked.length < count ? undefined : picked;
  };

  const buildOnce = async (signal?: AbortSignal): Promise<void> => {
    await pool.ensure(signal);
    if (pool.size() < hops) {
      throw new NetworkError('pool-too-small', `${pool.size()} nodes known; a path needs ${hops}`);
    }
    const candidates = shuffled(
      rng,
      pool.nodes().filter((n) => !inUse().has(n.pubkeyEd25519)),
    );
    for (let round = 0; round < PATH_DEFAULTS.guardRounds && paths.length < wanted; round++) {
      const busy = inUse();
      const batch = candidates
        .filter((n) => !busy.has(n.pubkeyEd25519))
        .slice(0, wanted - paths.length);
      if (batch.length === 0) break;
      for (const n of batch) candidates.splice(candidates.indexOf(n), 1);
      const ok = await Promise.all(batch.map((n) => testGuard(n, signal)));
      for (const [i, guard] of batch.entries()) {
        if (ok[i] !== true || paths.length >= wanted || inUse().has(guard.pubkeyEd25519)) continue;
        const rest = pickHops([guard], hops - 1);
        if (rest === undefined) continue;
        paths.push({ id: nextId++, nodes: [guard, ...rest] });
      }
    }
    if (paths.length < needed) {
      throw new NetworkError(
        'no-path',
        `no guard node answered (${paths.length} paths, ${needed} needed)`,
      );
    }
    dirty = false;
  };

  /**
   * A one-off path when every kept path contains a node to avoid (the destination, in a small
   * network): an already tested guard if one qualifies, else a newly tested one. It is not kept.
   */
  const adHoc = async (avoid: ReadonlySet<string>, signal?: AbortSignal): Promise<OnionPath> => {
    const usable = (n: NodeInfo): boolean => !avoid.has(n.pubkeyEd25519);
    let guard = paths.map((p) => p.nodes[0] as NodeInfo).find(usable);
    if (guard === undefined) {
      const candidates = shuffled(rng, pool.nodes().filter(usable)).slice(
        0,
        PATH_DEFAULTS.guardRounds,
      );
      for (const c of candidates) {
        if (await testGuard(c, signal)) {
          guard = c;
          break;
        }
      }
    }
    if (guard !== undefined) {
      const rest = pool.random(hops - 1, new Set([...avoid, guard.pubkeyEd25519]));
      if (rest.length === hops - 1) return { id: nextId++, nodes: [guard, ...rest] };
    }
    throw new NetworkError('no-path', 'no path avoids the destination (too few nodes)');
  };

  const removePath = (path: OnionPath, reason: string): void => {
    paths = paths.filter((p) => p.id !== path.id);
    failures.delete(path.id);
    dirty = true;
    logger.warn('dropping onion path', {
      guard: shortKey(path.nodes[0]?.pubkeyEd25519 ?? ''),
      reason,
    });
  };

  const self: PathManager = {
    paths: () => paths,

    build(signal) {
      building ??= buildOnce(signal).finally(() => {
        building = undefined;
      });
      return building;
    },

    async get(choice = {}) {
      if (paths.length < needed || (dirty && paths.length < wanted)) {
        try {
          await self.build(choice.signal);
        } catch (error) {
          if (paths.length === 0 || isNetworkError(error, 'aborted')) throw error;
          logger.warn('could not rebuild every path', { error });
        }
      }
      const avoidNodes = choice.avoidNodes ?? new Set<string>();
      const clean = paths.filter((p) => !p.nodes.some((n) => avoidNodes.has(n.pubkeyEd25519)));
      const fresh = clean.filter((p) => !(choice.avoidPaths?.has(p.id) ?? false));
      if (fresh.length > 0) return fresh[randomIndex(rng, fresh.length)] as OnionPath;
      // Every kept path either crosses the destination or already failed this request: try a
      // one-off path through another guard before reusing a failed one.
      const failedGuards = paths
        .filter((p) => choice.avoidPaths?.has(p.id) ?? false)
        .map((p) => p.nodes[0]?.pubkeyEd25519 ?? '');
      try {
        return await adHoc(new Set([...avoidNodes, ...failedGuards]), choice.signal);
      } catch (error) {
        if (clean.length === 0 || isNetworkError(error, 'aborted')) throw error;
        return clean[randomIndex(rng, clean.length)] as OnionPath;
      }
    },

    recordFailure(path, reason) {
      for (const node of path.nodes.slice(1)) {
        if (pool.recordFailure(node.pubkeyEd25519, reason))
          self.dropNode(node.pubkeyEd25519, reason);
      }
      const current = paths.find((p) => p.id === path.id);
      if (current === undefined) return;
      const count = (failures.get(path.id) ?? 0) + 1;
      if (count >= threshold) {
        removePath(current, reason);
        pool.drop(current.nodes[0]?.pubkeyEd25519 ?? '', `guard of a failing path: ${reason}`);
      } else {
        failures.set(path.id, count);
      }
    },

    dropNode(ed, reason) {
      pool.drop(ed, reason);
      for (const path of [...paths]) {
        const index = path.nodes.findIndex((n) => n.pubkeyEd25519 === ed);
        if (index < 0) continue;
        const replacement = index === 0 ? undefined : pickHops(path.nodes, 1)?.[0];
        if (replacement === undefined) {
          removePath(path, reason);
          continue;
        }
        const nodes = path.nodes.map((n, i) => (i === index ? replacement : n));
        paths = paths.map((p) => (p.id === path.id ? { id: p.id, nodes } : p));
        logger.info('replaced a node in an onion path', { dropped: shortKey(ed), reason });
      }
    },

    resetFailures() {
      failures.clear();
    },
  };
  return self;
}
