/**
 * Per-client rate limiting, upstream's token bucket (network.md §1.9;
 * session-foundation/session-storage-server `oxenss/rpc/rate_limiter.h`, `rate_limiter.cpp`):
 *
 * - each client (IPv4 address) has a bucket of at most 600 tokens, refilled at 300 per second
 *   in whole tokens (one per 3,333 µs); a request takes a token or is refused (429);
 * - a new client starts with a full bucket (the first request takes one);
 * - at most 10,000 clients are tracked; when that many are, buckets that have refilled
 *   completely are forgotten, and if none has, new clients are refused until some do;
 * - `sweep()` (run with the expiry cleanup, as upstream's 10 s timer) forgets full buckets.
 *
 * The clock is injected (milliseconds, may be fractional) so tests drive time directly.
 */

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /** Tokens per second (default 300, `TOKEN_RATE`). */
  readonly rate?: number;
  /** Bucket size (default 600, `BUCKET_SIZE`). */
  readonly burst?: number;
  /** Clients tracked at most (default 10,000, `MAX_CLIENTS`). */
  readonly maxClients?: number;
}

/** A rate limiter keyed by client address. */
export interface RateLimiter {
  /** True when the client may make a request now (and takes a token); false: answer 429. */
  allow(client: string, nowMs: number): boolean;
  /** Forgets clients whose bucket is full again. */
  sweep(nowMs: number): void;
  /** How many clients are tracked. */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  /** µs */
  last: number;
}

/** Creates a limiter with upstream's defaults. */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const burst = options.burst ?? 600;
  const maxClients = options.maxClients ?? 10_000;
  // Integer microseconds per token, as `1'000'000us / TOKEN_RATE` in C++.
  const period = Math.floor(1_000_000 / (options.rate ?? 300));
  const fillAll = period * burst;
  const buckets = new Map<string, Bucket>();

  /** Adds the whole tokens earned since `last` (which only a taken token moves). */
  const fill = (b: Bucket, nowUs: number): void => {
    const elapsed = Math.min(Math.max(0, nowUs - b.last), fillAll);
    b.tokens = Math.min(burst, b.tokens + Math.floor(elapsed / period));
  };
  // Only looks: a bucket that is not full yet keeps its state (upstream's sweep also adds the
  // tokens without moving `last`, which counts that time twice).
  const sweep = (nowUs: number): void => {
    for (const [key, b] of buckets) {
      const earned = Math.floor(Math.min(Math.max(0, nowUs - b.last), fillAll) / period);
      if (b.tokens + earned >= burst) buckets.delete(key);
    }
  };

  return {
    allow(client, nowMs) {
      const now = Math.floor(nowMs * 1000);
      const b = buckets.get(client);
      if (b !== undefined) {
        fill(b, now);
        if (b.tokens === 0) return false;
        b.tokens--;
        b.last = now;
        return true;
      }
      if (buckets.size >= maxClients) {
        sweep(now);
        if (buckets.size >= maxClients) return false;
      }
      buckets.set(client, { tokens: burst - 1, last: now });
      return true;
    },
    sweep: (nowMs) => sweep(Math.floor(nowMs * 1000)),
    get size() {
      return buckets.size;
    },
  };
}
