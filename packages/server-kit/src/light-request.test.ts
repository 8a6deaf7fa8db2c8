/**
 * The listener's lightweight request and known-body responses behave as the real WHATWG
 * objects do: a handler sees a complete `Request`, and a response is written byte for byte
 * whether its body is known, read back, or replaced by a middleware.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './app.ts';
import { jsonResponse, knownBody, textResponse } from './known-body.ts';
import { lightRequest } from './light-request.ts';
import { listen } from './listener.ts';
import { createSilentLogger } from './logger.ts';

test('a light request answers like a Request, and builds the real one for the rest', async () => {
  const body = new TextEncoder().encode('{"a":1}');
  const make = (): Request =>
    lightRequest({
      method: 'POST',
      url: 'http://h/p?q=1',
      headers: { 'content-type': 'application/json', 'x-multi': ['a', 'b'] },
      body,
    });
  const r = make();
  assert.ok(r instanceof Request);
  assert.equal(r.method, 'POST');
  assert.equal(new URL(r.url).searchParams.get('q'), '1');
  assert.equal(r.headers.get('x-multi'), 'a, b');
  assert.equal(r.bodyUsed, false);
  assert.deepEqual(await r.json(), { a: 1 });
  assert.equal(r.bodyUsed, true);
  await assert.rejects(r.text(), TypeError);
  assert.equal(await make().text(), '{"a":1}');
  const withBytes = make() as unknown as { bytes(): Promise<Uint8Array> };
  assert.deepEqual([...(await withBytes.bytes())], [...body]);
  const clone = make().clone();
  assert.equal(await clone.text(), '{"a":1}');
  assert.equal(make().redirect, 'follow');
  assert.equal(make().signal.aborted, false);
});

test('known bodies are remembered until read; the listener writes either kind', async () => {
  const j = jsonResponse({ x: 1 }, { status: 201 });
  assert.equal(j.status, 201);
  assert.equal(j.headers.get('content-type'), 'application/json');
  assert.deepEqual(new TextDecoder().decode(knownBody(j)), '{"x":1}');
  await j.text();
  assert.equal(knownBody(j), undefined, 'a read body is not written twice');
  assert.equal(textResponse('hi').headers.get('content-type'), 'text/plain; charset=utf-8');
  const t = textResponse('hey', { status: 404 });
  assert.ok(t instanceof Response);
  assert.equal(t.ok, false);
  assert.equal(await t.clone().text(), 'hey', 'other members go to a real Response');
  assert.equal(knownBody(t), undefined, 'once the real one exists, the listener reads it');
  assert.equal(await t.text(), 'hey');

  const app = createApp({
    logger: createSilentLogger(),
    routes: [
      { method: 'POST', path: '/known', handler: async (req) => jsonResponse(await req.json()) },
      { method: 'POST', path: '/plain', handler: async (req) => new Response(await req.text()) },
    ],
  });
  const listener = await listen(app, { host: '127.0.0.1', port: 0 });
  try {
    for (const path of ['/known', '/plain']) {
      const res = await fetch(`${listener.url}${path}`, { method: 'POST', body: '{"é":[1,2]}' });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '{"é":[1,2]}');
    }
  } finally {
    await listener.close();
  }
});
