/**
 * Swarm assignment: which swarm each registered service node belongs to, recomputed whenever
 * the registry changes (a node joins, or an entry expires). This is oxen-core's algorithm, run by
 * the seed instead of by every node on every block (network.md §1.6).
 *
 * Upstream: oxen-io/oxen-core `src/cryptonote_core/service_node_swarm.cpp`
 * (`calc_swarm_changes`) with the constants of `service_node_rules.h`:
 *
 * 0. With no swarm yet, create swarm 0.
 * 1. Put each new node into a random swarm among the smallest quarter
 *    (`FILL_SWARM_LOWER_PERCENTILE` = 25), and after each one run the new-swarm round (3).
 * 2. "Robin Hood": for each swarm below the minimum, smallest first, take random nodes from
 *    swarms above the 75th percentile of sizes (and above the minimum), while there is enough
 *    excess to save it.
 * 3. New swarms: unless some swarm is below the minimum, while the excess (nodes above the
 *    minimum, summed over swarms) reaches `newSwarmSize + swarms × (idealSize − minSize)`, form a
 *    swarm of `newSwarmSize` random excess nodes, its id the midpoint of the widest gap between
 *    existing ids (`get_new_swarm_id`).
 * 4. While there is more than one swarm, dissolve the first (lowest id) swarm below the minimum
 *    and hand its nodes to the smallest swarms (percentile 0), as in step 1.
 *
 * Ours on top (upstream defines `MAX_SWARM_SIZE` and `SWARM_BUFFER` but the current algorithm
 * does not use them): step 3 also forms a swarm while some swarm holds more than `maxSize` nodes
 * and the excess reaches `newSwarmSize + buffer`. With oxen-core's values upstream's own
 * threshold is nearly always reached first, so the defaults behave as upstream; a small devnet
 * (minSize 1, maxSize 3, buffer 0) uses it to split early.
 *
 * Randomness comes from a 64-bit `seed` (upstream seeds mt19937_64 with the block hash), so the
 * same registry and seed always give the same swarms. Ties in size are broken by swarm id,
 * where upstream's `std::sort` leaves them unspecified.
 */
import { INVALID_SWARM_ID, SWARM_SPACE_MAX, type SwarmSizing } from '@session-ts/core';

/** Swarm id → member node keys (order is kept, for determinism). */
export type SwarmMap = Map<bigint, string[]>;

/** oxen-core `FILL_SWARM_LOWER_PERCENTILE`. */
const FILL_SWARM_LOWER_PERCENTILE = 25;
/** oxen-core `DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE`. */
const DISSOLVED_REDISTRIBUTION_LOWER_PERCENTILE = 0;
/** oxen-core `STEALING_SWARM_UPPER_PERCENTILE`. */
const STEALING_SWARM_UPPER_PERCENTILE = 75;
/** The largest assignable id: 2^64 − 2, since 2^64 − 1 means "no swarm" (`INVALID_SWARM_ID`). */
const MAX_ID = INVALID_SWARM_ID - 1n;
const MODULUS = SWARM_SPACE_MAX + 1n;

/**
 * Recomputes swarms: `current` holds the surviving nodes in their swarms (empty swarms are
 * ignored), `unassigned` the nodes to place. Returns a new map; the inputs are not changed.
 */
export function assignSwarms(
  current: ReadonlyMap<bigint, readonly string[]>,
  unassigned: readonly string[],
  sizing: SwarmSizing,
  seed: bigint,
): SwarmMap {
  const swarms: SwarmMap = new Map();
  for (const id of [...current.keys()].sort(compareBig)) {
    const nodes = current.get(id) ?? [];
    if (nodes.length > 0) swarms.set(id, [...nodes]);
  }
  if (swarms.size === 0 && unassigned.length === 0) return swarms;
  const rng = createSwarmRandom(seed);
  const rules = rulesOf(sizing);

  if (swarms.size === 0) swarms.set(newSwarmId([]), []);
  assignNodes(unassigned, swarms, rng, FILL_SWARM_LOWER_PERCENTILE, rules);
  robinHood(swarms, rng, rules);
  createSwarmsFromExcess(swarms, rng, rules);
  while (swarms.size > 1) {
    const starving = [...swarms.keys()]
      .sort(compareBig)
      .find((id) => (swarms.get(id)?.length ?? 0) < rules.min);
    if (starving === undefined) break;
    const orphans = swarms.get(starving) ?? [];
    swarms.delete(starving);
    assignNodes(orphans, swarms, rng, DISSOLVED_REDISTRIBUTION_LOWER_PERCENTILE, rules);
  }
  return swarms;
}

/**
 * The id for a new swarm: the midpoint of the widest gap between existing ids, counting the gap
 * that wraps from the largest id to the smallest (oxen-core `get_new_swarm_id`); 0 when there
 * are none.
 */
export function newSwarmId(ids: readonly bigint[]): bigint {
  const sorted = [...new Set(ids)].sort(compareBig);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return 0n;
  let maxDist = 0n;
  let best = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const dist = (sorted[i + 1] ?? 0n) - (sorted[i] ?? 0n);
    if (dist > maxDist) {
      maxDist = dist;
      best = i;
    }
  }
  // The wrapping gap, treating MAX_ID and 0 as one apart.
  const wrap = MAX_ID - last + first + 1n;
  if (wrap > maxDist) {
    maxDist = wrap;
    best = sorted.length - 1;
  }
  const base = sorted[best] ?? 0n;
  const diff = maxDist / 2n;
  const toMax = MAX_ID - base;
  return diff > toMax ? diff - toMax - 1n : base + diff;
}

/** A deterministic source of uniform integers (splitmix64), standing in for mt19937_64. */
export interface SwarmRandom {
  /** A uniform integer in [0, n). */
  below(n: number): number;
}

/** A `SwarmRandom` from a 64-bit seed. */
export function createSwarmRandom(seed: bigint): SwarmRandom {
  let state = ((seed % MODULUS) + MODULUS) % MODULUS;
  const next = (): bigint => {
    state = (state + 0x9e3779b97f4a7c15n) % MODULUS;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) % MODULUS;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) % MODULUS;
    return z ^ (z >> 31n);
  };
  return {
    below(n) {
      if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`below(${n})`);
      const bound = BigInt(n);
      // Reject the top sliver so every residue is equally likely.
      const limit = MODULUS - (MODULUS % bound);
      for (;;) {
        const x = next();
        if (x < limit) return Number(x % bound);
      }
    },
  };
}

interface Rules {
  readonly min: number;
  readonly margin: number;
  readonly newSize: number;
  readonly max: number;
  readonly buffer: number;
}

function rulesOf(sizing: SwarmSizing): Rules {
  return {
    min: sizing.minSize,
    margin: sizing.idealSize - sizing.minSize,
    newSize: sizing.newSwarmSize,
    max: sizing.maxSize,
    buffer: sizing.buffer,
  };
}

interface SwarmSize {
  readonly id: bigint;
  readonly size: number;
}

function sortedSizes(swarms: SwarmMap): SwarmSize[] {
  return [...swarms]
    .map(([id, nodes]) => ({ id, size: nodes.length }))
    .sort((a, b) => a.size - b.size || compareBig(a.id, b.id));
}

/** oxen-core `assign_snodes`. */
function assignNodes(
  nodes: readonly string[],
  swarms: SwarmMap,
  rng: SwarmRandom,
  percentile: number,
  rules: Rules,
): void {
  for (const node of nodes) {
    const sizes = sortedSizes(swarms);
    const index = Math.floor((percentile * (sizes.length - 1)) / 100);
    const value = sizes[index]?.size ?? 0;
    // The last swarm whose size equals the percentile's value.
    let upper = sizes.length - 1;
    for (let i = index; i < sizes.length; i++) {
      if ((sizes[i]?.size ?? 0) > value) {
        upper = i - 1;
        break;
      }
    }
    const chosen = sizes[rng.below(upper + 1)];
    if (chosen === undefined) continue;
    swarms.get(chosen.id)?.push(node);
    createSwarmsFromExcess(swarms, rng, rules);
  }
}

interface ExcessNode {
  readonly node: string;
  readonly swarm: bigint;
}

/** oxen-core `get_excess_pool`: the nodes of swarms larger than `threshold`, and their excess. */
function excessPool(
  swarms: SwarmMap,
  threshold: number,
  rules: Rules,
): { pool: ExcessNode[]; excess: number } {
  const pool: ExcessNode[] = [];
  let excess = 0;
  if (threshold < rules.min) return { pool, excess };
  for (const [id, nodes] of swarms) {
    if (nodes.length > threshold) {
      excess += nodes.length - rules.min;
      for (const node of nodes) pool.push({ node, swarm: id });
    }
  }
  return { pool, excess };
}

function takeRandom(pool: readonly ExcessNode[], swarms: SwarmMap, rng: SwarmRandom): string {
  const picked = pool[rng.below(pool.length)];
  if (picked === undefined) throw new Error('swarm assignment: empty excess pool');
  const members = swarms.get(picked.swarm) ?? [];
  members.splice(members.indexOf(picked.node), 1);
  return picked.node;
}

function totalExcess(swarms: SwarmMap, rules: Rules): number {
  let excess = 0;
  for (const nodes of swarms.values()) excess += Math.max(nodes.length - rules.min, 0);
  return excess;
}

/** oxen-core `create_new_swarm_from_excess`, plus our max-size trigger (module comment). */
function createSwarmsFromExcess(swarms: SwarmMap, rng: SwarmRandom, rules: Rules): void {
  for (const nodes of swarms.values()) if (nodes.length < rules.min) return;
  const wanted = (): boolean => {
    const excess = totalExcess(swarms, rules);
    if (excess >= rules.newSize + swarms.size * rules.margin) return true;
    const oversized = [...swarms.values()].some((nodes) => nodes.length > rules.max);
    return oversized && excess >= rules.newSize + rules.buffer;
  };
  while (wanted()) {
    const members: string[] = [];
    while (members.length < rules.newSize) {
      const { pool } = excessPool(swarms, rules.min, rules);
      if (pool.length === 0) return;
      members.push(takeRandom(pool, swarms, rng));
    }
    swarms.set(newSwarmId([...swarms.keys()]), members);
  }
}

/** oxen-core's "Robin Hood round": fill starving swarms from the large ones. */
function robinHood(swarms: SwarmMap, rng: SwarmRandom, rules: Rules): void {
  const sizes = sortedSizes(swarms);
  for (const swarm of sizes) {
    if (swarm.size >= rules.min) break;
    const poor = swarms.get(swarm.id) ?? [];
    let insufficient = false;
    do {
      const index = Math.floor((STEALING_SWARM_UPPER_PERCENTILE * (sizes.length - 1)) / 100);
      // Strictly above the percentile's value (hence − 1), and never below the minimum.
      const threshold = Math.max(rules.min, (sizes[index]?.size ?? 0) - 1);
      const { pool, excess } = excessPool(swarms, threshold, rules);
      insufficient = excess < rules.min - poor.length || pool.length === 0;
      if (insufficient) break;
      poor.push(takeRandom(pool, swarms, rng));
    } while (poor.length < rules.min);
    if (insufficient) break;
  }
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
