/**
 * The transport port (CONVENTIONS.md, habit 2): how the network layer moves one request to one
 * address and gets one answer back. Two adapters keep the same contract
 * (`test-support/transport-contract.ts`): `createHttpTransport` (real sockets, `fetch`) and
 * `createInProcessNetwork().transport(...)` (no sockets: straight into a server's `fetch`).
 *
 * The contract:
 * - any HTTP status is an answer (a value), including 4xx and 5xx;
 * - a request that does not complete within `timeoutMs` rejects with `NetworkError('timeout')`,
 *   the body read included;
 * - the caller's `signal` firing rejects with `NetworkError('aborted')` (at once if it already
 *   fired);
 * - nothing listening at the target rejects with `NetworkError('unreachable')`.
 */
import { NetworkError } from './network-error.ts';

/** Something with an address a transport can reach: a URL, or a node's IP and port. */
export type TransportTarget =
  { readonly url: string } | { readonly ip: string; readonly port: number };

/** Per-request options. */
export interface TransportRequestOptions {
  /** Appended to the target (`/storage_rpc/v1`, `/onion_req/v2`, `/json_rpc`). */
  readonly path?: string;
  /** Default `POST`. */
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** The whole exchange, body read included, must finish within this. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** An answer: status, headers and the whole body. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/** Moves one request. */
export interface Transport {
  request(
    target: TransportTarget,
    body: Uint8Array | string | undefined,
    options: TransportRequestOptions,
  ): Promise<TransportResponse>;
}

/** A server as a function from `Request` to `Response` (server-kit's `App.fetch` fits). */
export type FetchHandler = (
  request: Request,
  context?: { readonly remoteAddress: string | undefined },
) => Promise<Response>;

/** `host:port` of a target, the port always written (for routing and logs). */
export function targetHost(target: TransportTarget): string {
  if (!('url' in target)) return `${target.ip}:${target.port}`;
  const url = new URL(target.url);
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return `${url.hostname}:${port}`;
}

/** The full URL of a request: `url` + `path`, or `scheme://ip:port` + `path`. */
export function targetUrl(target: TransportTarget, path?: string, scheme = 'http'): string {
  const base =
    'url' in target
      ? target.url.replace(/\/+$/, '')
      : `${scheme}://${target.ip.includes(':') ? `[${target.ip}]` : target.ip}:${target.port}`;
  return path === undefined ? base || '/' : base + (path.startsWith('/') ? path : `/${path}`);
}

/** The body as UTF-8 text (lenient: a node's plain-text error message). */
export function responseText(response: TransportResponse): string {
  return new TextDecoder().decode(response.body);
}

/** The body parsed as JSON, or `undefined` when it is not JSON. */
export function responseJson(response: TransportResponse): unknown {
  try {
    return JSON.parse(responseText(response)) as unknown;
  } catch {
    return undefined;
  }
}

/** Checks the options every adapter shares; throws `invalid-input`. */
export function checkRequestOptions(options: TransportRequestOptions): void {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new NetworkError(
      'invalid-input',
      `timeoutMs: expected a positive number of milliseconds, got ${options.timeoutMs}`,
    );
  }
}

/**
 * Runs `work` under the request's deadline and the caller's signal: resolves with its result,
 * or rejects with `timeout` / `aborted`; `work` gets a signal that fires in either case so it
 * can stop.
 */
export async function underDeadline<T>(
  options: TransportRequestOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  checkRequestOptions(options);
  const outer = options.signal;
  if (outer?.aborted === true) throw new NetworkError('aborted', 'request aborted by the caller');
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NetworkError('timeout', `no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    onAbort = () => {
      controller.abort();
      reject(new NetworkError('aborted', 'request aborted by the caller'));
    };
    outer?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) outer?.removeEventListener('abort', onAbort);
  }
}
