/**
 * The Node socket adapter: serves an `App` on a TCP port over plain HTTP, converting Node's
 * request into a WHATWG `Request` and the `Response` back. Bodies over `maxBodyBytes` are cut
 * off with 413 before they are buffered. Plain HTTP on loopback is a deliberate choice for the
 * local network (network.md §12.4); the onion layer carries the security.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.ts';
import { errorResponse } from './app.ts';
import { knownBody } from './known-body.ts';
import { lightRequest } from './light-request.ts';

/** Options of `listen`. */
export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Largest accepted request body (default 10 MiB, upstream's MAX_REQUEST_BODY_SIZE). */
  readonly maxBodyBytes?: number;
}

/** A running listener. */
export interface Listener {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

async function readNodeBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > max) return 'too-large';
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  // A body built by jsonResponse/textResponse is written as it is; others are read back.
  const known = knownBody(response);
  const body = known ?? new Uint8Array(await response.arrayBuffer());
  res.setHeader('content-length', body.length);
  res.end(body);
}

/** Serves `app` until `close()` is called. */
export async function listen(app: App, options: ListenOptions): Promise<Listener> {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body =
          req.method === 'GET' || req.method === 'HEAD' ? undefined : await readNodeBody(req, max);
        if (body === 'too-large') {
          await send(res, errorResponse(413, 'too-large', `request body over ${max} bytes`));
          req.destroy();
          return;
        }
        // A lightweight Request over the buffered body (see light-request.ts).
        const request = lightRequest({
          method: req.method ?? 'GET',
          url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
          headers: req.headers,
          body,
        });
        await send(res, await app.fetch(request, { remoteAddress: req.socket.remoteAddress }));
      } catch {
        if (!res.headersSent)
          await send(res, errorResponse(400, 'bad-request', 'malformed request'));
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
