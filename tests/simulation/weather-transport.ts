/**
 * Network weather as a `Transport` wrapper (`@session-ts/net`): every request through it waits
 * a seeded number of event-loop turns before and after delivery (so concurrent requests
 * overtake each other), may be lost — on the way out (never delivered) or on the way back
 * (delivered, answer dropped, which is what makes retries store the same message twice) — and
 * moves the simulated clock on by a seeded latency when it starts a client's request.
 *
 * Loss shows as net's `timeout` error at once: waiting out a real deadline would only slow the
 * run, and the layers above (onion attempts, retries, the client's outbox) react to the error,
 * not to how long it took.
 */
import { NetworkError, type Transport } from '@session-ts/net';
import { turns } from './sim-network.ts';
import type { SimRng } from './sim-rng.ts';

/** What the weather does; shared by every transport it wraps. */
export interface Weather {
  /** Most event-loop turns a request or its answer waits; 0 delivers at once. */
  readonly maxDelayTurns: number;
  /** Chance per hop that a request (or its answer) is lost. */
  readonly lossRate: number;
}

/** Counters of what the weather did. */
export interface WeatherStats {
  requests: number;
  lostOut: number;
  lostBack: number;
}

/**
 * Wraps `inner`. `advanceClock`, when given, is called with a 1–200 ms latency at the start of
 * each request (clients' transports move simulated time; node-to-node hops inside one request
 * do not, so one onion request costs one latency).
 */
export function weatherTransport(options: {
  readonly inner: Transport;
  readonly rng: SimRng;
  readonly weather: Weather;
  readonly stats: WeatherStats;
  readonly advanceClock?: (ms: number) => void;
}): Transport {
  const { inner, rng, weather, stats } = options;
  const delay = (): Promise<void> => turns(rng.int(weather.maxDelayTurns + 1));
  return {
    async request(target, body, req) {
      stats.requests++;
      options.advanceClock?.(rng.between(1, 200));
      await delay();
      if (rng.chance(weather.lossRate)) {
        stats.lostOut++;
        throw new NetworkError('timeout', 'simulated loss: the request never arrived');
      }
      // Decide the answer's fate before awaiting, so the draw order does not depend on how
      // long the inner request took relative to others.
      const loseAnswer = rng.chance(weather.lossRate / 2);
      const after = rng.int(weather.maxDelayTurns + 1);
      const answer = await inner.request(target, body, req);
      await turns(after);
      if (loseAnswer) {
        stats.lostBack++;
        throw new NetworkError('timeout', 'simulated loss: the answer never came back');
      }
      return answer;
    },
  };
}
