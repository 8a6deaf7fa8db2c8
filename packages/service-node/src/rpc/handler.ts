/**
 * What every storage-RPC method shares: the context a handler runs in (the node's keys, store,
 * clock, swarm view, forwarder, logger), the response shape, and the small helpers for
 * replies, rejections, the `t`/`hf` fields and the node's signatures (network.md §1.1, §12.9).
 *
 * A rejection a client can cause (bad signature, stale timestamp, wrong swarm, …) is returned
 * as a value with its status and a plain-text reason, as upstream answers
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`); exceptions are
 * for parse errors (400, thrown by `params.ts`) and bugs.
 */
import { signDetached, toBase64, type Clock, type Identity, type Rng } from '@session-ts/core';
import type { Logger } from '@session-ts/server-kit';
import type { MessageStore } from '../storage/message-store.ts';
import type { PeerForwarder, SwarmView } from '../swarm-port.ts';
import type { StoreQueue } from './store-queue.ts';
import type { JsonObject } from './params.ts';

/** A JSON object we build. */
export type JsonRecord = Record<string, unknown>;

/** A method's answer: a JSON object, or the plain-text reason of a rejection. */
export interface RpcResponse {
  readonly status: number;
  readonly body: JsonRecord | string;
}

/** How a request arrived. */
export interface RpcCall {
  /** True when a swarm peer forwarded it: it is applied here only, never re-forwarded. */
  readonly forwarded: boolean;
  readonly remoteAddress?: string | undefined;
}

/** The storage server version we speak (upstream v2.8.0, network.md's baseline). */
export const STORAGE_SERVER_VERSION = [2, 8, 0] as const;

/**
 * The hard fork we report in `hf`: 19.4 is the one that enables per-message expiries
 * (`MULTI_EXPIRY_HARDFORK`, oxenss/snode/service_node.h), the newest rule v2.8 knows.
 */
export const DEFAULT_HARDFORK = [19, 4] as const;

/** Everything a handler may use. */
export interface RpcContext {
  readonly identity: Identity;
  readonly store: MessageStore;
  /** Stores go through here (group commit); everything else uses `store` directly. */
  readonly storeQueue: StoreQueue;
  readonly clock: Clock;
  readonly swarm: SwarmView;
  readonly forwarder: PeerForwarder;
  readonly logger: Logger;
  readonly rng: Rng | undefined;
  readonly hardfork: readonly [number, number];
  /** This node's Ed25519 public key in hex (the key of its entry in `swarm` results). */
  readonly ed25519Hex: string;
}

/** One method: how to parse its params and how to run it. */
export interface RpcMethod<P> {
  readonly names: readonly string[];
  /** Written locally and forwarded to every swarm peer (network.md §1.1 "Recursive methods"). */
  readonly recursive: boolean;
  parse(params: JsonObject): P;
  run(
    ctx: RpcContext,
    params: P,
    raw: JsonObject,
    call: RpcCall,
  ): RpcResponse | Promise<RpcResponse>;
}

/** Declares a method with its parameter type inferred. */
export function defineMethod<P>(method: RpcMethod<P>): RpcMethod<P> {
  return method;
}

/** A successful reply. */
export function reply(body: JsonRecord, status = 200): RpcResponse {
  return { status, body };
}

/** A rejection with upstream's plain-text reason. */
export function reject(status: number, reason: string): RpcResponse {
  return { status, body: reason };
}

/** Adds the `t` (server time, ms) and `hf` fields every response carries (§12.9). */
export function withMisc(ctx: RpcContext, body: JsonRecord, now: number): JsonRecord {
  body['t'] = now;
  body['hf'] = [...ctx.hardfork];
  return body;
}

/** The node's Ed25519 signature over `message`, in base64. */
export function nodeSignature(ctx: RpcContext, message: Uint8Array): string {
  return toBase64(signDetached(ctx.identity.ed25519SecretKey, message));
}

/** True when `ts` is within ±`tolerance` of `now`. */
export function within(ts: number, now: number, tolerance: number): boolean {
  return ts >= now - tolerance && ts <= now + tolerance;
}
