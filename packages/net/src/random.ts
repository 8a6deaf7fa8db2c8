/**
 * Uniform choices from an injected `Rng` (CONVENTIONS.md, habit 5): which seed, which nodes of
 * the pool, which swarm member. Rejection sampling keeps them unbiased.
 */
import type { Rng } from '@session-ts/core';

/** A uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`randomIndex: n must be ≥ 1, got ${n}`);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const b = rng.randomBytes(4);
    const v =
      ((b[0] ?? 0) * 0x100_0000 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0)) >>> 0;
    if (v < limit) return v % n;
  }
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Up to `count` distinct items, uniformly chosen. */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  return shuffled(rng, items).slice(0, Math.max(0, count));
}
