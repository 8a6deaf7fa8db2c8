/**
 * The attempt loop every onion request shares (docs/network.md, "Failure handling"): choose a
 * destination, take a path that avoids it (and, if possible, the paths that already failed this
 * request), send, and act on what came back:
 *
 * - a relay named a bad node ("Next node not found/unreachable: X") → drop X from the pool, the
 *   swarm cache and its path at once, and try again without using up an attempt (at most
 *   `MAX_FREE_EJECTIONS` times per request);
 * - any other path failure → count it against the path (and its non-guard nodes), avoid that path
 *   for the rest of this request;
 * - an answer → the caller's `interpret` decides: done, retry (with or without backoff), or fail.
 *
 * Between attempts it backs off exponentially with the injected sleep; the caller's signal ends it
 * at once. When attempts run out it rejects with `NetworkError('retries-exhausted')` whose `cause`
 * is the last failure. Every node answer's `t` feeds the network clock.
 *
 * Upstream: session-foundation/session-desktop `ts/session/apis/snode_api/onions.ts`
 * (`processOnionRequestErrorOnPath`, `handleNodeNotFound`, `incrementBadPathCountOrDrop`,
 * p-retry around `sendOnionRequestHandlingSnodeEject`).
 */
import type { OnionEncType, OnionHop, Rng } from '@session-ts/core';
import { NetworkError, isNetworkError } from './network-error.ts';
import type { NetworkClock } from './network-clock.ts';
import { shortKey, type NetLogger } from './net-logger.ts';
import type { NodeInfo } from './node-info.ts';
import type { OnionPath, PathManager } from './onion-paths.ts';
import { sendOnion, type OnionOutcome, type OnionTarget } from './onion-sender.ts';
import { backoffDelay, type BackoffOptions, type Sleep } from './retry.ts';
import type { SwarmCache } from './swarm-cache.ts';
import type { Transport } from './transport.ts';

/** An onion request's answer: a node's `{status, body}` or a server's v4 response. */
export type OnionAnswer = Exclude<OnionOutcome, { kind: 'path-failure' }>;

/** What to do after an answer. */
export type Verdict<T> =
  | { readonly done: T }
  | { readonly retry: NetworkError; readonly backoff: boolean }
  | { readonly fail: NetworkError };

/** One attempt's destination and payload. */
export interface Attempt {
  readonly target: OnionTarget;
  readonly payload: Uint8Array;
}

/** What the loop needs. */
export interface AttemptLoopDeps {
  readonly transport: Transport;
  readonly rng: Rng;
  readonly paths: PathManager;
  readonly swarms: SwarmCache;
  readonly clock: NetworkClock;
  readonly logger: NetLogger;
  readonly sleep: Sleep;
  readonly hopOf: (node: NodeInfo) => OnionHop;
  readonly encType?: OnionEncType;
  /** Per-attempt timeout unless the call gives one. */
  readonly requestMs: number;
  readonly attempts: number;
  readonly backoff: BackoffOptions;
}

/** A run of attempts. */
export type AttemptLoop = <T>(
  /** The destination for the next attempt (given the paths this request already saw fail). */
  choose: (avoidPaths: ReadonlySet<number>) => Promise<Attempt>,
  interpret: (answer: OnionAnswer, target: OnionTarget) => Promise<Verdict<T>>,
  call: { readonly timeoutMs?: number; readonly signal?: AbortSignal },
  maxAttempts?: number,
) => Promise<T>;

function t(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { t?: unknown }).t : undefined;
}

/**
 * Path failures that named (and so ejected) a dead node do not use up an attempt, up to this
 * many per request: each shrinks the pool, so the loop ends either way.
 */
export const MAX_FREE_EJECTIONS = 8;

/** Builds the loop over the network's paths and caches. */
export function createAttemptLoop(deps: AttemptLoopDeps): AttemptLoop {
  const { paths, swarms, logger } = deps;

  const handlePathFailure = (
    path: OnionPath,
    failure: Extract<OnionOutcome, { kind: 'path-failure' }>,
    target: OnionTarget,
  ): void => {
    const bad = failure.badNode;
    if (bad !== undefined) {
      swarms.dropNodeEverywhere(bad);
      paths.dropNode(bad, failure.message);
      return;
    }
    logger.warn('onion path failed', {
      guard: shortKey(path.nodes[0]?.pubkeyEd25519 ?? ''),
      status: failure.status,
      message: failure.message,
      destination: target.kind === 'node' ? shortKey(target.node.pubkeyEd25519) : 'server',
    });
    paths.recordFailure(path, failure.message);
  };

  return async <T>(
    choose: (avoidPaths: ReadonlySet<number>) => Promise<Attempt>,
    interpret: (answer: OnionAnswer, target: OnionTarget) => Promise<Verdict<T>>,
    call: { readonly timeoutMs?: number; readonly signal?: AbortSignal },
    maxAttempts = deps.attempts,
  ): Promise<T> => {
    const signal = call.signal;
    const avoidPaths = new Set<number>();
    let last = new NetworkError('retries-exhausted', 'no attempt was made');
    let ejections = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (signal?.aborted === true) {
        throw new NetworkError('aborted', 'request aborted by the caller');
      }
      const { target, payload } = await choose(avoidPaths);
      const avoidNodes = new Set(target.kind === 'node' ? [target.node.pubkeyEd25519] : []);
      const path = await paths.get({
        avoidNodes,
        avoidPaths,
        ...(signal === undefined ? {} : { signal }),
      });
      const outcome = await sendOnion({
        transport: deps.transport,
        path,
        target,
        payload,
        rng: deps.rng,
        hopOf: deps.hopOf,
        timeoutMs: call.timeoutMs ?? deps.requestMs,
        ...(deps.encType === undefined ? {} : { encType: deps.encType }),
        ...(signal === undefined ? {} : { signal }),
      });
      let pause = true;
      if (outcome.kind === 'path-failure') {
        handlePathFailure(path, outcome, target);
        if (outcome.badNode !== undefined && ejections < MAX_FREE_EJECTIONS) {
          // A relay named a dead node, now gone from the pool: progress, not a failed try.
          // Without this a fresh client in a network with several nodes down spends its
          // attempts discovering them one by one (seen in the netns test: 3 of 9 nodes cut).
          ejections++;
          attempt--;
          pause = false;
        }
        avoidPaths.add(path.id);
        last = isNetworkError(outcome.cause)
          ? outcome.cause
          : new NetworkError(
              'bad-response',
              `onion path: ${outcome.status ?? '-'} ${outcome.message}`,
            );
      } else {
        if (outcome.kind === 'answer') deps.clock.observe(t(outcome.body));
        const verdict = await interpret(outcome, target);
        if ('done' in verdict) return verdict.done;
        if ('fail' in verdict) throw verdict.fail;
        last = verdict.retry;
        pause = verdict.backoff;
      }
      if (pause && attempt < maxAttempts) {
        await deps.sleep(backoffDelay(attempt, deps.backoff), signal);
      }
    }
    throw new NetworkError(
      'retries-exhausted',
      `gave up after ${maxAttempts} attempts: ${last.message}`,
      { cause: last },
    );
  };
}
