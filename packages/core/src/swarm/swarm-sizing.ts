/**
 * Swarm sizing: how many service nodes a swarm should hold, and when the network forms a new
 * one (network.md §1.6, §9). These are defaults: the seed registry that assigns swarms owns the
 * real values and may configure them, so they travel as a `SwarmSizing` value.
 *
 * Upstream: oxen-io/oxen-core `src/cryptonote_core/service_node_rules.h` — `MIN_SWARM_SIZE = 5`,
 * `IDEAL_SWARM_SIZE = MIN_SWARM_SIZE + IDEAL_SWARM_MARGIN (2)`, `NEW_SWARM_SIZE =
 * IDEAL_SWARM_SIZE`, `MAX_SWARM_SIZE = 10`, `SWARM_BUFFER = 5`.
 */
import { ProtocolError } from '../errors.ts';

/** How swarms are sized. */
export interface SwarmSizing {
  /** Below this a swarm is unhealthy and is dissolved into its neighbours. */
  readonly minSize: number;
  /** The size swarms are filled towards. */
  readonly idealSize: number;
  /** The size a new swarm starts with. */
  readonly newSwarmSize: number;
  /** No swarm grows beyond this. */
  readonly maxSize: number;
  /** A new swarm is never formed unless this many extra nodes are waiting (upstream's wording). */
  readonly buffer: number;
}

/** oxen-core's values. */
export const DEFAULT_SWARM_SIZING: SwarmSizing = Object.freeze({
  minSize: 5,
  idealSize: 7,
  newSwarmSize: 7,
  maxSize: 10,
  buffer: 5,
});

/**
 * Checks a configured sizing: positive integers with min ≤ ideal ≤ max and min ≤ new ≤ max
 * (buffer may be 0). Returns it unchanged so config loading can use it inline.
 */
export function checkSwarmSizing(sizing: SwarmSizing): SwarmSizing {
  const { minSize, idealSize, newSwarmSize, maxSize, buffer } = sizing;
  for (const [name, value, least] of [
    ['minSize', minSize, 1],
    ['idealSize', idealSize, 1],
    ['newSwarmSize', newSwarmSize, 1],
    ['maxSize', maxSize, 1],
    ['buffer', buffer, 0],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < least) {
      throw new ProtocolError(
        'invalid-input',
        `swarm sizing ${name}: expected an integer >= ${least}, got ${String(value)}`,
        { subject: name },
      );
    }
  }
  if (!(minSize <= idealSize && idealSize <= maxSize)) {
    throw new ProtocolError(
      'invalid-input',
      `swarm sizing: expected minSize <= idealSize <= maxSize, got ${minSize}, ${idealSize}, ${maxSize}`,
    );
  }
  if (!(minSize <= newSwarmSize && newSwarmSize <= maxSize)) {
    throw new ProtocolError(
      'invalid-input',
      `swarm sizing: expected minSize <= newSwarmSize <= maxSize, got ${minSize}, ${newSwarmSize}, ${maxSize}`,
    );
  }
  return sizing;
}
