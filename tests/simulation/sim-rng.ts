/**
 * The simulation's seeded randomness (CONVENTIONS.md habit 5): a SplitMix32-style generator
 * that is core's `Rng` (so it can be handed to real code) plus the draws a scenario needs.
 * Same seed, same run.
 */
import type { Rng } from '@session-ts/core';

/** A seeded generator. */
export interface SimRng extends Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent generator derived from this one's next draw (for sub-streams). */
  fork(): SimRng;
}

/** A generator seeded with `seed` (any 32-bit integer). */
export function createSimRng(seed: number): SimRng {
  let state = seed >>> 0;
  function next32(): number {
    // SplitMix32 (Vigna's SplitMix64 constants adapted to 32 bits, as in many JS PRNG ports).
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  const rng: SimRng = {
    next: () => next32() / 0x1_0000_0000,
    int: (n) => Math.floor(rng.next() * n),
    between: (min, max) => min + rng.int(max - min + 1),
    chance: (p) => rng.next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[rng.int(items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    randomBytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        const v = next32();
        for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
      }
      return out;
    },
    fork: () => createSimRng(next32()),
  };
  return rng;
}
