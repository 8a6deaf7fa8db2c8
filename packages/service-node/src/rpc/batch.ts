/**
 * `batch` and `sequence` (network.md §1.3): 1–20 subrequests `{method, params}` in one call,
 * each with its own auth, answered as `{results: [{code, body}, …]}` in request order.
 * `batch` runs them concurrently; `sequence` runs them in order and stops after the first
 * answer outside 2xx. Subrequests may not be `batch`, `sequence` or `ifelse`. Every
 * subrequest is parsed before any runs, so one malformed subrequest makes the whole call a 400
 * (session-foundation/session-storage-server `oxenss/rpc/client_rpc_endpoints.cpp`
 * `batch::load_from`, `oxenss/rpc/request_handler.cpp` `process_client_req(rpc::batch&&)` and
 * `(rpc::sequence&&)`).
 */
import { BATCH_REQUEST_MAX } from '@session-ts/core';
import {
  defineMethod,
  reply,
  withMisc,
  type RpcCall,
  type RpcContext,
  type RpcMethod,
  type RpcResponse,
} from './handler.ts';
import { invalid } from './param-fields.ts';
import { parseRequestList, type JsonObject } from './params.ts';

/** A subrequest, parsed. */
export interface Subrequest {
  readonly name: string;
  readonly method: RpcMethod<unknown>;
  readonly params: unknown;
  readonly raw: JsonObject;
}

/** What the batch methods need from the dispatcher. */
export interface BatchDeps {
  lookup(name: string): RpcMethod<unknown> | undefined;
  execute(ctx: RpcContext, sub: Subrequest, call: RpcCall): Promise<RpcResponse>;
}

const META = new Set(['batch', 'sequence', 'ifelse']);

function parseSubrequests(deps: BatchDeps, params: JsonObject): Subrequest[] {
  return parseRequestList(params, BATCH_REQUEST_MAX).map(({ method: name, params: raw }) => {
    if (META.has(name)) {
      throw invalid('Invalid batch subrequest: subrequests may not contain meta-requests');
    }
    const method = deps.lookup(name);
    if (method === undefined) {
      throw invalid(`Invalid batch subrequest: invalid method "${name.slice(0, 64)}"`);
    }
    return { name, method, params: method.parse(raw), raw };
  });
}

function result(r: RpcResponse): { code: number; body: unknown } {
  return { code: r.status, body: r.body };
}

/** The two methods, bound to the dispatcher's lookup and executor. */
export function createBatchMethods(deps: BatchDeps): RpcMethod<Subrequest[]>[] {
  const batch = defineMethod<Subrequest[]>({
    names: ['batch'],
    recursive: false,
    parse: (params) => parseSubrequests(deps, params),
    async run(ctx, subs, _raw, call) {
      const results = await Promise.all(subs.map((s) => deps.execute(ctx, s, call)));
      return reply(withMisc(ctx, { results: results.map(result) }, ctx.clock.now()));
    },
  });
  const sequence = defineMethod<Subrequest[]>({
    names: ['sequence'],
    recursive: false,
    parse: (params) => parseSubrequests(deps, params),
    async run(ctx, subs, _raw, call) {
      const results: { code: number; body: unknown }[] = [];
      for (const s of subs) {
        const r = await deps.execute(ctx, s, call);
        results.push(result(r));
        if (r.status < 200 || r.status > 299) break;
      }
      return reply(withMisc(ctx, { results }, ctx.clock.now()));
    },
  });
  return [batch, sequence];
}
