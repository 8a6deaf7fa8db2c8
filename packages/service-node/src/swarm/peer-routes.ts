/**
 * The routes swarm peers call, added to the node's app through `extraRoutes`:
 *
 * - `POST /swarm/v1/storage_cc` — a write forwarded by a member of our swarm (upstream's OMQ
 *   `sn.storage_cc`, network.md §1.1): the caller must be listed in our swarm; the request runs
 *   through the RPC layer with `forwarded: true` (±70 s signature window, no re-forwarding) and
 *   its status and body come back as they are.
 * - `POST /swarm/v1/push` — messages replicated to us (upstream's `sn.data`, §1.7): the caller
 *   must be a listed node (pushes come from our swarm, from a dissolved neighbour, or from the
 *   swarm a new swarm split from); only messages whose account maps to our swarm are kept.
 *
 * Both check the caller's signature first (`peer-auth.ts`): 401 for a bad or replayed one, 406
 * for a stale timestamp, 403 for a key that may not call the route.
 */
import { fromHexOfLength, fromUtf8, type Clock } from '@session-ts/core';
import { HttpError, readBody, type Route } from '@session-ts/server-kit';
import { isStoreError } from '@session-ts/sqlite';
import { PEER_ROUTES } from './http-peer-forwarder.ts';
import { checkPeerRequest, createReplayGuard, type ReplayGuard } from './peer-auth.ts';
import { decodePushBatch, type MessageArchive } from './replication.ts';
import type { SwarmState } from './swarm-state.ts';

/** The RPC layer's entry point for a forwarded request. */
export type ForwardedRpc = (
  method: string,
  params: Record<string, unknown>,
  options: { readonly forwarded: boolean },
) => Promise<{ readonly status: number; readonly body: unknown }>;

/** What the peer routes need. */
export interface PeerRoutesOptions {
  readonly state: SwarmState;
  readonly handleRpc: ForwardedRpc;
  readonly archive: MessageArchive;
  readonly clock: Clock;
  readonly guard?: ReplayGuard;
  /** Called with the numbers of each accepted push (for metrics). */
  readonly onPush?: (stored: number, ignored: number) => void;
  /** Called when a peer routed with a newer node list than ours (poll the seed now). */
  readonly onBehind?: () => void;
}

/** Largest peer request body (the listener's limit, upstream's `MAX_REQUEST_BODY_SIZE`). */
const MAX_PEER_BODY = 10 * 1024 * 1024;

/** The peer routes. */
export function createPeerRoutes(options: PeerRoutesOptions): Route[] {
  const { state, clock } = options;
  const guard = options.guard ?? createReplayGuard();

  const authenticated = async (request: Request, route: string) => {
    const body = await readBody(request, MAX_PEER_BODY);
    const check = checkPeerRequest(request.headers, route, body, clock.now(), guard);
    if (!check.ok) throw new HttpError(check.status, 'peer-auth', check.reason);
    let json: unknown;
    try {
      json = JSON.parse(fromUtf8(body)) as unknown;
    } catch (cause) {
      throw new HttpError(400, 'invalid-json', 'peer request body is not valid JSON', { cause });
    }
    return { node: check.node, json };
  };

  const storageCc = async (request: Request): Promise<Response> => {
    const { node, json } = await authenticated(request, PEER_ROUTES.storageCc);
    const mine = state.mySwarmId();
    if (mine === undefined || state.node(node)?.swarmId !== mine) {
      throw new HttpError(403, 'not-a-peer', 'caller is not a member of this swarm');
    }
    const { method, params } = (json ?? {}) as { method?: unknown; params?: unknown };
    if (typeof method !== 'string' || params === null || typeof params !== 'object') {
      throw new HttpError(400, 'invalid-request', 'expected {"method": string, "params": object}');
    }
    const result = await options.handleRpc(method, params as Record<string, unknown>, {
      forwarded: true,
    });
    return typeof result.body === 'string'
      ? new Response(result.body, { status: result.status })
      : Response.json(result.body, { status: result.status });
  };

  const push = async (request: Request): Promise<Response> => {
    const { node, json } = await authenticated(request, PEER_ROUTES.push);
    if (state.node(node) === undefined) {
      throw new HttpError(403, 'not-a-node', 'caller is not a listed service node');
    }
    const theirs = (json as { version?: unknown } | null)?.version;
    if (typeof theirs === 'number' && theirs > (state.version() ?? -1)) {
      options.onBehind?.();
      throw new HttpError(503, 'list-behind', 'this node has an older node list; retry shortly');
    }
    const decoded = decodePushBatch(json, clock.now());
    if (decoded === undefined) {
      throw new HttpError(400, 'invalid-push', 'expected {"messages": [...]}');
    }
    const mine = state.mySwarmId();
    const ours = decoded.messages.filter(
      (m) =>
        mine !== undefined && state.swarmFor(fromHexOfLength(m.account, 33, 'pubkey'))?.id === mine,
    );
    let stored = 0;
    try {
      stored = ours.length === 0 ? 0 : options.archive.importMessages(ours);
    } catch (error) {
      if (isStoreError(error, 'full')) {
        throw new HttpError(507, 'storage-full', 'this node is at its storage cap', {
          cause: error,
        });
      }
      throw error;
    }
    const ignored = decoded.rejected + (decoded.messages.length - ours.length);
    options.onPush?.(stored, ignored);
    return Response.json({ stored, ignored });
  };

  return [
    { method: 'POST', path: PEER_ROUTES.storageCc, handler: storageCc },
    { method: 'POST', path: PEER_ROUTES.push, handler: push },
  ];
}
