/**
 * Which swarm stores an account: the swarm whose id is nearest the account's swarm-space value
 * on the circle of 64-bit numbers (network.md §1.6), and the hex form swarm ids take in JSON
 * (§12.3).
 *
 * Upstream: session-foundation/session-storage-server `oxenss/snode/network.cpp`
 * (`Network::_find_swarm_for`, formerly `get_swarm_by_pk` in `oxenss/snode/swarm.cpp`):
 *
 * - no swarms: no answer; one swarm: it takes every account;
 * - otherwise take the first id ≥ the value (wrapping to the smallest id) as the right
 *   neighbour and the id before it (wrapping to the largest) as the left one, measure both gaps
 *   with 64-bit wrap-around, and pick the right neighbour only if it is strictly nearer.
 *
 * So an exact tie goes to the left (counter-clockwise) neighbour. That is the lower id except
 * across the wrap, where the left neighbour is the largest id: with ids 100…694 and value
 * 2^63 + 397, both gaps are 2^63 − 297 and 694 wins (swarm-mapping.json).
 *
 * Swarm ids are `bigint`s in [0, 2^64 − 1]; `INVALID_SWARM_ID` (2^64 − 1) is what upstream
 * reports when a node is in no swarm.
 */
import { ProtocolError } from '../errors.ts';
import { SWARM_SPACE_MAX, swarmSpace } from './swarm-space.ts';

/** "Not in a swarm" (`INVALID_SWARM_ID`, network.h; oxen-core `UNASSIGNED_SWARM_ID`). */
export const INVALID_SWARM_ID = SWARM_SPACE_MAX;

const MODULUS = SWARM_SPACE_MAX + 1n;

/**
 * The id of the swarm that stores the account at swarm-space `value`, or `undefined` when there
 * are no swarms. `swarmIds` may be in any order; duplicates are ignored.
 */
export function chooseSwarm(swarmIds: readonly bigint[], value: bigint): bigint | undefined {
  assertU64('swarm-space value', value);
  const list: unknown = swarmIds;
  if (!Array.isArray(list)) {
    throw new ProtocolError('invalid-input', 'swarm ids: expected an array of bigints');
  }
  for (const id of list as readonly unknown[]) assertU64('swarm id', id);
  const ids = [...new Set(swarmIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length <= 1) return ids[0];

  // First index whose id is >= value (std::map::lower_bound), wrapping past the end to 0.
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] ?? 0n) < value) lo = mid + 1;
    else hi = mid;
  }
  const rightIndex = lo === ids.length ? 0 : lo;
  const leftIndex = (rightIndex === 0 ? ids.length : rightIndex) - 1;
  const right = ids[rightIndex] ?? 0n;
  const left = ids[leftIndex] ?? 0n;

  // Distances with uint64 wrap-around, as the C++ unsigned subtraction gives.
  const toRight = mod(right - value);
  const toLeft = mod(value - left);
  return toRight < toLeft ? right : left;
}

/** The swarm of an account (33-byte ID or 66 hex characters) among `swarmIds`. */
export function swarmForAccount(
  account: Uint8Array | string,
  swarmIds: readonly bigint[],
): bigint | undefined {
  return chooseSwarm(swarmIds, swarmSpace(account));
}

/**
 * A swarm id as 16 lowercase hex digits, the JSON form network.md §12.3 fixes. (Upstream prints
 * `{:x}` without zero padding; both parse to the same number.)
 */
export function swarmIdToHex(id: bigint): string {
  assertU64('swarm id', id);
  return id.toString(16).padStart(16, '0');
}

/** Parses a swarm id from 1–16 hex digits (either case; padded or, as upstream prints, not). */
export function swarmIdFromHex(text: string): bigint {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{1,16}$/.test(text)) {
    throw new ProtocolError(
      'invalid-hex',
      `swarm id: expected 1 to 16 hex digits, got ${typeof text === 'string' ? `"${text.slice(0, 40)}"` : typeof text}`,
      { subject: 'swarm id' },
    );
  }
  return BigInt('0x' + text);
}

function mod(x: bigint): bigint {
  return ((x % MODULUS) + MODULUS) % MODULUS;
}

function assertU64(what: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > SWARM_SPACE_MAX) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected a bigint from 0 to 2^64 - 1, got ${typeof value === 'bigint' ? value.toString() : typeof value}`,
      { subject: what },
    );
  }
}
