/**
 * `createServiceNode`: a service node's storage server as a function from `Request` to
 * `Response` (CONVENTIONS.md, habit 4), built from injected parts — the node's identity, a
 * `MessageStore`, a clock, a logger, the swarm layer's `SwarmView` and `PeerForwarder` — so
 * tests run it without a port and `main.ts` wires the real ones.
 *
 * Routes (network.md §1.1; session-foundation/session-storage-server `oxenss/server/https.cpp`):
 * - `POST /storage_rpc/v1` `{method, params}`: 503 while the node has no swarm, 400 for a
 *   client that is not IPv4 (loopback `::1` excepted, for local networks), 429 over the rate
 *   limit, 410 for the obsolete `X-Loki-Long-Poll` header, 413 over 10 MiB, 400 for a body that
 *   is not `{method: string, params: object}`; otherwise the method's answer.
 * - `GET /get_stats/v1`: `{"version": "2.8.0"}` (upstream's deprecated stats endpoint).
 * - `POST /ping_test/v1`: 200 with the node's key in `X-Loki-Snode-PubKey`.
 * - `extraRoutes` from the swarm layer (peer endpoints, metrics).
 *
 * Error answers are plain text, as upstream sends them; JSON answers are `application/json`.
 * Expired messages are purged every 10 s once `startCleanup()` is called (`CLEANUP_PERIOD`,
 * database.hpp).
 */
import {
  MAX_REQUEST_BODY_BYTES,
  toBase64,
  toHex,
  type Clock,
  type Identity,
  type Rng,
} from '@session-ts/core';
import {
  createApp,
  jsonResponse,
  readJson,
  textResponse,
  type App,
  type Logger,
  type Route,
} from '@session-ts/server-kit';
import { createDispatcher } from './rpc/dispatch.ts';
import {
  DEFAULT_HARDFORK,
  STORAGE_SERVER_VERSION,
  type RpcCall,
  type RpcContext,
  type RpcResponse,
} from './rpc/handler.ts';
import { createRateLimiter, type RateLimiterOptions } from './rpc/rate-limiter.ts';
import { createStoreQueue } from './rpc/store-queue.ts';
import type { MessageStore } from './storage/message-store.ts';
import type { PeerForwarder, SwarmView } from './swarm-port.ts';

/** Upstream's purge interval for expired messages (`CLEANUP_PERIOD = 10s`). */
export const CLEANUP_PERIOD_MS = 10_000;

/** Deletes per slice of a purge (about 70 ms of work on a 1M-message store). */
const PURGE_SLICE = 1000;

/** Runs `task` every `ms` until the returned function is called. */
export type Scheduler = (ms: number, task: () => void) => () => void;

/** What a service node is built from. */
export interface ServiceNodeDeps {
  /** The node's identity (Ed25519 key; its X25519 key is the converted one, §12.1). */
  readonly identity: Identity;
  readonly store: MessageStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly swarm: SwarmView;
  readonly forwarder: PeerForwarder;
  readonly rng?: Rng;
  /** More routes on the same app (the swarm layer's peer endpoints, `/metrics`). */
  readonly extraRoutes?: readonly Route[];
  /**
   * The per-client limit (default upstream's 300/s, burst 600); `false` turns it off, as
   * upstream's `set_client_limiting(false)` does for benchmarks driven from one address.
   */
  readonly rateLimit?: RateLimiterOptions | false;
  /** Default: `setInterval`, not keeping the process alive. */
  readonly scheduler?: Scheduler;
  /** The `hf` reported (default 19.4). */
  readonly hardfork?: readonly [number, number];
}

/** What `createServiceNode` returns. */
export interface ServiceNode {
  readonly app: App;
  /**
   * Runs one storage-RPC request. The swarm layer calls it with `forwarded: true` for writes a
   * peer forwarded: they are applied here and not forwarded again.
   */
  handleRpc(method: string, params: unknown, call: RpcCall): Promise<RpcResponse>;
  /** Starts the 10 s purge of expired messages (and of idle rate-limit buckets). */
  startCleanup(): void;
  /**
   * One purge now, in slices of 1,000 deletes with the event loop free between them (a backlog
   * after downtime would otherwise stall requests); resolves to how many messages it removed.
   */
  cleanup(): Promise<number>;
  /** Stops the purge timer. The store stays open: its owner closes it. */
  stop(): void;
  readonly info: {
    readonly ed25519: string;
    readonly x25519: string;
    readonly version: string;
  };
}

const VERSION_STRING = STORAGE_SERVER_VERSION.join('.');

const defaultScheduler: Scheduler = (ms, task) => {
  const timer = setInterval(task, ms);
  timer.unref();
  return () => clearInterval(timer);
};

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return textResponse(body, { status, headers });
}

/** The answer of the RPC as HTTP. */
export function rpcToHttp(result: RpcResponse): Response {
  if (typeof result.body === 'string') return text(result.status, result.body);
  return jsonResponse(result.body, { status: result.status });
}

/** The IPv4 address of a client as Node reports it, or undefined for anything else. */
function clientIpv4(address: string): string | undefined {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return v4;
  return address === '::1' ? address : undefined;
}

/** Builds a service node from its parts. */
export function createServiceNode(deps: ServiceNodeDeps): ServiceNode {
  const ed25519 = toHex(deps.identity.ed25519PublicKey);
  const ctx: RpcContext = {
    identity: deps.identity,
    store: deps.store,
    storeQueue: createStoreQueue(deps.store),
    clock: deps.clock,
    swarm: deps.swarm,
    forwarder: deps.forwarder,
    logger: deps.logger,
    rng: deps.rng,
    hardfork: deps.hardfork ?? DEFAULT_HARDFORK,
    ed25519Hex: ed25519,
  };
  const dispatcher = createDispatcher(ctx);
  const limiter = deps.rateLimit === false ? undefined : createRateLimiter(deps.rateLimit ?? {});
  const schedule = deps.scheduler ?? defaultScheduler;
  let cancel: (() => void) | undefined;

  const storageRpc: Route = {
    method: 'POST',
    path: '/storage_rpc/v1',
    handler: async (request, context) => {
      if (deps.swarm.mySwarmId() === undefined) return text(503, `Snode not ready: ${ed25519}`);
      const remote = context.remoteAddress;
      if (remote !== undefined) {
        const ip = clientIpv4(remote);
        if (ip === undefined) return text(400, 'client is not IPv4');
        if (limiter !== undefined && !limiter.allow(ip, deps.clock.now())) {
          return text(429, 'Too many requests, try again later');
        }
      }
      if ((request.headers.get('x-loki-long-poll') ?? '') !== '') {
        return text(410, 'long polling is no longer supported, client upgrade required');
      }
      const body = await readJson(request, MAX_REQUEST_BODY_BYTES);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return text(400, 'invalid json: expected an object {"method": …, "params": {…}}');
      }
      const { method, params } = body as { method?: unknown; params?: unknown };
      if (typeof method !== 'string') return text(400, 'invalid json: no `method` field');
      return rpcToHttp(
        await dispatcher.handle(method, params, { forwarded: false, remoteAddress: remote }),
      );
    },
  };
  const stats: Route = {
    method: 'GET',
    path: '/get_stats/v1',
    handler: () => jsonResponse({ version: VERSION_STRING }),
  };
  const ping: Route = {
    method: 'POST',
    path: '/ping_test/v1',
    handler: () =>
      text(200, '', { 'x-loki-snode-pubkey': toBase64(deps.identity.ed25519PublicKey) }),
  };

  let cleaning: Promise<number> | undefined;
  const purge = async (): Promise<number> => {
    const now = deps.clock.now();
    limiter?.sweep(now);
    let total = 0;
    for (;;) {
      const n = deps.store.cleanExpired(now, PURGE_SLICE);
      total += n;
      if (n < PURGE_SLICE) return total;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  // One purge at a time: a slow one is not stacked on by the next tick.
  const cleanup = (): Promise<number> => {
    cleaning ??= purge().finally(() => {
      cleaning = undefined;
    });
    return cleaning;
  };

  return {
    app: createApp({
      routes: [storageRpc, stats, ping, ...(deps.extraRoutes ?? [])],
      logger: deps.logger,
      errorBody: 'text',
    }),
    handleRpc: (method, params, call) => dispatcher.handle(method, params, call),
    startCleanup() {
      cancel ??= schedule(CLEANUP_PERIOD_MS, () => {
        cleanup().catch((error: unknown) => {
          deps.logger.error('expiry cleanup failed', { error });
        });
      });
    },
    cleanup,
    stop() {
      cancel?.();
      cancel = undefined;
    },
    info: { ed25519, x25519: toHex(deps.identity.x25519PublicKey), version: VERSION_STRING },
  };
}
