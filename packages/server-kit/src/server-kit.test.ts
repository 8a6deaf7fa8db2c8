/**
 * The app factory, the listener over real loopback HTTP, and the logger's scrubbing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '@session-ts/core';
import { createApp, readJson } from './app.ts';
import { HttpError } from './http-error.ts';
import { listen } from './listener.ts';
import { createJsonLogger, createSilentLogger } from './logger.ts';

const logged: string[] = [];
const logger = createJsonLogger({ write: (l) => logged.push(l), clock: { now: () => 0 } });

const app = createApp({
  logger,
  routes: [
    { method: 'GET', path: '/ok', handler: () => new Response('fine') },
    {
      method: 'POST',
      path: '/echo',
      handler: async (req) => Response.json(await readJson(req, 1000)),
    },
    {
      method: 'GET',
      path: '/teapot',
      handler: () => {
        throw new HttpError(429, 'slow-down', 'too many requests');
      },
    },
    {
      method: 'GET',
      path: '/protocol',
      handler: () => {
        throw new ProtocolError('invalid-hex', 'pubkey: not hex');
      },
    },
    {
      method: 'GET',
      path: '/bug',
      handler: () => {
        throw new TypeError('oops');
      },
    },
  ],
});

test('routes, methods and error mapping', async () => {
  const get = (path: string): Promise<Response> => app.fetch(new Request(`http://x${path}`));
  assert.equal(await (await get('/ok')).text(), 'fine');
  const missing = await get('/nope');
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    error: 'not-found',
    message: 'no such endpoint: /nope',
  });
  const wrong = await app.fetch(new Request('http://x/ok', { method: 'POST' }));
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET');
  assert.equal((await get('/teapot')).status, 429);
  const p = await get('/protocol');
  assert.equal(p.status, 400);
  assert.deepEqual(await p.json(), { error: 'invalid-hex', message: 'pubkey: not hex' });
  const bug = await get('/bug');
  assert.equal(bug.status, 500);
  assert.equal(((await bug.json()) as { message: string }).message, 'internal server error');
  assert.match(logged.at(-1) ?? '', /unhandled error/);
  const bad = await app.fetch(new Request('http://x/echo', { method: 'POST', body: '{nope' }));
  assert.equal(bad.status, 400);
  const big = await app.fetch(
    new Request('http://x/echo', { method: 'POST', body: JSON.stringify('x'.repeat(2000)) }),
  );
  assert.equal(big.status, 413);
});

test('the listener serves real HTTP on loopback and cuts off oversized bodies', async () => {
  const l = await listen(app, { host: '127.0.0.1', port: 0, maxBodyBytes: 100 });
  try {
    assert.equal(await (await fetch(`${l.url}/ok`)).text(), 'fine');
    const echo = await fetch(`${l.url}/echo`, { method: 'POST', body: '{"a":1}' });
    assert.deepEqual(await echo.json(), { a: 1 });
    const big = await fetch(`${l.url}/echo`, { method: 'POST', body: 'x'.repeat(500) });
    assert.equal(big.status, 413);
  } finally {
    await l.close();
  }
});

test('the logger never writes bytes or long hex, and filters by level', () => {
  const lines: string[] = [];
  const log = createJsonLogger({
    write: (l) => lines.push(l),
    clock: { now: () => 0 },
    level: 'warn',
  });
  log.info('dropped');
  log.warn('kept', { key: new Uint8Array(32).fill(7), id: 'ab'.repeat(33), n: 3 });
  assert.equal(lines.length, 1);
  const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(obj['key'], '[32 bytes]');
  assert.equal(obj['id'], 'abababababababab…');
  assert.equal(obj['n'], 3);
  assert.equal(obj['level'], 'warn');
  createSilentLogger().error('nothing');
});
