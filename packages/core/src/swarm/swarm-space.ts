/**
 * An account's position in swarm space: the unsigned 64-bit number that decides which swarm
 * stores its messages (network.md §1.6).
 *
 * The 32 key bytes after the prefix byte are split into four 8-byte chunks, each read
 * big-endian, and XORed together. The prefix byte plays no part, so `05…` and `03…` accounts
 * with the same 32 bytes share a swarm.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/common/pubkey.cpp`
 * (`pubkey_to_swarm_space`, formerly in `oxenss/snode/swarm.cpp`).
 */
import { ProtocolError } from '../errors.ts';
import { fromHexOfLength } from '../encoding/hex.ts';

/** The largest swarm-space value, 2^64 − 1. */
export const SWARM_SPACE_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * The swarm-space value of an account: its 33-byte ID (bytes or 66 hex characters), or just the
 * 32 key bytes without the prefix.
 */
export function swarmSpace(account: Uint8Array | string): bigint {
  const key = keyBytes(account);
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  let value = 0n;
  for (let offset = 0; offset < 32; offset += 8) value ^= view.getBigUint64(offset, false);
  return value;
}

function keyBytes(account: Uint8Array | string): Uint8Array {
  if (typeof account === 'string') return fromHexOfLength(account, 33, 'account ID').subarray(1);
  if (!(account instanceof Uint8Array)) {
    throw new ProtocolError(
      'invalid-input',
      `account ID: expected bytes or a hex string, got ${account === null ? 'null' : typeof account}`,
    );
  }
  if (account.length === 33) return account.subarray(1);
  if (account.length === 32) return account;
  throw new ProtocolError(
    'invalid-length',
    `account ID: expected 33 bytes (or the 32 key bytes), got ${account.length}`,
  );
}
