/**
 * One onion request over one path (network.md §2): build the layers with core's builder, POST
 * them to the guard's `/onion_req/v2` with the desktop's cover headers, and read what came back.
 *
 * What comes back is a value the caller acts on:
 * - `answer`: the destination node answered; `status` is *its* status (200, 401, 421, …) and
 *   `body` its result (a JSON string parsed when it is JSON);
 * - `server-answer`: the destination server's v4 response;
 * - `path-failure`: nothing from the destination — a non-200 outer status from some hop (502
 *   "Next node not found: <ed25519>" or "… unreachable: <ed25519>" names the bad node, which
 *   `badNode` carries), a timeout, an unreachable guard, or an answer that does not decrypt.
 *
 * Only the caller's abort is thrown (`NetworkError('aborted')`).
 *
 * Upstream: session-foundation/session-desktop `ts/session/apis/snode_api/onions.ts`
 * (`sendOnionRequestHandlingSnodeEject`, `processOnionRequestErrorOnPath`,
 * `NEXT_NODE_NOT_FOUND_PREFIX`).
 */
import {
  buildOnion,
  decodeOnionV4Response,
  fromHexOfLength,
  onionHop,
  openOnionLayer,
  openOnionResponse,
  type OnionDestination,
  type OnionEncType,
  type OnionHop,
  type OnionV4Response,
  type Rng,
} from '@session-ts/core';
import { isNetworkError } from './network-error.ts';
import type { NodeInfo } from './node-info.ts';
import { COVER_HEADERS, type OnionPath } from './onion-paths.ts';
import { responseText, type Transport } from './transport.ts';

/** An HTTP server reached through a path (file, community, push server). */
export interface OnionServer {
  readonly host: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  /** Default `/oxen/v4/lsrpc`. */
  readonly target?: string;
  /** The server's X25519 public key, 64 hex. */
  readonly x25519: string;
}

/** Where an onion request goes. */
export type OnionTarget =
  | { readonly kind: 'node'; readonly node: NodeInfo }
  | { readonly kind: 'server'; readonly server: OnionServer };

/** What one attempt produced. */
export type OnionOutcome =
  | { readonly kind: 'answer'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'server-answer'; readonly response: OnionV4Response }
  | {
      readonly kind: 'path-failure';
      /** The outer status, or undefined when the guard gave none (timeout, unreachable). */
      readonly status: number | undefined;
      readonly message: string;
      /** The node a relay named as not found or unreachable. */
      readonly badNode?: string;
      /** The transport's error, when there was no answer at all. */
      readonly cause?: unknown;
    };

/** Prefixes of the 502 bodies that name the next node (storage server `process_onion_req`). */
const BAD_NODE_PREFIXES = ['Next node not found: ', 'Next node is currently unreachable: '];

/** The hop for a node: its X25519 key converted from Ed25519, as libsession does (§12.1). */
export function hopOf(node: NodeInfo): OnionHop {
  return onionHop(fromHexOfLength(node.pubkeyEd25519, 32, 'node Ed25519 key'));
}

/** `hopOf` with a cache (the conversion is a curve operation; a client reuses few nodes). */
export function createHopCache(limit = 10_000): (node: NodeInfo) => OnionHop {
  const hops = new Map<string, OnionHop>();
  return (node) => {
    let hop = hops.get(node.pubkeyEd25519);
    if (hop === undefined) {
      hop = hopOf(node);
      if (hops.size >= limit) hops.clear();
      hops.set(node.pubkeyEd25519, hop);
    }
    return hop;
  };
}

/** Options of `sendOnion`. */
export interface SendOnionOptions {
  readonly transport: Transport;
  readonly path: OnionPath;
  readonly target: OnionTarget;
  /** Node: the RPC body bytes. Server: the v4 request bytes. */
  readonly payload: Uint8Array;
  readonly rng: Rng;
  readonly encType?: OnionEncType;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Node → hop conversion (default `hopOf`; `createHopCache()` caches it). */
  readonly hopOf?: (node: NodeInfo) => OnionHop;
}

function destinationOf(target: OnionTarget, hop: (node: NodeInfo) => OnionHop): OnionDestination {
  if (target.kind === 'node') return { kind: 'node', ...hop(target.node) };
  const s = target.server;
  return {
    kind: 'server',
    host: s.host,
    ...(s.port === undefined ? {} : { port: s.port }),
    ...(s.protocol === undefined ? {} : { protocol: s.protocol }),
    ...(s.target === undefined ? {} : { target: s.target }),
    x25519: fromHexOfLength(s.x25519, 32, 'server X25519 key'),
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** Sends one onion request; never throws except for the caller's abort. */
export async function sendOnion(options: SendOnionOptions): Promise<OnionOutcome> {
  const { path, target } = options;
  const hop = options.hopOf ?? hopOf;
  const built = buildOnion({
    path: path.nodes.map(hop),
    destination: destinationOf(target, hop),
    payload: options.payload,
    rng: options.rng,
    ...(options.encType === undefined ? {} : { encType: options.encType }),
  });
  const guard = path.nodes[0] as NodeInfo;
  let res;
  try {
    res = await options.transport.request(guard, built.body, {
      path: '/onion_req/v2',
      headers: { 'content-type': 'application/octet-stream', ...COVER_HEADERS },
      timeoutMs: options.timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (isNetworkError(error, 'aborted')) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'path-failure', status: undefined, message, cause: error };
  }
  if (res.status !== 200) {
    const text = responseText(res).trim();
    const prefix = BAD_NODE_PREFIXES.find((p) => text.startsWith(p));
    const badNode = prefix === undefined ? undefined : text.slice(prefix.length).toLowerCase();
    return {
      kind: 'path-failure',
      status: res.status,
      message: text.slice(0, 200),
      ...(badNode !== undefined && /^[0-9a-f]{64}$/.test(badNode) ? { badNode } : {}),
    };
  }
  if (target.kind === 'server') {
    const plain = openOnionLayer(built.responseKey, res.body);
    try {
      if (plain !== undefined)
        return { kind: 'server-answer', response: decodeOnionV4Response(plain) };
    } catch {
      // fall through: a malformed answer is as useless as an unreadable one
    }
    return { kind: 'path-failure', status: 200, message: 'the server answer did not decrypt' };
  }
  const opened = openOnionResponse(built.responseKey, res.body);
  if (!opened.ok) {
    return { kind: 'path-failure', status: 200, message: `unreadable answer (${opened.reason})` };
  }
  return { kind: 'answer', status: opened.status, body: parseBody(opened.body) };
}
