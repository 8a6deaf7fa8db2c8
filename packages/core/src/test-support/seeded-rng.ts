/**
 * A deterministic `Rng` for tests and known-answer vectors: never for real keys. It stands in
 * for the system CSPRNG so that every ephemeral key, KEM coin and random padding field of a V2
 * message comes out the same on every run, which is what lets the V2 vectors in
 * `vectors/v2/` be asserted byte for byte (upstream has no V2 KATs: protocol-v2.md §0).
 *
 * The stream, so another implementation can reproduce it:
 *
 *   block_i = SHAKE256("session-ts seeded rng v1" ‖ LE-u32(len(label)) ‖ label ‖ LE-u64(i)), 64 bytes
 *   stream  = block_0 ‖ block_1 ‖ …
 *
 * `randomBytes(n)` returns the next n bytes of the stream. `label` is UTF-8 text naming the
 * vector (e.g. "v2-dm/short"), so vectors do not share randomness.
 */
import { concatBytes, utf8 } from '../encoding/bytes.ts';
import { shake256 } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';

const DOMAIN = utf8('session-ts seeded rng v1');
const BLOCK = 64;

/** A seeded Rng that also reports how many bytes it has handed out. */
export interface SeededRng extends Rng {
  /** Bytes returned so far. */
  readonly position: number;
}

function le(value: number | bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt(value);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A deterministic stream of bytes named by `label`. */
export function createSeededRng(label: string): SeededRng {
  const name = utf8(label);
  const prefix = concatBytes(DOMAIN, le(name.length, 4), name);
  let block = 0n;
  let buffer: Uint8Array = new Uint8Array(0);
  let position = 0;
  return {
    get position() {
      return position;
    },
    randomBytes(length: number): Uint8Array {
      if (!Number.isInteger(length) || length < 0) {
        throw new RangeError(`random byte count must be a non-negative integer, got ${length}`);
      }
      while (buffer.length < length) {
        buffer = concatBytes(buffer, shake256(concatBytes(prefix, le(block, 8)), BLOCK));
        block++;
      }
      const out = buffer.slice(0, length);
      buffer = buffer.slice(length);
      position += length;
      return out;
    },
  };
}

/**
 * Wraps an Rng and records every draw, so a vector can publish the exact ephemeral values
 * (ephemeral secret, KEM coins, …) that went into it.
 */
export function recordingRng(inner: Rng): Rng & { readonly draws: readonly Uint8Array[] } {
  const draws: Uint8Array[] = [];
  return {
    draws,
    randomBytes(length: number): Uint8Array {
      const bytes = inner.randomBytes(length);
      draws.push(Uint8Array.from(bytes));
      return bytes;
    },
  };
}
