/**
 * z-base-32 (https://philzimmermann.com/docs/human-oriented-base-32-encoding.txt), the
 * alphabet of `.snode` addresses: a node's deprecated `address` field in `get_swarm` is
 * `base32z(pubkey_legacy) + ".snode"` (network.md §1.3).
 *
 * Upstream: oxen-io/oxen-encoding `oxenc/base32z.h` (bits are taken most significant first;
 * a final partial group is padded with zero bits and there is no `=` padding).
 */
import { assertBytes } from './bytes.ts';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** Encodes bytes as z-base-32, without padding (32 bytes give 52 characters). */
export function toBase32z(bytes: Uint8Array): string {
  assertBytes('base32z input', bytes);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31] ?? '';
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31] ?? '';
  return out;
}
