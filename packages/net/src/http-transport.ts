/**
 * The real transport: HTTP over sockets with the platform's `fetch` (undici on Node), with the
 * per-request deadline and cancellation of the transport contract (`transport.ts`).
 *
 * Node targets are addressed as `http://ip:port`: our local network serves plain HTTP and every
 * address it advertises says so (network.md §12.4; docs/network.md "Transport"). Upstream
 * service nodes serve HTTPS with self-signed certificates that clients do not verify (the onion
 * layer carries the security); talking to them would need `scheme: 'https'` and a dispatcher that
 * skips verification, which this adapter does not set up.
 */
import { NetworkError } from './network-error.ts';
import {
  targetUrl,
  underDeadline,
  type Transport,
  type TransportRequestOptions,
  type TransportResponse,
  type TransportTarget,
} from './transport.ts';

/** Options of `createHttpTransport`. */
export interface HttpTransportOptions {
  /** Scheme for `{ip, port}` targets (default `http`). */
  readonly scheme?: 'http' | 'https';
  /** The `fetch` to use (default the global one). */
  readonly fetch?: typeof fetch;
}

/** The codes undici puts on a refused or unroutable connection (`error.cause.code`). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** A transport over real HTTP. */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const scheme = options.scheme ?? 'http';
  const doFetch = options.fetch ?? fetch;
  return {
    request(
      target: TransportTarget,
      body: Uint8Array | string | undefined,
      req: TransportRequestOptions,
    ): Promise<TransportResponse> {
      const url = targetUrl(target, req.path, scheme);
      return underDeadline(req, async (signal) => {
        let res: Response;
        try {
          res = await doFetch(url, {
            method: req.method ?? 'POST',
            ...(req.headers === undefined ? {} : { headers: req.headers }),
            ...(body === undefined ? {} : { body }),
            signal,
          });
        } catch (error) {
          if (signal.aborted) throw error; // the deadline or the caller already decided
          const code = causeCode(error);
          throw new NetworkError(
            'unreachable',
            `${url}: ${code ?? (error instanceof Error ? error.message : 'request failed')}`,
            { cause: error },
          );
        }
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await res.arrayBuffer());
        } catch (error) {
          if (signal.aborted) throw error;
          const code = causeCode(error);
          throw new NetworkError(
            code !== undefined && UNREACHABLE.has(code) ? 'unreachable' : 'bad-response',
            `${url}: the connection broke while reading the answer`,
            { cause: error },
          );
        }
        return { status: res.status, headers: res.headers, body: bytes };
      });
    },
  };
}
