/**
 * The app factory every session-ts server is built from: a server is a function from `Request`
 * to `Response` (CONVENTIONS.md, habit 4, after hono's `app.fetch`). Tests call `fetch`
 * directly, an in-process network routes requests straight to it, and `listen` is a thin
 * socket adapter. Errors from handlers become responses here, in one place:
 * `HttpError` → its status; a core `ProtocolError` (bad input that reached the protocol) → 400;
 * anything else → 500, logged as a bug.
 */
import { isProtocolError } from '@session-ts/core';
import { HttpError, isHttpError } from './http-error.ts';
import type { Logger } from './logger.ts';

/** Extra context a handler gets besides the request. */
export interface RequestContext {
  /** The caller's address as the listener saw it (`undefined` in-process). */
  readonly remoteAddress: string | undefined;
}

/** A request handler. */
export type Handler = (request: Request, context: RequestContext) => Response | Promise<Response>;

/** One route: a method and an exact path. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly handler: Handler;
}

/** How error bodies are written: JSON `{error, message}` or the plain reason. */
export type ErrorBodyFormat = 'json' | 'text';

/** Options of `createApp`. */
export interface AppOptions {
  readonly routes: readonly Route[];
  readonly logger: Logger;
  readonly errorBody?: ErrorBodyFormat;
}

/** A server as a function. */
export interface App {
  fetch(request: Request, context?: RequestContext): Promise<Response>;
}

/** Builds an error response in the app's format. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  format: ErrorBodyFormat = 'json',
): Response {
  if (format === 'text') {
    return new Response(message, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return Response.json({ error: code, message }, { status });
}

/** Creates an app from its routes. */
export function createApp(options: AppOptions): App {
  const format = options.errorBody ?? 'json';
  const byPath = new Map<string, Map<string, Handler>>();
  for (const route of options.routes) {
    const methods = byPath.get(route.path) ?? new Map<string, Handler>();
    if (methods.has(route.method)) {
      throw new Error(`duplicate route ${route.method} ${route.path}`);
    }
    methods.set(route.method, route.handler);
    byPath.set(route.path, methods);
  }
  return {
    async fetch(request, context = { remoteAddress: undefined }) {
      let path: string;
      try {
        path = new URL(request.url).pathname;
      } catch {
        return errorResponse(400, 'bad-url', 'request URL is not valid', format);
      }
      const methods = byPath.get(path);
      if (methods === undefined) {
        return errorResponse(404, 'not-found', `no such endpoint: ${path}`, format);
      }
      const handler = methods.get(request.method);
      if (handler === undefined) {
        const allowed = [...methods.keys()].join(', ');
        const res = errorResponse(
          405,
          'method-not-allowed',
          `${request.method} not allowed on ${path} (allowed: ${allowed})`,
          format,
        );
        res.headers.set('allow', allowed);
        return res;
      }
      try {
        return await handler(request, context);
      } catch (error) {
        if (isHttpError(error)) {
          return errorResponse(error.status, error.code, error.message, format);
        }
        if (isProtocolError(error)) {
          return errorResponse(400, error.code, error.message, format);
        }
        options.logger.error('unhandled error in handler', { path, error });
        return errorResponse(500, 'internal', 'internal server error', format);
      }
    },
  };
}

/** Reads a request body of at most `maxBytes`, or throws a 413 `HttpError`. */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, 'too-large', `request body over ${maxBytes} bytes`);
  }
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > maxBytes) {
    throw new HttpError(413, 'too-large', `request body over ${maxBytes} bytes`);
  }
  return body;
}

/** Reads and parses a JSON body, or throws a 400/413 `HttpError` saying what was wrong. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const body = await readBody(request, maxBytes);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch (cause) {
    throw new HttpError(400, 'invalid-json', 'request body is not valid JSON', { cause });
  }
}
