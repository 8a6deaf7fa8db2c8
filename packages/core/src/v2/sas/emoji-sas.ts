/**
 * Emoji short authentication strings (protocol-v2.md §11.2; upstream
 * session-foundation/libsession-util:src/core/link_sas.cpp `link_request_sas`, and
 * `derive_sas_seed` / `sas_from_seed` in the current devices.cpp).
 *
 * A link request's SAS: `salt = BLAKE2b-16(pers="SessionLinkEmoji", P)` over the whole decrypted
 * request plaintext P (its `"~"` signature included), then
 * `seed = Argon2id v1.3(P, salt, 16 bytes, 2 passes, 16 MiB, parallelism 1)`. Argon2id makes
 * each guess at a colliding request cost ~16 MiB of memory-hard work, which is what the 42 bits
 * of the 7-emoji view lean on (§15.6).
 *
 * Any 16-byte seed becomes 21 emoji: read it as a 128-bit little-endian integer, emoji k is
 * table entry `bits[6k, 6k+6)` (the last two bits are unused). The standard view is the first
 * 7 joined by spaces; the extended view is all 21 as 3 lines of 7.
 */
import { argon2id } from '../../crypto/primitives.ts';
import { assertBytes } from '../../encoding/bytes.ts';
import { PERS_LINK_EMOJI, personalHash } from '../device-group/domains.ts';
import { SAS_EMOJI } from './emoji-table.ts';

/** Emoji in a full SAS. */
export const SAS_EMOJI_COUNT = 21;
/** Emoji in the standard view (42 bits). */
export const SAS_STANDARD_COUNT = 7;
/** SAS seed length. */
export const SAS_SEED_BYTES = 16;
/** Argon2id passes (`opslimit`, link_sas.cpp). */
export const SAS_ARGON2_OPS = 2;
/** Argon2id memory, bytes (`memlimit` = 16 MiB, link_sas.cpp). */
export const SAS_ARGON2_MEMORY = 16 * 1024 * 1024;

/** A short authentication string, ready to show. */
export interface EmojiSas {
  /** The 16-byte seed the emoji come from. */
  readonly seed: Uint8Array;
  /** Table indices 0–63 of the 21 emoji. */
  readonly indices: readonly number[];
  /** The 21 emoji. */
  readonly emoji: readonly string[];
  /** The first 7 joined by single spaces: what both devices show by default. */
  readonly standard: string;
  /** All 21 as 3 lines of 7 (spaces within a line, `\n` between lines). */
  readonly extended: string;
}

/** The 21 emoji of a 16-byte seed (upstream `sas_from_seed`). */
export function sasFromSeed(seed: Uint8Array): EmojiSas {
  assertBytes('SAS seed', seed, SAS_SEED_BYTES);
  let n = 0n;
  for (let i = SAS_SEED_BYTES - 1; i >= 0; i--) n = (n << 8n) | BigInt(seed[i] ?? 0);
  const indices: number[] = [];
  for (let k = 0; k < SAS_EMOJI_COUNT; k++) indices.push(Number((n >> BigInt(6 * k)) & 0x3fn));
  const emoji = indices.map((i) => SAS_EMOJI[i] ?? '');
  const lines: string[] = [];
  for (let k = 0; k < SAS_EMOJI_COUNT; k += SAS_STANDARD_COUNT) {
    lines.push(emoji.slice(k, k + SAS_STANDARD_COUNT).join(' '));
  }
  return {
    seed: Uint8Array.from(seed),
    indices,
    emoji,
    standard: lines[0] ?? '',
    extended: lines.join('\n'),
  };
}

/** The SAS seed of a link request plaintext: Argon2id over it, salted by its BLAKE2b hash. */
export function linkSasSeed(plaintext: Uint8Array): Uint8Array {
  assertBytes('link request plaintext', plaintext);
  const salt = personalHash(SAS_SEED_BYTES, PERS_LINK_EMOJI, [plaintext]);
  return argon2id(SAS_SEED_BYTES, plaintext, salt, SAS_ARGON2_OPS, SAS_ARGON2_MEMORY);
}

/**
 * The SAS both devices show for a link request, from its decrypted plaintext (the requesting
 * device computes it from the plaintext it built). Costs one Argon2id at 16 MiB (~50–100 ms).
 */
export function linkRequestSas(plaintext: Uint8Array): EmojiSas {
  return sasFromSeed(linkSasSeed(plaintext));
}

/** True when two SASes show the same 21 emoji (compares seeds, not strings). */
export function sasEqual(a: EmojiSas, b: EmojiSas): boolean {
  if (a.seed.length !== b.seed.length) return false;
  let diff = 0;
  for (let i = 0; i < a.seed.length; i++) diff |= (a.seed[i] ?? 0) ^ (b.seed[i] ?? 0);
  return diff === 0;
}
