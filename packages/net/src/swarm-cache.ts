/**
 * The swarm cache: which nodes store each account (network.md §1.6, §3). Filled from `get_swarm`
 * answers and from 421 answers (which carry the right swarm, §1.1); nodes that fail are removed
 * from the accounts they served. An entry with fewer than 3 nodes left (or fewer than it came
 * with, for swarms smaller than 3) is stale and refetched, as the desktop's
 * `minSwarmSnodeCount` rule does.
 *
 * Upstream: session-foundation/session-desktop `ts/session/apis/snode_api/snodePool.ts`
 * (`getSwarmFor`, `dropSnodeFromSwarmIfNeeded`, `updateSwarmFor`), `onions.ts`
 * (`handle421InvalidSwarm`).
 */
import type { NodeInfo } from './node-info.ts';

/** A cached swarm is refetched below this many nodes (desktop `minSwarmSnodeCount`). */
export const MIN_SWARM_NODES = 3;

/** The cache. */
export interface SwarmCache {
  /** The usable cached swarm of `account`, or undefined when absent or stale. */
  get(account: string): readonly NodeInfo[] | undefined;
  set(account: string, nodes: readonly NodeInfo[]): void;
  /** Removes a node from one account's swarm. */
  dropNode(account: string, ed25519: string): void;
  /** Removes a node from every cached swarm. */
  dropNodeEverywhere(ed25519: string): void;
  clear(): void;
}

interface Entry {
  readonly nodes: readonly NodeInfo[];
  /** How many nodes the answer had: a swarm smaller than 3 is not stale for being small. */
  readonly fetched: number;
}

/** Creates an empty cache. */
export function createSwarmCache(): SwarmCache {
  const entries = new Map<string, Entry>();
  const without = (entry: Entry, ed: string): Entry => ({
    nodes: entry.nodes.filter((n) => n.pubkeyEd25519 !== ed),
    fetched: entry.fetched,
  });
  return {
    get(account) {
      const entry = entries.get(account);
      if (entry === undefined) return undefined;
      const enough = Math.min(MIN_SWARM_NODES, entry.fetched);
      return entry.nodes.length >= Math.max(1, enough) ? entry.nodes : undefined;
    },
    set(account, nodes) {
      entries.set(account, { nodes: [...nodes], fetched: nodes.length });
    },
    dropNode(account, ed) {
      const entry = entries.get(account);
      if (entry !== undefined) entries.set(account, without(entry, ed));
    },
    dropNodeEverywhere(ed) {
      for (const [account, entry] of entries) entries.set(account, without(entry, ed));
    },
    clear() {
      entries.clear();
    },
  };
}
