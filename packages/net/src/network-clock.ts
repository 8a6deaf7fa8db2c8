/**
 * Network time (network.md §1.2, §10): signed storage requests must carry a timestamp within
 * ±60 s of the node's clock, so a client whose own clock is wrong signs with *network* time: its
 * clock plus the offset it last saw between a node's `t` (server time, ms, on every storage RPC
 * answer) and its own clock. Like the desktop, the latest observation wins; values before 2021
 * are ignored as nonsense.
 *
 * Upstream: session-foundation/session-desktop `ts/session/apis/snode_api/getNetworkTime.ts`
 * (`handleTimestampOffsetFromNetwork`) and `ts/util/NetworkTime.ts`.
 */
import type { Clock } from '@session-ts/core';

/** 2021-01-01T00:00:00Z: a node time before this is not believed (getNetworkTime.ts). */
const EARLIEST_BELIEVABLE_MS = 1_609_459_200_000;

/** A clock that follows the network. */
export interface NetworkClock extends Clock {
  /** Local time plus the last observed offset (ms since the epoch). */
  now(): number;
  /** Network time minus local time, in ms (0 until the first observation). */
  offsetMs(): number;
  /** True once a node's time has been observed. */
  synced(): boolean;
  /** Records a node's `t`; ignores anything that is not a believable ms timestamp. */
  observe(serverTimeMs: unknown): void;
}

/** A network clock over the local `clock`. */
export function createNetworkClock(clock: Clock): NetworkClock {
  let offset = 0;
  let seen = false;
  return {
    now: () => clock.now() + offset,
    offsetMs: () => offset,
    synced: () => seen,
    observe(t) {
      if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < EARLIEST_BELIEVABLE_MS) return;
      offset = t - clock.now();
      seen = true;
    },
  };
}
