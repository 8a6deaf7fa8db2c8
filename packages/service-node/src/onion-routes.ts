/**
 * Onion requests at a service node (network.md §2; upstream
 * session-foundation/session-storage-server:oxenss/rpc/onion_processing.cpp): mounts
 * server-kit's `/onion_req/v2` endpoint on the node. The final hop runs the storage-RPC body
 * through the same dispatcher as `/storage_rpc/v1`; a relay hop forwards the next envelope to
 * the node with that Ed25519 key over plain HTTP on the local network (upstream relays over
 * OxenMQ). Only nodes in this node's current view are reachable; anything else is 502.
 */
import { encodeOnionEnvelope, fromUtf8, toHex, type Rng } from '@session-ts/core';
import {
  createOnionEndpoint,
  type Logger,
  type OnionForwardOutcome,
  type Route,
} from '@session-ts/server-kit';
import type { Identity } from '@session-ts/core';
import type { RpcCall, RpcResponse } from './rpc/handler.ts';
import type { NodeInfo } from './swarm-port.ts';

/** What the onion routes need from the node. */
export interface OnionRoutesOptions {
  readonly identity: Identity;
  readonly rng: Rng;
  readonly logger: Logger;
  /** The node's RPC dispatcher. */
  readonly handleRpc: (method: string, params: unknown, call: RpcCall) => Promise<RpcResponse>;
  /** Every node this node knows (relays go only to these). */
  readonly nodes: () => readonly NodeInfo[];
  /** While false the endpoint answers 503 (e.g. before the first node list). */
  readonly ready?: () => boolean;
  /**
   * Sends a relayed envelope to the next node and says what came of it; defaults to `fetch`
   * over plain HTTP (any failure before an answer is `unreachable`, or `timeout` once the
   * relay deadline aborted it). A simulated network passes its own transport here.
   */
  readonly sendToNode?: SendToNode;
  /** How long a relay hop may take (server-kit's default otherwise). */
  readonly relayTimeoutMs?: number;
}

/** Sends `envelope` to `node`'s `/onion_req/v2`. */
export type SendToNode = (
  node: NodeInfo,
  envelope: Uint8Array,
  signal: AbortSignal,
) => Promise<OnionForwardOutcome>;

const fetchToNode: SendToNode = async (node, envelope, signal) => {
  try {
    const res = await fetch(`http://${node.ip}:${node.port}/onion_req/v2`, {
      method: 'POST',
      body: envelope,
      signal,
    });
    const contentType = res.headers.get('content-type');
    return {
      kind: 'response',
      status: res.status,
      body: new Uint8Array(await res.arrayBuffer()),
      ...(contentType === null ? {} : { contentType }),
    };
  } catch {
    return signal.aborted ? { kind: 'timeout' } : { kind: 'unreachable' };
  }
};

function parseRpcBody(body: Uint8Array): { method: string; params: unknown } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(body));
  } catch {
    return 'invalid json: the onion request body must be {"method", "params"}';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'invalid request: expected a JSON object {"method", "params"}';
  }
  const { method, params } = parsed as { method?: unknown; params?: unknown };
  if (typeof method !== 'string') return 'invalid request: "method" must be a string';
  return { method, params: params ?? {} };
}

/** The `/onion_req/v2` route of a service node. */
export function createOnionRoutes(options: OnionRoutesOptions): Route {
  const sendToNode = options.sendToNode ?? fetchToNode;
  return createOnionEndpoint({
    identity: options.identity,
    rng: options.rng,
    logger: options.logger,
    ...(options.ready === undefined ? {} : { ready: options.ready }),
    ...(options.relayTimeoutMs === undefined ? {} : { relayTimeoutMs: options.relayTimeoutMs }),
    handleFinal: async (body) => {
      const rpc = parseRpcBody(body);
      if (typeof rpc === 'string') return { status: 400, text: rpc };
      const answer = await options.handleRpc(rpc.method, rpc.params, { forwarded: false });
      return typeof answer.body === 'string'
        ? { status: answer.status, text: answer.body }
        : { status: answer.status, json: answer.body };
    },
    relay: (next, envelope, signal): Promise<OnionForwardOutcome> => {
      const nextHex = toHex(next);
      const target = options.nodes().find((n) => n.pubkeyEd25519 === nextHex);
      if (target === undefined) return Promise.resolve({ kind: 'unknown' });
      return sendToNode(target, encodeOnionEnvelope(envelope), signal);
    },
  });
}
