/**
 * A deterministic `Rng` for the network tests (never for real keys): a 32-bit xorshift stream
 * from a numeric seed, so path choices and ephemeral keys repeat from run to run. Core's seeded
 * Rng is internal to core (its test support), so net keeps this small one.
 */
import type { Rng } from '@session-ts/core';

/** A deterministic Rng. */
export function createTestRng(seed: number): Rng {
  let state = seed >>> 0 || 0x9e3779b9;
  return {
    randomBytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[i] = state & 0xff;
      }
      return out;
    },
  };
}
