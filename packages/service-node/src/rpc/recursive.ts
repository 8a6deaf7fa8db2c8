/**
 * Recursive (write) requests (network.md §1.1, §1.7): the entry node applies the write and
 * forwards the same params to every other member of its swarm in parallel; the answer holds one
 * result per node, keyed by Ed25519 key, each signed by that node:
 *
 *     {"swarm": {"<ed25519 hex>": result | {"failed": true, …}, …}, "t": …, "hf": …}
 *
 * Status 200 when at least one entry succeeded, else 500 (upstream's `reply_or_fail`). A node
 * that received the request from a peer applies it and answers its own result alone, so a write
 * is never forwarded twice. A failed peer entry carries what we know: `timeout`, or `code` and
 * `reason`, or `bad_peer_response` (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `distribute_command`, `setup_recursive_request`).
 */
import type { NodeInfo, PeerResult } from '../swarm-port.ts';
import {
  withMisc,
  type JsonRecord,
  type RpcCall,
  type RpcContext,
  type RpcResponse,
} from './handler.ts';
import type { JsonObject } from './params.ts';

/** This node's own outcome of a write. */
export interface LocalOutcome {
  /** The node's result (`failed: true` inside when the write failed here). */
  readonly mine: JsonRecord;
  /** Fields for the top level of the entry node's answer (store's deprecated `hash`). */
  readonly top?: JsonRecord;
}

function peerEntry(result: PeerResult): JsonRecord {
  if (result.ok) {
    const body = result.body;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      return { ...(body as JsonRecord) };
    }
    return { failed: true, bad_peer_response: true };
  }
  const entry: JsonRecord = { failed: true };
  if (result.timeout === true) entry['timeout'] = true;
  else if (result.code !== undefined || result.reason !== undefined) {
    if (result.code !== undefined) entry['code'] = result.code;
    if (result.reason !== undefined) entry['reason'] = result.reason;
  } else entry['bad_peer_response'] = true;
  return entry;
}

async function forwardTo(
  ctx: RpcContext,
  peer: NodeInfo,
  method: string,
  params: JsonObject,
): Promise<[string, JsonRecord]> {
  try {
    return [peer.pubkeyEd25519, peerEntry(await ctx.forwarder.forward(peer, method, params))];
  } catch (error) {
    ctx.logger.warn('forwarding to swarm peer failed', { method, peer: peer.pubkeyEd25519, error });
    return [peer.pubkeyEd25519, { failed: true, bad_peer_response: true }];
  }
}

/** True when a result entry is not a failure. */
function succeeded(entry: unknown): boolean {
  return !(entry !== null && typeof entry === 'object' && 'failed' in entry);
}

/**
 * Runs a validated write: locally (always), and on every swarm peer unless `call.forwarded`.
 * `local` starts after the forwards have been started, as upstream does.
 */
export async function runRecursive(
  ctx: RpcContext,
  call: RpcCall,
  method: string,
  raw: JsonObject,
  now: number,
  local: () => LocalOutcome | Promise<LocalOutcome>,
): Promise<RpcResponse> {
  if (call.forwarded) {
    const { mine } = await local();
    return { status: succeeded(mine) ? 200 : 500, body: mine };
  }
  const peers = ctx.swarm.peers().filter((p) => p.pubkeyEd25519 !== ctx.ed25519Hex);
  const pending = peers.map((peer) => forwardTo(ctx, peer, method, raw));
  const { mine, top } = await local();
  const swarm: JsonRecord = { [ctx.ed25519Hex]: mine };
  for (const [key, entry] of await Promise.all(pending)) swarm[key] = entry;
  const body = withMisc(ctx, { ...top, swarm }, now);
  const ok = Object.values(swarm).some(succeeded);
  return { status: ok ? 200 : 500, body };
}
