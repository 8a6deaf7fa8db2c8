/**
 * The onion v4 endpoint every HTTP server (file, community, push) shares: `POST /oxen/v4/lsrpc`
 * (network.md §2.5). The last hop of a client's path posts the whole layer it decrypted,
 * `[N][blob]{json}`, whose JSON carries the `ephemeral_key` and `enc_type` the server needs; the
 * server decrypts `blob` with its own X25519 key, reads the bencoded v4 request, runs it as an
 * ordinary request through the server's own handler, and answers with the v4 response encrypted
 * once with the same key, as raw bytes (not base64).
 *
 * Errors: 400 (plain) when the layer is malformed or does not decrypt, as the file server's
 * `abort(http.BAD_REQUEST)`; a malformed v4 request gets an encrypted v4 400 response
 * ("Invalid v4 onion request"), as upstream's `handle_v4_onionreq_plaintext`.
 *
 * Upstream: session-foundation/session-file-server `fileserver/onion_req.py`
 * (`handle_v4_onion_request`); session-foundation/libsession-util
 * `include/session/onionreq/parser.hpp` (`OnionReqParser`).
 */
import {
  ONION_MAX_BYTES,
  decodeOnionEnvelope,
  decodeOnionV4Request,
  encodeOnionV4Response,
  openOnionEnvelope,
  sealOnionLayer,
  utf8,
  type OnionNodeKeys,
  type OnionV4Request,
  type OnionV4Response,
  type Rng,
} from '@session-ts/core';
import { readBody, type Route } from './app.ts';
import type { Logger } from './logger.ts';

/** Options of `createOnionV4Endpoint`. */
export interface OnionV4EndpointOptions {
  /** The server's X25519 keys (the key clients encrypt to). */
  readonly identity: OnionNodeKeys;
  readonly rng: Rng;
  readonly logger: Logger;
  /** The server's own request handler (an `App`'s `fetch`). */
  readonly handle: (request: Request) => Promise<Response>;
  /** Default `/oxen/v4/lsrpc`. */
  readonly path?: string;
  /** Default 10 MiB. */
  readonly maxBodyBytes?: number;
  /** The origin the inner request's URL is given (default `http://onion.invalid`). */
  readonly origin?: string;
}

const INVALID: OnionV4Response = {
  code: 400,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: utf8('Invalid v4 onion request'),
};

function plain(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** Turns a decoded v4 request into a WHATWG `Request` (throws on a header `Request` refuses). */
function toRequest(origin: string, v4: OnionV4Request): Request {
  const hasBody = v4.body !== undefined && v4.method !== 'GET' && v4.method !== 'HEAD';
  return new Request(origin + v4.endpoint, {
    method: v4.method,
    headers: v4.headers,
    ...(hasBody ? { body: v4.body } : {}),
  });
}

async function fromResponse(res: Response): Promise<OnionV4Response> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { code: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
}

/** Builds the `/oxen/v4/lsrpc` route. */
export function createOnionV4Endpoint(options: OnionV4EndpointOptions): Route {
  const maxBody = options.maxBodyBytes ?? ONION_MAX_BYTES;
  const origin = options.origin ?? 'http://onion.invalid';
  const handler = async (request: Request): Promise<Response> => {
    const body = await readBody(request, maxBody);
    let opened: ReturnType<typeof openOnionEnvelope>;
    try {
      opened = openOnionEnvelope(options.identity, decodeOnionEnvelope(body, maxBody));
    } catch {
      return plain(400, 'Invalid onion request');
    }
    if (opened === undefined) return plain(400, 'Invalid ciphertext');
    let reply: OnionV4Response;
    let inner: Request | undefined;
    try {
      inner = toRequest(origin, decodeOnionV4Request(opened.plaintext));
    } catch (error) {
      options.logger.debug('invalid v4 onion request', { error });
    }
    if (inner === undefined) {
      reply = INVALID;
    } else {
      try {
        reply = await fromResponse(await options.handle(inner));
      } catch (error) {
        options.logger.error('onion v4 inner handler failed', { error });
        reply = { code: 500, headers: {}, body: utf8('internal server error') };
      }
    }
    const sealed = sealOnionLayer(opened.key, encodeOnionV4Response(reply), options.rng);
    return new Response(sealed, {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
    });
  };
  return { method: 'POST', path: options.path ?? '/oxen/v4/lsrpc', handler };
}
