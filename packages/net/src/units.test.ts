/**
 * The network layer's parts on their own: backoff and retries, the network clock, batch bodies,
 * node parsing, the swarm cache, the pool's intersection and failure rules, and the path
 * manager's failure counting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchRequest, parseBatchResults, sequenceRequest } from './batch.ts';
import { createNetworkClock } from './network-clock.ts';
import { NetworkError, isNetworkError } from './network-error.ts';
import { parseServiceNodeStates, parseSwarmNodes, type NodeInfo } from './node-info.ts';
import { createNodePool, intersectNodeLists } from './node-pool.ts';
import { createPathManager } from './onion-paths.ts';
import { backoffDelay, withRetries } from './retry.ts';
import { createSwarmCache } from './swarm-cache.ts';
import { createFakeNetwork } from './test-support/fake-network.ts';
import { createTestRng } from './test-support/test-rng.ts';
import type { Transport } from './transport.ts';

const node = (i: number, ip = `10.0.0.${i}`): NodeInfo => ({
  pubkeyEd25519: i.toString(16).padStart(64, '0'),
  pubkeyX25519: i.toString(16).padStart(64, 'f'),
  ip,
  port: 22021,
  swarmId: undefined,
});

test('backoff doubles and caps; withRetries gives up with the last failure as cause', async () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 500 };
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts)),
    [100, 200, 400, 500, 500],
  );
  const waits: number[] = [];
  let calls = 0;
  const failing = withRetries(
    () => {
      calls++;
      return Promise.reject(new NetworkError('timeout', `try ${calls}`));
    },
    { attempts: 3, ...opts, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
  );
  await assert.rejects(
    failing,
    (e: unknown) => isNetworkError(e, 'retries-exhausted') && isNetworkError(e.cause, 'timeout'),
  );
  assert.deepEqual(waits, [100, 200]);
  assert.equal(
    await withRetries((n) => (n < 2 ? Promise.reject(new Error('x')) : Promise.resolve(n)), {
      attempts: 3,
      ...opts,
      sleep: () => Promise.resolve(),
    }),
    2,
  );
  await assert.rejects(
    withRetries(() => Promise.reject(new NetworkError('aborted', 'stop')), {
      attempts: 5,
      ...opts,
      sleep: () => Promise.resolve(),
    }),
    (e: unknown) => isNetworkError(e, 'aborted'),
  );
});

test('the network clock follows the latest believable node time', () => {
  let local = 1_800_000_000_000;
  const clock = createNetworkClock({ now: () => local });
  assert.equal(clock.now(), local);
  assert.ok(!clock.synced());
  clock.observe('1800000000000');
  clock.observe(12345);
  assert.ok(!clock.synced(), 'strings and pre-2021 times are ignored');
  clock.observe(local - 600_000);
  assert.ok(clock.synced());
  assert.equal(clock.offsetMs(), -600_000);
  local += 1000;
  assert.equal(clock.now(), local - 600_000);
});

test('batch and sequence bodies: 1–20 subrequests, no nesting; results parsed strictly', () => {
  const r = { method: 'retrieve', params: { pubkey: 'x' } };
  assert.deepEqual(batchRequest([r]), { method: 'batch', params: { requests: [r] } });
  assert.equal(sequenceRequest([r, r]).method, 'sequence');
  for (const bad of [[], Array.from({ length: 21 }, () => r), [{ method: 'batch', params: {} }]]) {
    assert.throws(
      () => batchRequest(bad),
      (e: unknown) => isNetworkError(e, 'invalid-input'),
    );
  }
  assert.deepEqual(parseBatchResults({ results: [{ code: 200, body: { a: 1 } }] }), [
    { code: 200, body: { a: 1 } },
  ]);
  assert.equal(parseBatchResults({ results: [{ code: '200' }] }), undefined);
  assert.equal(parseBatchResults('nope'), undefined);
});

test('node lists: both upstream shapes parse; 0.0.0.0, bad keys and bad ports are dropped', () => {
  const ed = 'AB'.repeat(32);
  const x = 'cd'.repeat(32);
  const swarm = parseSwarmNodes(
    [
      { pubkey_ed25519: ed, pubkey_x25519: x, ip: '1.2.3.4', port: '22021' },
      { pubkey_ed25519: 'ef'.repeat(32), pubkey_x25519: x, ip: '0.0.0.0', port_https: 1 },
      { pubkey_ed25519: 'zz', pubkey_x25519: x, ip: '1.2.3.5', port_https: 1 },
      { pubkey_ed25519: ed, pubkey_x25519: x, ip: '1.2.3.4', port_https: 22021 },
      'junk',
    ],
    '00000000000000ff',
  );
  assert.deepEqual(swarm, [
    { pubkeyEd25519: ed.toLowerCase(), pubkeyX25519: x, ip: '1.2.3.4', port: 22021, swarmId: 255n },
  ]);
  const states = parseServiceNodeStates([
    { public_ip: '5.6.7.8', storage_port: 80, pubkey_ed25519: ed, pubkey_x25519: x },
    { public_ip: '', storage_port: 80, pubkey_ed25519: 'ef'.repeat(32), pubkey_x25519: x },
    {
      public_ip: '5.6.7.9',
      storage_port: 70000,
      pubkey_ed25519: '12'.repeat(32),
      pubkey_x25519: x,
    },
  ]);
  assert.deepEqual(
    states.map((n) => n.ip),
    ['5.6.7.8'],
  );
  assert.deepEqual(parseServiceNodeStates(null), []);
});

test('swarm cache: drops nodes, goes stale below 3 (or below a small swarm’s size)', () => {
  const cache = createSwarmCache();
  cache.set('a', [node(1), node(2), node(3), node(4)]);
  cache.dropNode('a', node(1).pubkeyEd25519);
  assert.equal(cache.get('a')?.length, 3);
  cache.dropNodeEverywhere(node(2).pubkeyEd25519);
  assert.equal(cache.get('a'), undefined, 'stale with 2 of 4 left');
  cache.set('b', [node(5), node(6)]);
  assert.equal(cache.get('b')?.length, 2, 'a swarm of 2 is not stale for being small');
  cache.dropNode('b', node(5).pubkeyEd25519);
  assert.equal(cache.get('b'), undefined);
});

test('pool: intersection by IP and port, agreement threshold, seed fallback, failure threshold', async () => {
  const a = [node(1), node(2), node(3), node(4)];
  assert.deepEqual(
    intersectNodeLists([a, [node(9, '10.0.0.2'), node(3)], [node(3), node(2)]]).map((n) => n.ip),
    ['10.0.0.2', '10.0.0.3'],
  );
  assert.deepEqual(intersectNodeLists([]), []);

  const rng = createTestRng(3);
  const fake = createFakeNetwork({ nodeCount: 6, rng });
  const answers = new Map<string, NodeInfo[]>();
  const pool = createNodePool({
    transport: fake.clientTransport(),
    seeds: [fake.seed],
    rng,
    minSize: 4,
    refreshAgreement: 5,
    sleep: () => Promise.resolve(),
    fetchFromNode: (n) => Promise.resolve(answers.get(n.pubkeyEd25519) ?? []),
  });
  await pool.ensure();
  assert.equal(pool.size(), 6);
  // Every node agrees on 5 of them: the pool becomes those 5.
  const agreed = pool.nodes().slice(0, 5);
  for (const n of pool.nodes()) answers.set(n.pubkeyEd25519, [...agreed]);
  assert.equal(await pool.refresh(), 'nodes');
  assert.equal(pool.size(), 5);
  // Lists that share only 4 (< 5) make it fall back to the seed.
  for (const [i, n] of pool.nodes().entries())
    answers.set(
      n.pubkeyEd25519,
      agreed.filter((_, j) => j !== i % 5 || j === 4),
    );
  assert.equal(await pool.refresh(), 'seed');
  assert.equal(pool.size(), 6);
  // Three failures drop a node.
  const victim = pool.nodes()[0] as NodeInfo;
  assert.equal(pool.recordFailure(victim.pubkeyEd25519, 'x'), false);
  assert.equal(pool.recordFailure(victim.pubkeyEd25519, 'x'), false);
  assert.equal(pool.recordFailure(victim.pubkeyEd25519, 'x'), true);
  assert.equal(pool.get(victim.pubkeyEd25519), undefined);
  const empty = createNodePool({ transport: fake.clientTransport(), seeds: [], rng });
  await assert.rejects(empty.ensure(), (e: unknown) => isNetworkError(e, 'seed-failed'));
  const tooSmall = createNodePool({ transport: fake.clientTransport(), seeds: [fake.seed], rng });
  await assert.rejects(tooSmall.ensure(), (e: unknown) => isNetworkError(e, 'pool-too-small'));
});

test('paths: the third failure drops the path and its guard; rebuilding restores the count', async () => {
  const rng = createTestRng(5);
  const fake = createFakeNetwork({ nodeCount: 9, rng });
  const pool = createNodePool({
    transport: fake.clientTransport(),
    seeds: [fake.seed],
    rng,
    minSize: 4,
  });
  const paths = createPathManager({
    pool,
    transport: fake.clientTransport(),
    rng,
    guardTestAccount: '05' + '00'.repeat(32),
  });
  const first = await paths.get();
  assert.equal(paths.paths().length, 2);
  const guard = first.nodes[0] as NodeInfo;
  paths.recordFailure(first, 'test');
  paths.recordFailure(first, 'test');
  assert.ok(
    paths.paths().some((p) => p.id === first.id),
    'two failures keep it',
  );
  paths.recordFailure(first, 'test');
  assert.ok(!paths.paths().some((p) => p.id === first.id), 'the third drops it');
  assert.equal(pool.get(guard.pubkeyEd25519), undefined, 'with its guard');
  // Its other nodes had three failures too (upstream counts them): gone from the pool.
  for (const n of first.nodes.slice(1)) assert.equal(pool.get(n.pubkeyEd25519), undefined);
  await paths.get();
  assert.equal(paths.paths().length, 2, 'rebuilt on the next request');
  // A node reported bad is replaced in place; a dropped guard takes its path with it.
  const [p] = paths.paths();
  assert.ok(p !== undefined);
  const middle = p.nodes[1] as NodeInfo;
  paths.dropNode(middle.pubkeyEd25519, 'not found');
  const patched = paths.paths().find((q) => q.id === p.id);
  assert.ok(patched !== undefined && patched.nodes[1]?.pubkeyEd25519 !== middle.pubkeyEd25519);
  assert.equal(patched.nodes[0], p.nodes[0]);
  paths.dropNode(p.nodes[0]?.pubkeyEd25519 ?? '', 'gone');
  assert.ok(!paths.paths().some((q) => q.id === p.id));
  // Guards that do not answer the test are not used.
  const dead = createFakeNetwork({ nodeCount: 6, rng });
  for (const n of dead.nodes) dead.net.setDown(n.host, true);
  const deadPool = createNodePool({
    transport: dead.clientTransport(),
    seeds: [dead.seed],
    rng,
    minSize: 4,
  });
  const deadPaths = createPathManager({
    pool: deadPool,
    transport: dead.clientTransport(),
    rng,
    guardTestAccount: '05' + '00'.repeat(32),
  });
  await assert.rejects(deadPaths.get(), (e: unknown) => isNetworkError(e, 'no-path'));
});

test('pool: a seed fetch goes round the seeds three times before it fails', async () => {
  const rng = createTestRng(8);
  const fake = createFakeNetwork({ nodeCount: 6, rng });
  const inner = fake.clientTransport();
  let failuresLeft = 2;
  let seedRequests = 0;
  const flaky: Transport = {
    request(target, body, options) {
      seedRequests++;
      if (failuresLeft > 0) {
        failuresLeft--;
        return Promise.reject(new Error('connection reset'));
      }
      return inner.request(target, body, options);
    },
  };
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const pool = createNodePool({ transport: flaky, seeds: [fake.seed], rng, minSize: 4, sleep });
  await pool.ensure();
  assert.equal(pool.size(), 6, 'the third round got the list');
  assert.deepEqual(sleeps, [1000, 2000]);
  assert.equal(seedRequests, 3);

  failuresLeft = 3;
  sleeps.length = 0;
  const dead = createNodePool({ transport: flaky, seeds: [fake.seed], rng, minSize: 4, sleep });
  await assert.rejects(dead.ensure(), (e: unknown) => isNetworkError(e, 'seed-failed'));
  assert.deepEqual(sleeps, [1000, 2000], 'three rounds, then it gives up');
});
