/**
 * The storage-RPC dispatcher: finds the method by name (with upstream's aliases), parses its
 * params, runs it, and turns failures into answers in one place (network.md §1.1, §1.3):
 * an unknown method or malformed params → 400 ("invalid request: …" names the field); a
 * forwarded copy of a method that is not forwarded between swarm members → 400; a bug or a
 * storage failure → 500 "request failed", logged (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(method_name, params, cb)`).
 */
import { isProtocolError } from '@session-ts/core';
import { isHttpError } from '@session-ts/server-kit';
import { createBatchMethods, type Subrequest } from './batch.ts';
import { deleteAllMethod } from './delete-all.ts';
import { deleteBeforeMethod } from './delete-before.ts';
import { deleteMethod } from './delete.ts';
import { expireAllMethod } from './expire-all.ts';
import { expireMethod } from './expire.ts';
import { getExpiriesMethod } from './get-expiries.ts';
import { getSwarmMethod } from './get-swarm.ts';
import type { RpcCall, RpcContext, RpcMethod, RpcResponse } from './handler.ts';
import { infoMethod } from './info.ts';
import { oxendRequestMethod } from './oxend-request.ts';
import type { JsonObject } from './params.ts';
import { retrieveMethod } from './retrieve.ts';
import { revokeSubaccountMethod } from './revoke-subaccount.ts';
import { revokedSubaccountsMethod } from './revoked-subaccounts.ts';
import { storeMethod } from './store.ts';
import { unrevokeSubaccountMethod } from './unrevoke-subaccount.ts';

/** Runs storage-RPC requests against one node's context. */
export interface RpcDispatcher {
  /** `params` is untrusted JSON; every outcome, including bad input, is an answer. */
  handle(method: string, params: unknown, call: RpcCall): Promise<RpcResponse>;
  /** The method names served (aliases included). */
  readonly methods: readonly string[];
}

const SINGLE = [
  storeMethod,
  retrieveMethod,
  deleteMethod,
  deleteAllMethod,
  deleteBeforeMethod,
  expireMethod,
  expireAllMethod,
  getExpiriesMethod,
  getSwarmMethod,
  infoMethod,
  oxendRequestMethod,
  revokeSubaccountMethod,
  unrevokeSubaccountMethod,
  revokedSubaccountsMethod,
] as readonly RpcMethod<unknown>[];

function failure(ctx: RpcContext, method: string, error: unknown, parsing: boolean): RpcResponse {
  if (isHttpError(error)) {
    return {
      status: error.status,
      body: parsing ? `invalid request: ${error.message}` : error.message,
    };
  }
  if (isProtocolError(error)) {
    // Input that got past the parser but that core refused: still the client's doing.
    return { status: 400, body: `invalid request: ${error.message}` };
  }
  ctx.logger.error('storage RPC request failed', { method, error });
  return { status: 500, body: 'request failed' };
}

async function execute(ctx: RpcContext, sub: Subrequest, call: RpcCall): Promise<RpcResponse> {
  try {
    return await sub.method.run(ctx, sub.params, sub.raw, call);
  } catch (error) {
    return failure(ctx, sub.name, error, false);
  }
}

/** Builds the dispatcher for a node. */
export function createDispatcher(ctx: RpcContext): RpcDispatcher {
  const table = new Map<string, RpcMethod<unknown>>();
  const lookup = (name: string): RpcMethod<unknown> | undefined => table.get(name);
  const batchMethods = createBatchMethods({ lookup, execute }) as readonly RpcMethod<unknown>[];
  for (const m of [...SINGLE, ...batchMethods]) for (const name of m.names) table.set(name, m);

  return {
    methods: [...table.keys()],
    async handle(name, params, call) {
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        return { status: 400, body: 'invalid json: no `params` field' };
      }
      const method = table.get(name);
      if (method === undefined) return { status: 400, body: `no method ${name.slice(0, 64)}` };
      if (call.forwarded && !method.recursive) {
        return {
          status: 400,
          body: 'invalid request: received invalid forwarded non-forwardable request',
        };
      }
      let parsed: unknown;
      try {
        parsed = method.parse(params as JsonObject);
      } catch (error) {
        return failure(ctx, name, error, true);
      }
      return execute(ctx, { name, method, params: parsed, raw: params as JsonObject }, call);
    },
  };
}
