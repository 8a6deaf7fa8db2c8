/**
 * The app factory, the listener over real loopback HTTP, the logger's scrubbing, settings from
 * flags and environment, and the identity file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '@session-ts/core';
import { createApp, readJson } from './app.ts';
import { HttpError } from './http-error.ts';
import { listen } from './listener.ts';
import { createJsonLogger, createSilentLogger } from './logger.ts';
import { configFlags, configHelp, readConfig } from './config.ts';
import { loadOrCreateIdentity } from './identity-file.ts';

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

test('config: flag over environment over default, integers checked, required named', () => {
  const spec = {
    data: { env: 'X_DATA', kind: 'string', required: true, description: 'data dir' },
    port: { env: 'X_PORT', kind: 'integer', min: 0, max: 65535, default: 7, description: 'port' },
  } as const;
  assert.deepEqual(configFlags(spec), { data: { type: 'string' }, port: { type: 'string' } });
  const ok = readConfig(spec, { data: '/d' }, { X_PORT: '9' });
  assert.deepEqual(ok, { ok: true, values: { data: '/d', port: 9 } });
  assert.deepEqual(readConfig(spec, { data: '/d', port: '10' }, { X_PORT: '9' }), {
    ok: true,
    values: { data: '/d', port: 10 },
  });
  assert.deepEqual(readConfig(spec, {}, { X_DATA: '/e' }), {
    ok: true,
    values: { data: '/e', port: 7 },
  });
  const missing = readConfig(spec, {}, {});
  assert.ok(!missing.ok && /--data \(or X_DATA\) is required/.test(missing.message));
  const bad = readConfig(spec, { data: '/d' }, { X_PORT: '70000' });
  assert.ok(!bad.ok && /X_PORT: expected an integer from 0 to 65535/.test(bad.message));
  assert.ok(!readConfig(spec, { data: '/d', port: '1e3' }, {}).ok);
  assert.match(configHelp(spec).join('\n'), /--port <n> {2}\[X_PORT\] {2}port \(default 7\)/);
});

test('identity file: created 0600, reloaded, refused when others can read it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-identity-'));
  try {
    const path = join(dir, 'sub', 'key_ed25519');
    const rng = { randomBytes: (n: number) => new Uint8Array(n).fill(9) };
    const first = loadOrCreateIdentity(path, rng);
    assert.equal(first.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const again = loadOrCreateIdentity(path, rng);
    assert.equal(again.created, false);
    assert.deepEqual(again.identity.ed25519PublicKey, first.identity.ed25519PublicKey);
    assert.equal(String(again.identity.seed), '[redacted ed25519-seed]');
    chmodSync(path, 0o644);
    assert.throws(() => loadOrCreateIdentity(path, rng), /accessible to other users/);
    chmodSync(path, 0o600);
    writeFileSync(path, 'not hex\n');
    assert.throws(() => loadOrCreateIdentity(path, rng), /key file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
