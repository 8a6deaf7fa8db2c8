/**
 * The contract every `Transport` keeps (CONVENTIONS.md, habit 2; `transport.ts` states it): the
 * HTTP transport and the in-process network both run these cases. It returns named cases rather
 * than registering tests, so it does not depend on a test runner:
 *
 *   for (const c of transportContract(makeHarness)) test(`http: ${c.name}`, c.run);
 */
import assert from 'node:assert/strict';
import { isNetworkError } from '../network-error.ts';
import type { FetchHandler, Transport, TransportTarget } from '../transport.ts';

/** What the contract needs from an adapter. */
export interface TransportHarness {
  readonly transport: Transport;
  /** Serves `handler`; its address as a node (`{ip, port}`) and as a URL. */
  serve(
    handler: FetchHandler,
  ): Promise<{ readonly node: { ip: string; port: number }; readonly url: string }>;
  /** An address where nothing listens. */
  deadTarget(): Promise<TransportTarget>;
  close(): Promise<void>;
}

/** One contract case. */
export interface TransportContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isNetworkError(e) && e.code === code);
}

/** The cases, each with a fresh harness. */
export function transportContract(make: () => Promise<TransportHarness>): TransportContractCase[] {
  const withHarness = (fn: (h: TransportHarness) => Promise<void>) => async (): Promise<void> => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.close();
    }
  };
  return [
    {
      name: 'delivers method, path, headers and binary body; returns status, headers and body',
      run: withHarness(async (h) => {
        let seen:
          | { method: string; path: string; header: string | null; body: Uint8Array; from: unknown }
          | undefined;
        const { node } = await h.serve(async (req, ctx) => {
          seen = {
            method: req.method,
            path: new URL(req.url).pathname,
            header: req.headers.get('x-test'),
            body: new Uint8Array(await req.arrayBuffer()),
            from: ctx?.remoteAddress,
          };
          return new Response(Uint8Array.of(0, 1, 254, 255), {
            status: 201,
            headers: { 'x-answer': 'yes' },
          });
        });
        const body = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
        const res = await h.transport.request(node, body, {
          path: '/onion_req/v2',
          headers: { 'x-test': 'hello' },
          timeoutMs: 5000,
        });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('x-answer'), 'yes');
        assert.deepEqual([...res.body], [0, 1, 254, 255]);
        assert.equal(seen?.method, 'POST');
        assert.equal(seen?.path, '/onion_req/v2');
        assert.equal(seen?.header, 'hello');
        assert.deepEqual(seen?.body, body);
        assert.equal(typeof seen?.from, 'string');
      }),
    },
    {
      name: 'any status is an answer, and URL targets take a path',
      run: withHarness(async (h) => {
        const { url } = await h.serve((req) =>
          Promise.resolve(
            new URL(req.url).pathname === '/json_rpc'
              ? Response.json({ snodes: [] }, { status: 421 })
              : new Response('Next node not found: ab', { status: 502 }),
          ),
        );
        const a = await h.transport.request({ url }, '{}', { path: '/json_rpc', timeoutMs: 5000 });
        assert.equal(a.status, 421);
        assert.deepEqual(JSON.parse(new TextDecoder().decode(a.body)), { snodes: [] });
        const b = await h.transport.request({ url: `${url}/` }, undefined, {
          path: '/x',
          method: 'GET',
          timeoutMs: 5000,
        });
        assert.equal(b.status, 502);
        assert.equal(new TextDecoder().decode(b.body), 'Next node not found: ab');
      }),
    },
    {
      name: 'a slow answer rejects with timeout, promptly',
      run: withHarness(async (h) => {
        const { node } = await h.serve(async () => {
          await delay(600);
          return new Response('late');
        });
        const started = Date.now();
        await rejectsWith(h.transport.request(node, 'x', { timeoutMs: 60 }), 'timeout');
        assert.ok(Date.now() - started < 500, 'the timeout fired late');
      }),
    },
    {
      name: 'the caller’s signal aborts a request in flight, and an aborted signal never sends',
      run: withHarness(async (h) => {
        let calls = 0;
        const { node } = await h.serve(async () => {
          calls++;
          await delay(600);
          return new Response('late');
        });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 30);
        const started = Date.now();
        await rejectsWith(
          h.transport.request(node, 'x', { timeoutMs: 5000, signal: controller.signal }),
          'aborted',
        );
        assert.ok(Date.now() - started < 500);
        const before = calls;
        await rejectsWith(
          h.transport.request(node, 'x', { timeoutMs: 5000, signal: AbortSignal.abort() }),
          'aborted',
        );
        await delay(20);
        assert.equal(calls, before);
      }),
    },
    {
      name: 'nothing listening rejects with unreachable; a bad timeout is invalid input',
      run: withHarness(async (h) => {
        await rejectsWith(
          h.transport.request(await h.deadTarget(), 'x', { timeoutMs: 2000 }),
          'unreachable',
        );
        const { node } = await h.serve(() => Promise.resolve(new Response('ok')));
        await rejectsWith(h.transport.request(node, 'x', { timeoutMs: 0 }), 'invalid-input');
      }),
    },
    {
      name: 'concurrent requests each get their own answer',
      run: withHarness(async (h) => {
        const { node } = await h.serve(async (req) => {
          const n = Number(await req.text());
          await delay((n * 7) % 20);
          return new Response(String(n * n));
        });
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            h.transport.request(node, String(i), { timeoutMs: 5000 }),
          ),
        );
        assert.deepEqual(
          answers.map((a) => new TextDecoder().decode(a.body)),
          Array.from({ length: 20 }, (_, i) => String(i * i)),
        );
      }),
    },
  ];
}
