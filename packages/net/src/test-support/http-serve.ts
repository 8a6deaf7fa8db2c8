/**
 * Serves a `FetchHandler` over real HTTP on loopback, for the HTTP transport's contract test and
 * the benchmarks (net may not import server-kit, whose `listen` does the same for servers).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchHandler } from '../transport.ts';

/** A running loopback server. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1 (port 0 picks a free one). */
export async function serveHttp(handler: FetchHandler, port = 0): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string') headers.set(k, v);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      try {
        const response = await handler(
          new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers,
            signal: controller.signal,
            ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
          }),
          { remoteAddress: req.socket.remoteAddress },
        );
        const body = Buffer.from(await response.arrayBuffer());
        res.statusCode = response.status;
        response.headers.forEach((value, key) => res.setHeader(key, value));
        res.setHeader('content-length', body.length);
        res.end(body);
      } catch {
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
