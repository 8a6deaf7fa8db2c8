/**
 * `createNetwork(deps)`: the client's whole network layer (docs/network.md). Every request after
 * the seed fetch and the guard tests goes through a 3-hop onion path, so no node learns both who
 * asks and what is asked (network.md §2).
 *
 * - `storageRpc(account, method, params)`: the account's swarm (cached; fetched with `get_swarm`
 *   through a path), a random swarm member as destination, and upstream's handling of what
 *   comes back: 421 → take the swarm from the answer and try another member; 406/425 → resync
 *   the network clock and, when `params` is a function of the time, re-sign and retry; 5xx →
 *   count a failure against that node and try another; anything else is the answer.
 * - `onionRequest(target, payload)`: one request to a given node or HTTP server.
 * - Path failures (a non-200 outer status, a timeout, an unreachable guard) are counted against
 *   the path, or against the node a relay named, and the request is retried on another path with
 *   exponential backoff (`retry`); paths are rebuilt as they are dropped (`onion-paths.ts`).
 * - Every answer's `t` updates the network clock (`clock.now()`), which is what callers sign with.
 *
 * Defaults follow the desktop where it has a number (3 hops, 2 guards, 3 failures, 12/24 pool
 * sizes, 5 s seed and 10 s guard-test timeouts); ours: 4 attempts (p-retry's `retries: 3`),
 * backoff 250 ms doubling to at most 4 s, 30 s per onion request (the nodes' relay timeout).
 */
import {
  encodeOnionV4Request,
  toHex,
  utf8,
  type Clock,
  type OnionEncType,
  type OnionV4Request,
  type Rng,
} from '@session-ts/core';
import type { RpcRequest } from './batch.ts';
import { NetworkError } from './network-error.ts';
import { createNetworkClock, type NetworkClock } from './network-clock.ts';
import { SILENT_LOGGER, shortKey, type NetLogger } from './net-logger.ts';
import { createAttemptLoop, type OnionAnswer } from './onion-attempts.ts';
import { parseServiceNodeStates, parseSwarmNodes, type NodeInfo } from './node-info.ts';
import { createNodePool, type NodePool } from './node-pool.ts';
import { createPathManager, type PathManager } from './onion-paths.ts';
import { createHopCache, type OnionTarget } from './onion-sender.ts';
import { randomIndex } from './random.ts';
import { realSleep, type Sleep } from './retry.ts';
import type { SeedNode } from './seed-client.ts';
import { createSwarmCache, type SwarmCache } from './swarm-cache.ts';
import type { Transport } from './transport.ts';

/** What `createNetwork` is built from. */
export interface NetworkOptions {
  readonly transport: Transport;
  readonly seeds: readonly SeedNode[];
  /** The local clock (may be wrong; `clock.now()` of the network corrects it). */
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger?: NetLogger;
  /** Backoff waits (default real timers). */
  readonly sleep?: Sleep;
  /** Layer cipher (default `aes-gcm`, as the desktop). */
  readonly encType?: OnionEncType;
  readonly pool?: {
    readonly minSize?: number;
    readonly refreshAgreement?: number;
    readonly failureThreshold?: number;
  };
  readonly paths?: {
    readonly hops?: number;
    readonly guardsWanted?: number;
    readonly guardsNeeded?: number;
    readonly failureThreshold?: number;
  };
  readonly timeouts?: {
    /** One onion request (default 30 s). */
    readonly requestMs?: number;
    readonly seedMs?: number;
    readonly guardTestMs?: number;
  };
  readonly retry?: {
    readonly attempts?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
  };
}

/** Per-call options. */
export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** RPC params, or a function of network time that builds (and signs) them for each attempt. */
export type RpcParams =
  Readonly<Record<string, unknown>> | ((networkNowMs: number) => Readonly<Record<string, unknown>>);

/** A destination node's answer. */
export interface RpcAnswer {
  readonly status: number;
  /** The result: parsed JSON when it was JSON, else the text. */
  readonly body: unknown;
  /** The node that answered. */
  readonly node: NodeInfo;
}

export type { OnionAnswer };

/** The network layer. */
export interface Network {
  readonly clock: NetworkClock;
  readonly pool: NodePool;
  readonly paths: PathManager;
  readonly swarms: SwarmCache;
  storageRpc(
    account: string,
    method: string,
    params: RpcParams,
    options?: RequestOptions,
  ): Promise<RpcAnswer>;
  onionRequest(
    target: OnionTarget,
    payload: RpcRequest | OnionV4Request,
    options?: RequestOptions,
  ): Promise<OnionAnswer>;
  /** The account's swarm (cached, else fetched through a path). */
  swarmFor(account: string, options?: RequestOptions): Promise<readonly NodeInfo[]>;
  /** Asks a node for the time (`info`) through a path. */
  syncClock(options?: RequestOptions): Promise<void>;
  /** Refreshes the node pool (three nodes' intersection, else a seed). */
  refreshPool(options?: RequestOptions): Promise<'nodes' | 'seed'>;
}

const ACCOUNT = /^[0-9a-f]{66}$/;

function checkAccount(account: string): void {
  if (typeof account !== 'string' || !ACCOUNT.test(account)) {
    throw new NetworkError('invalid-input', 'account: expected 66 lowercase hex characters');
  }
}

/** A field of a JSON object answer, if the answer is an object. */
function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object'
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** The items passing `test`, or all of them when none does (a preference, not a rule). */
function prefer<T>(items: readonly T[], test: (item: T) => boolean): T[] {
  const passing = items.filter(test);
  return passing.length > 0 ? passing : [...items];
}

function rpcPayload(request: RpcRequest): Uint8Array {
  return utf8(JSON.stringify({ method: request.method, params: request.params }));
}

/** Builds the network layer. Nothing happens until the first request. */
export function createNetwork(options: NetworkOptions): Network {
  const { transport, rng } = options;
  const logger = options.logger ?? SILENT_LOGGER;
  const sleep = options.sleep ?? realSleep;
  const clock = createNetworkClock(options.clock);
  const swarms = createSwarmCache();
  // The pool and the paths refer to each other (a fresh pool resets path failures; paths are
  // built from the pool); the closures below run only after both exist.
  const pool = createNodePool({
    transport,
    seeds: options.seeds,
    rng,
    logger,
    sleep,
    ...(options.pool?.minSize === undefined ? {} : { minSize: options.pool.minSize }),
    ...(options.pool?.refreshAgreement === undefined
      ? {}
      : { refreshAgreement: options.pool.refreshAgreement }),
    ...(options.pool?.failureThreshold === undefined
      ? {}
      : { failureThreshold: options.pool.failureThreshold }),
    ...(options.timeouts?.seedMs === undefined ? {} : { seedTimeoutMs: options.timeouts.seedMs }),
    fetchFromNode: (node, signal) => nodeList(node, signal),
    onReplaced: () => paths.resetFailures(),
  });
  const paths: PathManager = createPathManager({
    pool,
    transport,
    rng,
    logger,
    guardTestAccount: '05' + toHex(rng.randomBytes(32)),
    onGuardAnswer: (body) => clock.observe(field(body, 't')),
    ...(options.paths ?? {}),
    ...(options.timeouts?.guardTestMs === undefined
      ? {}
      : { guardTestTimeoutMs: options.timeouts.guardTestMs }),
  });

  const run = createAttemptLoop({
    transport,
    rng,
    paths,
    swarms,
    clock,
    logger,
    sleep,
    hopOf: createHopCache(),
    requestMs: options.timeouts?.requestMs ?? 30_000,
    attempts: options.retry?.attempts ?? 4,
    backoff: {
      baseDelayMs: options.retry?.baseDelayMs ?? 250,
      maxDelayMs: options.retry?.maxDelayMs ?? 4_000,
    },
    ...(options.encType === undefined ? {} : { encType: options.encType }),
  });

  const randomPoolNode = async (tried: Set<string>, signal?: AbortSignal): Promise<NodeInfo> => {
    await pool.ensure(signal);
    const pick = pool.random(1, tried)[0] ?? pool.random(1)[0];
    if (pick === undefined) throw new NetworkError('pool-too-small', 'the node pool is empty');
    tried.add(pick.pubkeyEd25519);
    return pick;
  };

  /** One node's node list, through a path (`oxend_request` `get_service_nodes`). */
  const nodeList = (node: NodeInfo, signal?: AbortSignal): Promise<NodeInfo[]> => {
    const payload = rpcPayload({
      method: 'oxend_request',
      params: {
        endpoint: 'get_service_nodes',
        params: {
          active_only: true,
          fields: {
            public_ip: true,
            storage_port: true,
            pubkey_x25519: true,
            pubkey_ed25519: true,
            swarm: true,
          },
        },
      },
    });
    return run(
      () => Promise.resolve({ target: { kind: 'node', node }, payload }),
      (answer) => {
        const states = field(
          field(answer.kind === 'answer' ? answer.body : undefined, 'result'),
          'service_node_states',
        );
        if (answer.kind === 'answer' && answer.status === 200 && Array.isArray(states)) {
          return Promise.resolve({ done: parseServiceNodeStates(states) });
        }
        return Promise.resolve({
          fail: new NetworkError('bad-response', 'no node list in the answer'),
        });
      },
      signal === undefined ? {} : { signal },
      2,
    );
  };

  const fetchSwarm = (account: string, call: RequestOptions): Promise<NodeInfo[]> => {
    const tried = new Set<string>();
    const payload = rpcPayload({ method: 'get_swarm', params: { pubkey: account } });
    return run(
      async () => ({
        target: { kind: 'node', node: await randomPoolNode(tried, call.signal) },
        payload,
      }),
      (answer) => {
        if (answer.kind !== 'answer')
          return Promise.resolve({ fail: new NetworkError('bad-response', 'not a node answer') });
        if (answer.status === 200) {
          const nodes = parseSwarmNodes(field(answer.body, 'snodes'), field(answer.body, 'swarm'));
          if (nodes.length > 0) {
            swarms.set(account, nodes);
            return Promise.resolve({ done: nodes });
          }
          return Promise.resolve({
            retry: new NetworkError('no-swarm', 'empty swarm in get_swarm answer'),
            backoff: true,
          });
        }
        if (answer.status === 400) {
          return Promise.resolve({
            fail: new NetworkError(
              'invalid-input',
              `get_swarm refused the account: ${String(answer.body).slice(0, 120)}`,
            ),
          });
        }
        return Promise.resolve({
          retry: new NetworkError('bad-response', `get_swarm answered ${answer.status}`),
          backoff: true,
        });
      },
      call,
    );
  };

  const self: Network = {
    clock,
    pool,
    paths,
    swarms,

    async swarmFor(account, call = {}) {
      checkAccount(account);
      return swarms.get(account) ?? (await fetchSwarm(account, call));
    },

    async syncClock(call = {}) {
      const tried = new Set<string>();
      const payload = rpcPayload({ method: 'info', params: {} });
      await run(
        async () => ({
          target: { kind: 'node', node: await randomPoolNode(tried, call.signal) },
          payload,
        }),
        (answer) => {
          const body = answer.kind === 'answer' ? answer.body : undefined;
          const t = field(body, 't') ?? field(body, 'timestamp');
          clock.observe(t);
          return Promise.resolve(
            clock.synced()
              ? { done: undefined }
              : {
                  retry: new NetworkError('bad-response', 'info answer without a time'),
                  backoff: true,
                },
          );
        },
        call,
      );
    },

    async storageRpc(account, method, params, call = {}) {
      checkAccount(account);
      const signed = typeof params === 'function';
      if (signed && !clock.synced() && swarms.get(account) !== undefined)
        await self.syncClock(call);
      const tried = new Set<string>();
      let resynced = false;
      return run<RpcAnswer>(
        async (avoidPaths) => {
          const swarm = await self.swarmFor(account, call);
          let candidates = prefer(swarm, (n) => !tried.has(n.pubkeyEd25519));
          // Members still in the pool (the desktop's "good nodes"), and ones some kept path
          // that has not failed this request avoids (small networks overlap).
          candidates = prefer(candidates, (n) => pool.get(n.pubkeyEd25519) !== undefined);
          candidates = prefer(candidates, (n) =>
            paths
              .paths()
              .some(
                (p) =>
                  !avoidPaths.has(p.id) &&
                  !p.nodes.some((m) => m.pubkeyEd25519 === n.pubkeyEd25519),
              ),
          );
          const node = candidates[randomIndex(rng, candidates.length)] as NodeInfo;
          tried.add(node.pubkeyEd25519);
          const p = typeof params === 'function' ? params(clock.now()) : params;
          return { target: { kind: 'node', node }, payload: rpcPayload({ method, params: p }) };
        },
        async (answer, target) => {
          if (answer.kind !== 'answer' || target.kind !== 'node') {
            return { fail: new NetworkError('bad-response', 'not a node answer') };
          }
          const node = target.node;
          const { status, body } = answer;
          if (status === 421) {
            const nodes = parseSwarmNodes(field(body, 'snodes'), field(body, 'swarm'));
            if (nodes.length > 0) swarms.set(account, nodes);
            else swarms.dropNode(account, node.pubkeyEd25519);
            logger.info('wrong swarm; retrying with the swarm from the answer', {
              node: shortKey(node.pubkeyEd25519),
            });
            return { retry: new NetworkError('no-swarm', '421: wrong swarm'), backoff: false };
          }
          if ((status === 406 || status === 425) && signed && !resynced) {
            resynced = true;
            await self.syncClock(call);
            return {
              retry: new NetworkError('bad-response', `${status}: clock out of sync`),
              backoff: false,
            };
          }
          if (status >= 500) {
            if (pool.recordFailure(node.pubkeyEd25519, `status ${status}`)) {
              swarms.dropNodeEverywhere(node.pubkeyEd25519);
            }
            return {
              retry: new NetworkError('bad-response', `destination answered ${status}`),
              backoff: true,
            };
          }
          return { done: { status, body, node } };
        },
        call,
      );
    },

    onionRequest(target, payload, call = {}) {
      const bytes =
        target.kind === 'server'
          ? encodeOnionV4Request(payload as OnionV4Request)
          : rpcPayload(payload as RpcRequest);
      return run<OnionAnswer>(
        () => Promise.resolve({ target, payload: bytes }),
        (answer) => Promise.resolve({ done: answer }),
        call,
      );
    },

    refreshPool(call = {}) {
      return pool.refresh(call.signal);
    },
  };
  return self;
}
