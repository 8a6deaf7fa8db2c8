/**
 * Retries with exponential backoff: attempt n waits `base · factor^(n−1)` (capped) before the
 * next. The sleep is injected, so tests run without waiting and simulations can use virtual time
 * (CONVENTIONS.md, habit 5). A sleep ends early when the caller's signal fires.
 *
 * The desktop retries onion requests with p-retry (`onions.ts`, `SNodeAPI.ts`) and refreshes the
 * node pool with `retries: 3, minTimeout: 1000` (`snodePool.ts`); our defaults are in
 * `createNetwork`.
 */
import { NetworkError } from './network-error.ts';

/** Waits `ms`, or less if `signal` fires. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A sleep on real timers. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Backoff parameters. */
export interface BackoffOptions {
  /** The first delay. */
  readonly baseDelayMs: number;
  /** No delay exceeds this. */
  readonly maxDelayMs: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
}

/** The delay after failed attempt `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  const delay = options.baseDelayMs * factor ** Math.max(0, attempt - 1);
  return Math.min(options.maxDelayMs, delay);
}

/** Options of `withRetries`. */
export interface RetryOptions extends BackoffOptions {
  /** Total attempts, the first included (≥ 1). */
  readonly attempts: number;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
  /** Whether a failure is worth another attempt (default: any but `aborted`/`invalid-input`). */
  readonly shouldRetry?: (error: unknown) => boolean;
}

function defaultShouldRetry(error: unknown): boolean {
  return !(
    error instanceof NetworkError &&
    (error.code === 'aborted' || error.code === 'invalid-input')
  );
}

/**
 * Calls `fn(attempt)` until it resolves, backing off between failures. When attempts run out
 * it rejects with `NetworkError('retries-exhausted')` whose `cause` is the last failure; an
 * error `shouldRetry` refuses, or the signal firing, ends it at once.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const shouldRetry = options.shouldRetry ?? defaultShouldRetry;
  let last: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (options.signal?.aborted === true) {
      throw new NetworkError('aborted', 'request aborted by the caller', { cause: last });
    }
    try {
      return await fn(attempt);
    } catch (error) {
      if (!shouldRetry(error)) throw error;
      last = error;
    }
    if (attempt < options.attempts) {
      await options.sleep(backoffDelay(attempt, options), options.signal);
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new NetworkError(
    'retries-exhausted',
    `gave up after ${options.attempts} attempts: ${reason}`,
    { cause: last },
  );
}
