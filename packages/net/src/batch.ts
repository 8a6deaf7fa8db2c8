/**
 * Batching storage requests (network.md §1.3): `batch` runs 1–20 subrequests (possibly in
 * parallel) and `sequence` runs them in order, stopping at the first non-2xx. Each subrequest
 * carries its own auth; they cannot nest. The answer is `{results: [{code, body}, …]}` in request
 * order. The desktop caps subrequests at 20 too (`MAX_SUBREQUESTS_COUNT`).
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`batch`, `sequence`); session-foundation/session-desktop
 * `ts/session/apis/snode_api/batchRequest.ts`.
 */
import { BATCH_REQUEST_MAX, BATCH_REQUEST_MIN } from '@session-ts/core';
import { NetworkError } from './network-error.ts';

/** One storage-RPC call. */
export interface RpcRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** One subresult. */
export interface BatchResult {
  readonly code: number;
  readonly body: unknown;
}

function checked(kind: 'batch' | 'sequence', requests: readonly RpcRequest[]): RpcRequest {
  if (requests.length < BATCH_REQUEST_MIN || requests.length > BATCH_REQUEST_MAX) {
    throw new NetworkError(
      'invalid-input',
      `${kind}: expected ${BATCH_REQUEST_MIN} to ${BATCH_REQUEST_MAX} subrequests, got ${requests.length}`,
    );
  }
  for (const r of requests) {
    if (r.method === 'batch' || r.method === 'sequence') {
      throw new NetworkError('invalid-input', `${kind}: subrequests cannot nest (${r.method})`);
    }
  }
  return {
    method: kind,
    params: { requests: requests.map((r) => ({ method: r.method, params: r.params })) },
  };
}

/** A `batch` request of `requests`. */
export function batchRequest(requests: readonly RpcRequest[]): RpcRequest {
  return checked('batch', requests);
}

/** A `sequence` request of `requests`. */
export function sequenceRequest(requests: readonly RpcRequest[]): RpcRequest {
  return checked('sequence', requests);
}

/** The `results` of a batch or sequence answer, or `undefined` when the shape is wrong. */
export function parseBatchResults(body: unknown): BatchResult[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const results = (body as { results?: unknown }).results;
  if (!Array.isArray(results)) return undefined;
  const out: BatchResult[] = [];
  for (const r of results) {
    if (r === null || typeof r !== 'object') return undefined;
    const { code, body: inner } = r as { code?: unknown; body?: unknown };
    if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
    out.push({ code, body: inner });
  }
  return out;
}
