/**
 * The seed server: `createSeed(deps)` builds the registry and its HTTP app (a function from
 * Request to Response, CONVENTIONS.md habit 4).
 *
 * Routes:
 * - `POST /json_rpc` — JSON-RPC 2.0 `get_n_service_nodes` / `get_service_nodes`, answered as
 *   upstream seeds answer (`service-node-list.ts`), with `Content-Type: application/json`
 *   exactly (network.md §12.8) and the seed's signature over the body in
 *   `x-session-seed-signature` (core's `SEED_SIGNATURE_HEADER`), so a client pinning the seed
 *   key can check the list.
 * - `POST /seed/v1/register` — a node's signed registration or refresh (`registration.ts`):
 *   200 `{version, swarm, refresh_ms}`; 400 malformed; 401 bad signature; 406 timestamp outside
 *   the window ("check your clock", as the storage RPC says it); 409 a replayed or older
 *   registration; 422 when a new (or moved) node's address does not answer as that node — the
 *   seed asks `POST /ping_test/v1` there and compares the key in `X-Loki-Snode-PubKey`, standing
 *   in for oxend's reachability tests, so nobody can list an address that is not theirs.
 * - `GET /seed/v1/info` — the seed's key, the list version, node and swarm counts.
 */
import {
  SEED_PUBKEY_HEADER,
  SEED_SIGNATURE_HEADER,
  DEFAULT_SWARM_SIZING,
  SIGNATURE_TOLERANCE_MS,
  checkSwarmSizing,
  fromBase64,
  signDetached,
  swarmIdToHex,
  toBase64,
  toHex,
  utf8,
  type Clock,
  type Identity,
  type Rng,
  type SwarmSizing,
} from '@session-ts/core';
import { HttpError, createApp, readJson, type App, type Logger } from '@session-ts/server-kit';
import { parseRegistration } from './registration.ts';
import { createRegistry, type Registry } from './registry.ts';
import type { RegistryStore } from './registry-store.ts';
import {
  parseServiceNodeListQuery,
  serviceNodeListResult,
  stringifyJsonRpc,
} from './service-node-list.ts';

/** What a seed is built from. */
export interface SeedDeps {
  /** The seed's own key: it signs the lists it serves. */
  readonly identity: Identity;
  readonly store: RegistryStore;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger: Logger;
  /** Swarm sizing (default oxen-core's; a devnet lowers it). */
  readonly sizing?: SwarmSizing;
  /** How often nodes should re-register (default 10 s); told to them on each registration. */
  readonly refreshIntervalMs?: number;
  /** An entry not refreshed for this long is dropped (default 6 refresh intervals). */
  readonly entryTtlMs?: number;
  /**
   * Proves a new or moved node really serves its address (`createPingProbe`); undefined skips
   * the check (tests that register nodes which do not exist).
   */
  readonly probe?: ReachabilityProbe;
}

/** Whether `ip:port` answers as the node with Ed25519 key `ed25519` (hex). */
export type ReachabilityProbe = (ip: string, port: number, ed25519: string) => Promise<boolean>;

/** A seed. */
export interface Seed {
  readonly app: App;
  readonly registry: Registry;
  /** The seed's Ed25519 public key, hex: what clients pin. */
  readonly pubkey: string;
  /** Starts dropping stale entries in the background. */
  startExpiry(): void;
  stop(): void;
}

/** Largest JSON body the seed reads (a registration or a list query is a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_REFRESH_MS = 10_000;
/** A node that missed this many refreshes is gone (oxen-core drops a node after missed proofs). */
const MISSED_REFRESHES = 6;

/** JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object). */
const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  noMethod: -32601,
  badParams: -32602,
};

/** Builds a seed. */
export function createSeed(deps: SeedDeps): Seed {
  const sizing = checkSwarmSizing(deps.sizing ?? DEFAULT_SWARM_SIZING);
  const refreshMs = deps.refreshIntervalMs ?? DEFAULT_REFRESH_MS;
  const entryTtlMs = deps.entryTtlMs ?? refreshMs * MISSED_REFRESHES;
  const logger = deps.logger;
  const registry = createRegistry({
    store: deps.store,
    clock: deps.clock,
    rng: deps.rng,
    logger,
    sizing,
    entryTtlMs,
    signatureWindowMs: SIGNATURE_TOLERANCE_MS,
  });
  const pubkey = toHex(deps.identity.ed25519PublicKey);

  const signed = (value: unknown, status = 200): Response => {
    const body = utf8(stringifyJsonRpc(value));
    return new Response(body, {
      status,
      headers: {
        'content-type': 'application/json',
        [SEED_SIGNATURE_HEADER]: toBase64(signDetached(deps.identity.ed25519SecretKey, body)),
        [SEED_PUBKEY_HEADER]: pubkey,
      },
    });
  };

  const jsonRpc = async (request: Request): Promise<Response> => {
    let body: unknown;
    try {
      body = await readJson(request, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) throw error;
      return signed(rpcError(null, JSON_RPC.parseError, 'Parse error'));
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return signed(rpcError(null, JSON_RPC.invalidRequest, 'Invalid request: expected an object'));
    }
    const { id = null, method, params } = body as Record<string, unknown>;
    if (method !== 'get_n_service_nodes' && method !== 'get_service_nodes') {
      const name = typeof method === 'string' ? method.slice(0, 64) : String(typeof method);
      return signed(rpcError(id, JSON_RPC.noMethod, `Method not found: ${name}`));
    }
    const parsed = parseServiceNodeListQuery(params);
    if (!parsed.ok) return signed(rpcError(id, JSON_RPC.badParams, parsed.message));
    const result = serviceNodeListResult(registry.snapshot(), parsed.query, deps.rng);
    return signed({ jsonrpc: '2.0', id, result });
  };

  const register = async (request: Request): Promise<Response> => {
    const registration = parseRegistration(await readJson(request, MAX_BODY_BYTES));
    const known = registry.entry(registration.ed25519);
    const moved =
      known === undefined || known.ip !== registration.ip || known.port !== registration.port;
    // Only a signed registration earns a probe, so nobody can make the seed knock on a door.
    if (moved && deps.probe !== undefined && registry.check(registration) === undefined) {
      const { ip, port, ed25519 } = registration;
      if (!(await deps.probe(ip, port, ed25519))) {
        throw new HttpError(
          422,
          'unreachable',
          `http://${ip}:${port} does not answer as this node (POST /ping_test/v1)`,
        );
      }
    }
    const outcome = registry.register(registration);
    if (!outcome.ok) {
      const status = { 'bad-signature': 401, clock: 406, replay: 409 }[outcome.reason];
      throw new HttpError(status, outcome.reason, outcome.message);
    }
    return Response.json({
      version: outcome.version,
      swarm: swarmIdToHex(outcome.entry.swarmId),
      refresh_ms: refreshMs,
    });
  };

  const info = (): Response => {
    const snapshot = registry.snapshot();
    const swarms: Record<string, number> = {};
    for (const e of snapshot.entries) {
      const hex = swarmIdToHex(e.swarmId);
      swarms[hex] = (swarms[hex] ?? 0) + 1;
    }
    return Response.json({
      pubkey,
      version: snapshot.version,
      nodes: snapshot.entries.length,
      swarms,
      sizing,
      refresh_ms: refreshMs,
      entry_ttl_ms: entryTtlMs,
    });
  };

  const app = createApp({
    logger,
    routes: [
      { method: 'POST', path: '/json_rpc', handler: jsonRpc },
      { method: 'POST', path: '/seed/v1/register', handler: register },
      { method: 'GET', path: '/seed/v1/info', handler: info },
    ],
  });

  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    app,
    registry,
    pubkey,
    startExpiry() {
      if (timer !== undefined) return;
      // Check a few times per TTL so an entry outlives its TTL by at most a quarter of it.
      const expire = (): void => {
        try {
          registry.expire();
        } catch (error) {
          logger.error('registry expiry failed', { error });
        }
      };
      timer = setInterval(expire, Math.max(100, Math.floor(entryTtlMs / 4)));
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

function rpcError(id: unknown, code: number, message: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/**
 * The reachability probe the daemon uses: `POST http://ip:port/ping_test/v1` must answer 200 with
 * the node's Ed25519 key (base64) in `X-Loki-Snode-PubKey`, as the storage server's ping does.
 */
export function createPingProbe(timeoutMs = 5000): ReachabilityProbe {
  return async (ip, port, ed25519) => {
    try {
      const res = await fetch(`http://${ip}:${port}/ping_test/v1`, {
        method: 'POST',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      const claimed = res.headers.get('x-loki-snode-pubkey') ?? '';
      return res.status === 200 && toHex(fromBase64(claimed)) === ed25519;
    } catch {
      return false;
    }
  };
}
