/**
 * The HTTP face of a service node (network.md §1.1, §1.9): routes, envelope errors, readiness,
 * the rate limiter (429), the periodic cleanup, a real loopback listener, and the durability
 * promise: no acknowledged store is lost when the process is killed with SIGKILL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase64 } from '@session-ts/core';
import { listen } from '@session-ts/server-kit';
import { StoreError } from '@session-ts/sqlite';
import type { RpcResponse } from './rpc/handler.ts';
import { createRateLimiter } from './rpc/rate-limiter.ts';
import { createMemoryMessageStore } from './storage/memory-message-store.ts';
import type { MessageStore } from './storage/message-store.ts';
import { openSqliteMessageStore } from './storage/sqlite-message-store.ts';
import { fakeSwarm, rpcFixture, sessionUser, T0 } from './test-support/rpc-fixture.ts';

const DAY = 86_400_000;
const alice = sessionUser(1);

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://node/storage_rpc/v1', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('routes: storage_rpc envelope errors, get_stats, ping_test', async () => {
  const { node, identity } = rpcFixture();
  const status = async (r: Request, remote?: string): Promise<[number, string]> => {
    const res = await node.app.fetch(r, { remoteAddress: remote });
    return [res.status, await res.text()];
  };
  assert.deepEqual((await status(post('{nope')))[0], 400);
  assert.deepEqual(await status(post({ params: {} })), [400, 'invalid json: no `method` field']);
  assert.deepEqual(await status(post({ method: 'info' })), [
    400,
    'invalid json: no `params` field',
  ]);
  assert.deepEqual((await status(post([1, 2])))[0], 400);
  assert.deepEqual(
    (await status(post({ method: 'info', params: {} }, { 'X-Loki-Long-Poll': 'true' })))[0],
    410,
  );
  assert.deepEqual((await status(post({ method: 'info', params: {} }), '2001:db8::1'))[0], 400);
  assert.deepEqual((await status(post({ method: 'info', params: {} }), '::ffff:10.0.0.1'))[0], 200);
  const big = post(
    JSON.stringify({ method: 'info', params: { pad: 'x'.repeat(10 * 1024 * 1024) } }),
  );
  assert.equal((await status(big))[0], 413);
  const ok = await node.app.fetch(post({ method: 'info', params: {} }));
  assert.equal(ok.headers.get('content-type'), 'application/json');
  const stats = await node.app.fetch(new Request('http://node/get_stats/v1'));
  assert.deepEqual(await stats.json(), { version: '2.8.0' });
  const ping = await node.app.fetch(new Request('http://node/ping_test/v1', { method: 'POST' }));
  assert.equal(ping.status, 200);
  assert.equal(ping.headers.get('x-loki-snode-pubkey'), toBase64(identity.ed25519PublicKey));
});

test('a node without a swarm answers 503', async () => {
  const { node } = rpcFixture({ swarm: (self) => fakeSwarm(self, { ready: false }) });
  const res = await node.app.fetch(post({ method: 'info', params: {} }));
  assert.equal(res.status, 503);
});

test('rate limit: 600 at once, then 300 per second, per client address (429)', async () => {
  const { node, clock } = rpcFixture();
  const send = async (ip: string): Promise<number> =>
    (await node.app.fetch(post({ method: 'info', params: {} }), { remoteAddress: ip })).status;
  for (let i = 0; i < 600; i++) assert.equal(await send('10.0.0.1'), 200);
  assert.equal(await send('10.0.0.1'), 429);
  assert.equal(await send('10.0.0.2'), 200, 'other clients are not affected');
  clock.advance(1000);
  let allowed = 0;
  while ((await send('10.0.0.1')) === 200) allowed++;
  assert.ok(allowed >= 299 && allowed <= 301, `allowed ${allowed} after one second`);
  const off = rpcFixture({ deps: { rateLimit: false } });
  for (let i = 0; i < 700; i++) {
    const r = await off.node.app.fetch(post({ method: 'info', params: {} }), {
      remoteAddress: '10.0.0.1',
    });
    assert.equal(r.status, 200);
  }
});

test('rate limiter: bounded client map, sweep of full buckets', () => {
  const limiter = createRateLimiter({ maxClients: 3 });
  for (const ip of ['a', 'b', 'c']) assert.equal(limiter.allow(ip, 0), true);
  assert.equal(limiter.allow('d', 0), false, 'no room while every bucket is in use');
  assert.equal(limiter.allow('d', 10), true, 'after a refill the full buckets are dropped');
  assert.equal(limiter.size, 1);
  limiter.sweep(10_000);
  assert.equal(limiter.size, 0);
});

test('cleanup runs every 10 s through the scheduler and purges expired messages', async () => {
  const tasks: { ms: number; task: () => void }[] = [];
  let cancelled = false;
  const f = rpcFixture({
    deps: {
      scheduler: (ms, task) => {
        tasks.push({ ms, task });
        return () => {
          cancelled = true;
        };
      },
    },
  });
  await f.rpc('store', { pubkey: alice.pubkey, timestamp: T0, ttl: 10_000, data: 'AAAA' });
  f.node.startCleanup();
  f.node.startCleanup();
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0]?.ms, 10_000);
  tasks[0]?.task();
  assert.equal(await f.node.cleanup(), 0);
  assert.equal(f.store.stats().messages, 1);
  f.clock.advance(10_000);
  for (let i = 0; i < 2500; i++) {
    f.store.store({
      account: alice.pubkey,
      hash: `h${i}`.padEnd(43, '='),
      namespace: 0,
      timestamp: T0,
      expiry: T0 + 1,
      data: new Uint8Array(1),
    });
  }
  assert.equal(await f.node.cleanup(), 2501, 'a backlog goes in slices');
  assert.equal(f.store.stats().messages, 0);
  f.node.stop();
  assert.equal(cancelled, true);
});

test('group commit: concurrent stores share one storeMany; a failing commit fails them all', async () => {
  const inner = createMemoryMessageStore();
  const groups: number[] = [];
  let broken = false;
  const store: MessageStore = {
    ...inner,
    storeMany(messages) {
      groups.push(messages.length);
      if (broken) throw new StoreError('io', 'disk I/O error');
      return inner.storeMany(messages);
    },
  };
  const f = rpcFixture({ store });
  const send = (i: number): Promise<RpcResponse> =>
    f.rpc('store', {
      pubkey: alice.pubkey,
      timestamp: T0,
      ttl: DAY,
      data: toBase64(new Uint8Array([i])),
    });
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i)));
  assert.ok(answers.every((r) => r.status === 200));
  assert.deepEqual(groups, [10]);
  assert.equal(inner.stats().messages, 10);
  broken = true;
  const failed = await Promise.all([send(20), send(21)]);
  assert.deepEqual(
    failed.map((r) => [r.status, r.body]),
    [
      [500, 'request failed'],
      [500, 'request failed'],
    ],
  );
  assert.equal(inner.stats().messages, 10);
});

test('over a real loopback listener', async () => {
  const { node } = rpcFixture();
  const listener = await listen(node.app, { host: '127.0.0.1', port: 0 });
  try {
    const res = await fetch(`${listener.url}/storage_rpc/v1`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'store',
        params: { pubkey: alice.pubkey, timestamp: T0, ttl: DAY, data: 'AAAA' },
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(typeof ((await res.json()) as { hash?: unknown }).hash, 'string');
  } finally {
    await listener.close();
  }
});

test('kill -9: every acknowledged store is in the database after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-node-'));
  try {
    const path = join(dir, 'storage.db');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'test-support', 'store-child.ts'),
        path,
        alice.pubkey,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const acked: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        acked.push(...lines.filter((l) => l.length > 0));
        if (acked.length >= 1500 && child.exitCode === null) child.kill('SIGKILL');
      });
    });
    assert.equal(child.signalCode, 'SIGKILL');
    const store = openSqliteMessageStore({ path });
    try {
      const found = store.getExpiries(alice.pubkey, acked);
      assert.equal(
        found.size,
        acked.length,
        `${acked.length - found.size} acknowledged stores lost`,
      );
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
