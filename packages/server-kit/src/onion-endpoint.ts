/**
 * A service node's onion endpoint, `POST /onion_req/v2` (network.md §2): decrypt one layer and
 * act on it — answer as the final node, relay to the next node, or proxy to an HTTP server.
 * A node mounts it with one line: `routes: [..., createOnionEndpoint({ identity, ... })]`.
 *
 * Statuses, as upstream's storage server answers them:
 * - 400 (plain text) for a malformed envelope ("Error parsing onion request: …"), a `hop_no` over
 *   15 ("onion request max path length exceeded"), or a layer that does not decrypt
 *   ("Invalid ciphertext");
 * - 200 with an *encrypted* `{"status": 400, "body": "Invalid json"}` when the layer decrypts but
 *   its inner frame is malformed, and `{"status": 400, "body": "Invalid url"}` for a proxy target
 *   upstream would refuse (the sender can read why; relays cannot);
 * - 502 "Next node not found: <ed25519>" when the next node is unknown, 502 "Next node is
 *   currently unreachable: <ed25519>" when it does not answer, 504 "Request time out" when the
 *   relay or proxy timer (30 s / 25 s) fires first;
 * - 503 "Snode not ready" while `ready()` says no;
 * - otherwise whatever the next hop answered, passed back unchanged: only the final node
 *   encrypts (§2.4).
 *
 * Our nodes relay over HTTP rather than OxenMQ: the `relay` callback receives the next node's
 * Ed25519 key and the envelope (with `hopNo` one higher) that `encodeOnionEnvelope` turns into the
 * next node's request body (docs/network.md, "Relaying between nodes").
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`process_onion_req` and its overloads, `wrap_proxy_response`, `ONION_URL_TIMEOUT`),
 * `oxenss/server/https.cpp` (`process_onion_req_v2`), `oxenss/server/omq.cpp`
 * (`handle_onion_request`, `MAX_ONION_HOPS`).
 */
import {
  MAX_ONION_HOPS,
  ONION_MAX_BYTES,
  decodeOnionEnvelope,
  isProtocolError,
  peelOnionLayer,
  sealOnionResponse,
  toHex,
  type OnionEnvelope,
  type OnionLayerKey,
  type OnionNodeKeys,
  type OnionProxyTarget,
  type OnionResult,
  type Rng,
} from '@session-ts/core';
import { readBody, type Route } from './app.ts';
import type { Logger } from './logger.ts';

/** What a relay or proxy call produced. */
export type OnionForwardOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly body: Uint8Array;
      readonly contentType?: string;
    }
  /** The next node is not in this node's view of the network (502 "not found"). */
  | { readonly kind: 'unknown' }
  /** The next node or server could not be reached (502). */
  | { readonly kind: 'unreachable' }
  /** It did not answer before the signal fired (504). */
  | { readonly kind: 'timeout' };

/** Options of `createOnionEndpoint`. */
export interface OnionEndpointOptions {
  /** The node's X25519 keys, converted from its Ed25519 identity (an `Identity` fits). */
  readonly identity: OnionNodeKeys;
  readonly rng: Rng;
  readonly logger: Logger;
  /** Runs a storage-RPC body `{"method", "params"}` at the final node. */
  readonly handleFinal: (body: Uint8Array, signal: AbortSignal) => Promise<OnionResult>;
  /** Sends `envelope` to the node whose Ed25519 key is `next` (its `/onion_req/v2`). */
  readonly relay: (
    next: Uint8Array,
    envelope: OnionEnvelope,
    signal: AbortSignal,
  ) => Promise<OnionForwardOutcome>;
  /**
   * POSTs `payload` (the whole decrypted layer) to a server's `url`. Default: the platform's
   * `fetch` (upstream proxies to any host; only the target path is restricted).
   */
  readonly proxyToServer?: (
    url: string,
    payload: Uint8Array,
    signal: AbortSignal,
  ) => Promise<OnionForwardOutcome>;
  /** While false the endpoint answers 503 (default: always ready). */
  readonly ready?: () => boolean;
  /** Default `/onion_req/v2`. */
  readonly path?: string;
  /** Default 30 s (the storage server's node-to-node onion timeout). */
  readonly relayTimeoutMs?: number;
  /** Default 25 s (`ONION_URL_TIMEOUT`: shorter than the relay's, so the error gets back). */
  readonly proxyTimeoutMs?: number;
  /** Default 10 MiB. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_RELAY_TIMEOUT_MS = 30_000;
const DEFAULT_PROXY_TIMEOUT_MS = 25_000;

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The URL a proxy layer names: `protocol://host[:port]target`, the port only if not default. */
export function onionProxyUrl(target: OnionProxyTarget): string {
  const defaultPort = target.protocol === 'https' ? 443 : 80;
  const port = target.port === defaultPort ? '' : `:${target.port}`;
  const path = target.target.startsWith('/') ? target.target : `/${target.target}`;
  return `${target.protocol}://${target.host}${port}${path}`;
}

/** The default proxy: a plain `fetch` POST. */
export async function fetchOnionProxy(
  url: string,
  payload: Uint8Array,
  signal: AbortSignal,
): Promise<OnionForwardOutcome> {
  try {
    const res = await fetch(url, { method: 'POST', body: payload, signal });
    const body = new Uint8Array(await res.arrayBuffer());
    const contentType = res.headers.get('content-type');
    return {
      kind: 'response',
      status: res.status,
      body,
      ...(contentType === null ? {} : { contentType }),
    };
  } catch {
    return signal.aborted ? { kind: 'timeout' } : { kind: 'unreachable' };
  }
}

/** Runs `call` with a signal that fires after `ms` or when the client goes away. */
async function withTimeout(
  ms: number,
  outer: AbortSignal,
  call: (signal: AbortSignal) => Promise<OnionForwardOutcome>,
): Promise<OnionForwardOutcome> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  outer.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<OnionForwardOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'timeout' });
    }, ms);
  });
  try {
    return await Promise.race([
      call(controller.signal).catch((): OnionForwardOutcome => ({ kind: 'unreachable' })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

function forwarded(outcome: OnionForwardOutcome, unknown: string, unreachable: string): Response {
  switch (outcome.kind) {
    case 'response':
      return new Response(outcome.body, {
        status: outcome.status,
        headers: { 'content-type': outcome.contentType ?? 'application/octet-stream' },
      });
    case 'unknown':
      return text(502, unknown);
    case 'unreachable':
      return text(502, unreachable);
    case 'timeout':
      return text(504, 'Request time out');
  }
}

/** Builds the `/onion_req/v2` route. */
export function createOnionEndpoint(options: OnionEndpointOptions): Route {
  const maxBody = options.maxBodyBytes ?? ONION_MAX_BYTES;
  const relayMs = options.relayTimeoutMs ?? DEFAULT_RELAY_TIMEOUT_MS;
  const proxyMs = options.proxyTimeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  const proxy = options.proxyToServer ?? fetchOnionProxy;
  const { logger, rng } = options;

  const sealed = (key: OnionLayerKey, result: OnionResult, json = false, base64 = true) =>
    new Response(sealOnionResponse(key, result, { json, base64 }, rng), {
      status: 200,
      headers: {
        'content-type': base64 ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      },
    });

  const handler = async (request: Request): Promise<Response> => {
    if (options.ready !== undefined && !options.ready()) return text(503, 'Snode not ready');
    const body = await readBody(request, maxBody);
    let envelope: OnionEnvelope;
    try {
      envelope = decodeOnionEnvelope(body, maxBody);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      return text(400, `Error parsing onion request: ${error.message}`);
    }
    if (envelope.hopNo > MAX_ONION_HOPS) {
      return text(400, 'onion request max path length exceeded');
    }
    const layer = peelOnionLayer(options.identity, envelope);
    switch (layer.kind) {
      case 'undecryptable':
        return text(400, 'Invalid ciphertext');
      case 'invalid':
        logger.debug('onion layer decrypted but malformed', { reason: layer.message });
        return sealed(layer.key, { status: 400, text: 'Invalid json' });
      case 'final': {
        let result: OnionResult;
        try {
          result = await options.handleFinal(layer.body, request.signal);
        } catch (error) {
          logger.error('onion final request handler failed', { error });
          result = { status: 500, text: 'request failed' };
        }
        return sealed(layer.key, result, layer.json, layer.base64);
      }
      case 'relay': {
        const next = { ...layer.layer, hopNo: envelope.hopNo + 1 };
        const outcome = await withTimeout(relayMs, request.signal, (signal) =>
          options.relay(layer.next, next, signal),
        );
        if (outcome.kind !== 'response') {
          logger.debug('onion relay failed', { outcome: outcome.kind });
        }
        const hex = toHex(layer.next);
        return forwarded(
          outcome,
          `Next node not found: ${hex}`,
          `Next node is currently unreachable: ${hex}`,
        );
      }
      case 'proxy': {
        if (!layer.allowed) return sealed(layer.key, { status: 400, text: 'Invalid url' });
        const url = onionProxyUrl(layer.target);
        const outcome = await withTimeout(proxyMs, request.signal, (signal) =>
          proxy(url, layer.payload, signal),
        );
        const failed = `Proxy request to ${layer.target.host} failed`;
        return forwarded(outcome, failed, failed);
      }
    }
  };
  return { method: 'POST', path: options.path ?? '/onion_req/v2', handler };
}
