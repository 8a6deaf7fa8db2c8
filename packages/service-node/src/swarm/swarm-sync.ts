/**
 * Keeping a node in the network: it registers with the seed and re-registers every
 * `refresh_ms` the seed asks for (standing in for upstream's uptime proofs, oxen-io/oxen-core
 * `uptime_proof.cpp`), and polls the node list (standing in for polling oxend for new blocks,
 * session-foundation/session-storage-server `ServiceNode::update_swarms`). Each changed list
 * updates the `SwarmState` and hands the resulting events to the replicator.
 *
 * `start` resolves once the node sees itself in a swarm — what `session-cli node run` waits for
 * before printing its ready line — and rejects if that does not happen within `joinTimeoutMs`.
 */
import type { Clock, Identity } from '@session-ts/core';
import { swarmIdToHex } from '@session-ts/core';
import type { Logger } from '@session-ts/server-kit';
import type { Replicator } from './replicator.ts';
import type { SeedClient, SelfAddress } from './seed-client.ts';
import type { SwarmState } from './swarm-state.ts';

/** Options of `createSwarmSync`. */
export interface SwarmSyncOptions {
  readonly identity: Identity;
  readonly self: SelfAddress;
  readonly seed: SeedClient;
  readonly state: SwarmState;
  readonly replicator: Replicator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often to poll the list (default 5 s). */
  readonly pollMs?: number;
  /** How long `start` waits to see this node in a swarm (default 30 s). */
  readonly joinTimeoutMs?: number;
}

/** The registration and polling loops. */
export interface SwarmSync {
  /** Registers and polls until this node is in a swarm; then keeps both going. */
  start(): Promise<void>;
  /** Polls now (e.g. when a peer says our list is behind). */
  pollNow(): void;
  stop(): void;
}

const DEFAULT_POLL_MS = 5000;
/** Until the seed says otherwise (its first reply carries `refresh_ms`). */
const DEFAULT_REFRESH_MS = 10_000;

/** Creates the loops (not started). */
export function createSwarmSync(options: SwarmSyncOptions): SwarmSync {
  const { seed, state, logger, replicator } = options;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  let refreshMs = DEFAULT_REFRESH_MS;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let polling: Promise<void> | undefined;

  const later = (ms: number, fn: () => Promise<void>): void => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      void fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  const register = async (): Promise<boolean> => {
    const result = await seed.register(options.identity, options.self);
    if (!result.ok) {
      logger.warn('seed registration failed', { reason: result.reason });
      return false;
    }
    if (Number.isSafeInteger(result.refreshMs) && result.refreshMs > 0)
      refreshMs = result.refreshMs;
    return true;
  };

  const poll = (): Promise<void> => {
    polling ??= (async () => {
      try {
        const result = await seed.poll(state.blockHash());
        if (!result.ok) {
          logger.warn('seed poll failed', { reason: result.reason });
          return;
        }
        if (result.unchanged) return;
        const before = state.mySwarmId();
        const events = state.update(result.list);
        if (events === undefined) return;
        if (events.swarmId !== before) {
          logger.info('swarm changed', {
            swarm: events.swarmId === undefined ? null : swarmIdToHex(events.swarmId),
            version: result.list.version,
            dissolved: events.dissolved,
          });
        }
        replicator.onSwarmEvents(events);
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  };

  // The loops outlive any one failure: a bug in a round is logged and the next round runs.
  const registerLoop = async (): Promise<void> => {
    let ok = false;
    try {
      ok = await register();
    } catch (error) {
      logger.error('seed registration round failed', { error });
    }
    later(ok ? refreshMs : Math.min(refreshMs, 1000), registerLoop);
  };
  const pollLoop = async (): Promise<void> => {
    try {
      await poll();
    } catch (error) {
      logger.error('seed poll round failed', { error });
    }
    later(pollMs, pollLoop);
  };

  return {
    async start() {
      const deadline = options.clock.now() + (options.joinTimeoutMs ?? 30_000);
      let registered = false;
      for (;;) {
        if (stopped) throw new Error('stopped before joining the network');
        if (!registered) registered = await register();
        if (registered) await poll();
        if (state.mySwarmId() !== undefined) break;
        if (options.clock.now() > deadline) {
          throw new Error(
            registered
              ? 'registered with the seed but never saw this node in its list'
              : 'could not register with the seed',
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(pollMs, 250)));
      }
      later(refreshMs, registerLoop);
      later(pollMs, pollLoop);
    },
    pollNow() {
      if (!stopped) poll().catch((error: unknown) => logger.error('seed poll failed', { error }));
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
