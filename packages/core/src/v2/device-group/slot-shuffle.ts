/**
 * Random slot order for device-group messages (protocol-v2.md §9.2 steps 1 and 8; upstream
 * shuffles its key slots and kicked entries with `std::ranges::shuffle(…, csrng)` in
 * session-foundation/libsession-util:src/core/devices.cpp `encrypt_device_data`).
 *
 * Ours is a Fisher–Yates shuffle driven by the injected `Rng`, each index drawn without bias by
 * rejection sampling on little-endian u32s, so a seeded `Rng` gives a reproducible message.
 * The exact draws are part of our known-answer vectors (README in packages/core/vectors).
 */
import type { Rng } from '../../crypto/rng.ts';

const U32 = 0x1_0000_0000;

/** A uniform integer in [0, bound) from `rng` (4 bytes per draw, rejection sampled). */
export function uniformIndex(rng: Rng, bound: number): number {
  if (!Number.isInteger(bound) || bound <= 0 || bound > U32) {
    throw new RangeError(`uniformIndex bound must be an integer in 1..2^32, got ${bound}`);
  }
  const limit = U32 - (U32 % bound);
  for (;;) {
    const b = rng.randomBytes(4);
    const v = ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16)) + (b[3] ?? 0) * 0x100_0000;
    if (v < limit) return v % bound;
  }
}

/** A uniformly random permutation of 0…n−1: `result[i]` is the slot item i goes to. */
export function randomPermutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = uniformIndex(rng, i + 1);
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

/** Rounds up to a multiple of 4 (the slot and kicked-list granularity). */
export function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
