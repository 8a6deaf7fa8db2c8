/**
 * The network layer on an in-process network of fake nodes: paths and guards, what each hop of
 * a path sees (privacy), a dead hop, a wrong swarm (421), a client clock 10 minutes off,
 * timeouts, cancellation, backoff, batching, pool refresh and seed pinning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  identityFromSeed,
  retrieveToSign,
  signDetached,
  toBase64,
  toHex,
  utf8,
} from '@session-ts/core';
import { batchRequest, parseBatchResults } from './batch.ts';
import { isNetworkError } from './network-error.ts';
import { createNetwork, type Network } from './network.ts';
import type { NodeInfo } from './node-info.ts';
import { CLIENT_IP, createFakeNetwork, type FakeNetwork } from './test-support/fake-network.ts';
import { createTestRng } from './test-support/test-rng.ts';

const user = identityFromSeed(new Uint8Array(32).fill(0x42));
const account = user.sessionId;

interface Setup {
  readonly fake: FakeNetwork;
  readonly network: Network;
  readonly sleeps: number[];
}

function setup(
  options: {
    seed?: number;
    clientSkewMs?: number;
    attempts?: number;
    pin?: string;
    guardsWanted?: number;
  } = {},
): Setup {
  const rng = createTestRng(options.seed ?? 1);
  const fake = createFakeNetwork({ nodeCount: 8, rng });
  const sleeps: number[] = [];
  const network = createNetwork({
    transport: fake.clientTransport(),
    seeds: [{ url: fake.seed.url, pubkey: options.pin ?? fake.seed.pubkey ?? '' }],
    clock: { now: () => Date.now() + (options.clientSkewMs ?? 0) },
    rng,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    // A small local network: upstream's 12/24 would refuse 8 nodes.
    pool: { minSize: 4, refreshAgreement: 4 },
    ...(options.guardsWanted === undefined
      ? {}
      : { paths: { guardsWanted: options.guardsWanted } }),
    timeouts: { requestMs: 2_000 },
    retry: { attempts: options.attempts ?? 4 },
  });
  return { fake, network, sleeps };
}

const store = (text: string, now = Date.now()) => ({
  pubkey: account,
  namespace: 0,
  data: toBase64(utf8(text)),
  ttl: 86_400_000,
  timestamp: now,
});

function signedRetrieve(now: number): Record<string, unknown> {
  return {
    pubkey: account,
    pubkey_ed25519: toHex(user.ed25519PublicKey),
    namespace: 0,
    timestamp: now,
    signature: toBase64(
      signDetached(user.ed25519SecretKey, retrieveToSign({ namespace: 0, timestamp: now })),
    ),
  };
}

const hostOf = (n: NodeInfo): string => `${n.ip}:${n.port}`;

test('paths: 2 guards tested with get_swarm, 3 distinct nodes each, disjoint; RPC works', async () => {
  const { fake, network } = setup();
  const answer = await network.storageRpc(account, 'store', store('hello'));
  assert.equal(answer.status, 200);
  assert.ok(fake.swarmOf(account).some((n) => n.pubkeyEd25519 === answer.node.pubkeyEd25519));
  const paths = network.paths.paths();
  assert.equal(paths.length, 2);
  const all = paths.flatMap((p) => p.nodes.map((n) => n.pubkeyEd25519));
  assert.equal(new Set(all).size, 6, 'paths share no node');
  // The client talked directly only to the seed and to guards.
  const guards = new Set(paths.map((p) => hostOf(p.nodes[0] as NodeInfo)));
  const direct = fake.net.log.filter((d) => d.from === CLIENT_IP);
  for (const d of direct) {
    if (d.path === '/json_rpc') continue;
    assert.ok(guards.has(d.to) || d.path === '/storage_rpc/v1', `${d.to} ${d.path}`);
    if (d.path === '/storage_rpc/v1') {
      const body = JSON.parse(new TextDecoder().decode(d.body)) as { method: string };
      assert.equal(body.method, 'get_swarm', 'the only direct RPC is the guard test');
    }
    if (d.path === '/onion_req/v2') assert.ok(guards.has(d.to));
    assert.equal(d.headers['user-agent'], 'WhatsApp');
  }
  // The network clock follows the nodes' `t`.
  assert.ok(network.clock.synced());
});

test('privacy: the entry sees the client only, the exit the destination only, the middle neither', async () => {
  const { fake, network } = setup({ seed: 2 });
  await network.storageRpc(account, 'store', store('warm-up'));
  fake.net.clearLog();
  fake.views.length = 0;
  const marker = 'PRIVACY-MARKER-7f3a9c';
  const answer = await network.storageRpc(account, 'store', store(marker));
  assert.equal(answer.status, 200);

  const onion = fake.net.log.filter((d) => d.path === '/onion_req/v2');
  assert.equal(onion.length, 4, 'client → entry → middle → exit → destination');
  const [toEntry, toMiddle, toExit, toDest] = onion as [
    (typeof onion)[0],
    (typeof onion)[0],
    (typeof onion)[0],
    (typeof onion)[0],
  ];
  assert.equal(toEntry.from, CLIENT_IP);
  assert.equal(toMiddle.from, toEntry.to.split(':')[0]);
  assert.equal(toExit.from, toMiddle.to.split(':')[0]);
  assert.equal(toDest.from, toExit.to.split(':')[0]);
  const destination = answer.node;
  assert.equal(toDest.to, hostOf(destination));

  const secrets = {
    client: CLIENT_IP,
    destination: destination.pubkeyEd25519,
    payload: [marker, toBase64(utf8(marker)), toHex(utf8(marker))],
  };
  /** Everything a node had: who sent it what bytes, and what it decrypted. */
  const knowledge = (host: string): string => {
    const got = fake.net.seenBy(host).map((d) => {
      const latin = Buffer.from(d.body).toString('latin1');
      return `${d.from} ${latin} ${toHex(d.body)}`;
    });
    const views = fake.views
      .filter((v) => v.node === host)
      .map((v) => `${v.from ?? ''} ${v.layerJson ?? ''} ${v.rpcBody ?? ''}`);
    return [...got, ...views].join('\n');
  };
  const sees = (host: string, what: string | string[]): boolean =>
    (Array.isArray(what) ? what : [what]).some((w) => knowledge(host).includes(w));

  assert.ok(sees(toEntry.to, secrets.client), 'the entry sees the client');
  assert.ok(!sees(toEntry.to, secrets.destination), 'the entry does not see the destination');
  assert.ok(!sees(toEntry.to, secrets.payload), 'the entry does not see the payload');

  assert.ok(!sees(toMiddle.to, secrets.client), 'the middle does not see the client');
  assert.ok(!sees(toMiddle.to, secrets.destination), 'the middle does not see the destination');
  assert.ok(!sees(toMiddle.to, secrets.payload), 'the middle does not see the payload');

  assert.ok(sees(toExit.to, secrets.destination), 'the exit sees the destination');
  assert.ok(!sees(toExit.to, secrets.client), 'the exit does not see the client');
  assert.ok(!sees(toExit.to, secrets.payload), 'the exit does not see the payload');

  assert.ok(sees(toDest.to, secrets.payload), 'the destination sees the payload');
  assert.ok(!sees(toDest.to, secrets.client), 'the destination does not see the client');
});

test('a dead hop: the relay names it, it is replaced in its path, and the request succeeds', async () => {
  // One path, so the next request must cross the dead node.
  const { fake, network, sleeps } = setup({ seed: 3, guardsWanted: 1 });
  await network.storageRpc(account, 'store', store('warm-up'));
  const [path] = network.paths.paths();
  assert.ok(path !== undefined);
  const dead = path.nodes[1] as NodeInfo;
  fake.net.setDown(hostOf(dead), true);
  fake.views.length = 0;
  const answer = await network.storageRpc(account, 'store', store('after the failure'));
  assert.equal(answer.status, 200);
  const [rebuilt] = network.paths.paths();
  assert.ok(rebuilt !== undefined && rebuilt.id === path.id, 'the same path, patched');
  assert.deepEqual(
    rebuilt.nodes.map((n) => n.pubkeyEd25519).filter((k, i) => i !== 1),
    path.nodes.map((n) => n.pubkeyEd25519).filter((k, i) => i !== 1),
  );
  assert.notEqual(
    rebuilt.nodes[1]?.pubkeyEd25519,
    dead.pubkeyEd25519,
    'the dead node was replaced',
  );
  assert.equal(new Set(rebuilt.nodes.map((n) => n.ip)).size, 3);
  assert.equal(network.pool.get(dead.pubkeyEd25519), undefined, 'and dropped from the pool');
  assert.deepEqual(sleeps, [], 'the ejection used no attempt and no backoff');
});

test('dead relays named one after another use up no attempts: a fresh client gets through', async () => {
  // One attempt only, and both non-guard hops of the only path are down: each failure names
  // a dead node, which is ejected, and the request goes on.
  const { fake, network } = setup({ seed: 5, guardsWanted: 1, attempts: 1 });
  await network.storageRpc(account, 'store', store('warm-up'));
  const [path] = network.paths.paths();
  assert.ok(path !== undefined);
  const dead = [path.nodes[1], path.nodes[2]] as NodeInfo[];
  for (const n of dead) fake.net.setDown(hostOf(n), true);
  const answer = await network.storageRpc(account, 'store', store('through the survivors'));
  assert.equal(answer.status, 200);
  for (const n of dead) assert.equal(network.pool.get(n.pubkeyEd25519), undefined);
});

test('a dead guard: requests still succeed, and its path is dropped with the guard and rebuilt', async () => {
  // One kept path, so requests keep trying it; one-off paths through other guards carry them
  // meanwhile. (The exact 3-failure rule is unit-tested on the path manager.)
  const { fake, network, sleeps } = setup({ seed: 4, guardsWanted: 1 });
  await network.storageRpc(account, 'store', store('warm-up'));
  const [path] = network.paths.paths();
  assert.ok(path !== undefined);
  const guard = path.nodes[0] as NodeInfo;
  fake.net.setDown(hostOf(guard), true);
  for (let i = 0; i < 10 && network.paths.paths().some((p) => p.id === path.id); i++) {
    const a = await network.storageRpc(account, 'store', store(`message ${i}`));
    assert.equal(a.status, 200);
  }
  assert.ok(sleeps.length >= 1 && sleeps.length <= 3, `${sleeps.length} failed attempts`);
  const after = await network.storageRpc(account, 'store', store('after'));
  assert.equal(after.status, 200);
  const paths = network.paths.paths();
  assert.equal(paths.length, 1, 'the dropped path was rebuilt');
  assert.notEqual(paths[0]?.id, path.id);
  assert.ok(!paths.some((p) => p.nodes.some((n) => n.pubkeyEd25519 === guard.pubkeyEd25519)));
  assert.equal(network.pool.get(guard.pubkeyEd25519), undefined, 'the guard left the pool');
});

test('a wrong swarm (421): the swarm from the answer is cached and the request retried', async () => {
  const { fake, network, sleeps } = setup({ seed: 5 });
  await network.storageRpc(account, 'store', store('warm-up'));
  const before = new Set(network.swarms.get(account)?.map((n) => n.pubkeyEd25519));
  fake.moveSwarms();
  fake.views.length = 0;
  const after = new Set(fake.swarmOf(account).map((n) => n.pubkeyEd25519));
  assert.ok(
    [...after].every((k) => !before.has(k)),
    'the account moved to other nodes',
  );
  const answer = await network.storageRpc(account, 'store', store('moved'));
  assert.equal(answer.status, 200);
  assert.ok(after.has(answer.node.pubkeyEd25519));
  assert.deepEqual(new Set(network.swarms.get(account)?.map((n) => n.pubkeyEd25519)), after);
  // The first attempt reached a member of the old swarm, which answered 421.
  const finals = fake.views.filter((v) => v.role === 'final').map((v) => v.node);
  const oldHosts = new Set(
    fake.nodes.filter((n) => before.has(toHex(n.identity.ed25519PublicKey))).map((n) => n.host),
  );
  assert.ok(
    finals.some((h) => oldHosts.has(h)),
    'an old swarm member was asked first',
  );
  assert.deepEqual(sleeps, [], 'a 421 is retried at once, without backoff');
});

test('a client clock 10 minutes off still signs acceptable requests with network time', async () => {
  const skew = 10 * 60_000;
  const { network } = setup({ seed: 6, clientSkewMs: skew });
  const answer = await network.storageRpc(account, 'retrieve', (now) => signedRetrieve(now));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.ok(
    Math.abs(network.clock.offsetMs() + skew) < 5_000,
    `offset ${network.clock.offsetMs()}`,
  );
  assert.ok(Math.abs(network.clock.now() - Date.now()) < 5_000);
  // Signed with the local clock instead, the node refuses it (±60 s): a value, not an error.
  const wrong = await network.storageRpc(account, 'retrieve', signedRetrieve(Date.now() + skew));
  assert.equal(wrong.status, 406);
  // A fresh client whose first request is signed also gets network time first (via get_swarm).
  const fresh = setup({ seed: 7, clientSkewMs: -skew });
  const ok = await fresh.network.storageRpc(account, 'retrieve', (now) => signedRetrieve(now));
  assert.equal(ok.status, 200);
});

test('per-request timeouts, backoff between attempts, and cancellation', async () => {
  const { fake, network, sleeps } = setup({ seed: 8 });
  await network.storageRpc(account, 'store', store('warm-up'));
  for (const n of fake.nodes) fake.net.setDelay(n.host, 300);
  const started = Date.now();
  await assert.rejects(
    network.storageRpc(account, 'store', store('slow'), { timeoutMs: 40 }),
    (e: unknown) => isNetworkError(e, 'retries-exhausted') && isNetworkError(e.cause, 'timeout'),
  );
  assert.ok(Date.now() - started < 3_000);
  assert.deepEqual(sleeps.slice(0, 3), [250, 500, 1000], 'exponential backoff');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const t0 = Date.now();
  await assert.rejects(
    network.storageRpc(account, 'store', store('cancelled'), { signal: controller.signal }),
    (e: unknown) => isNetworkError(e, 'aborted'),
  );
  assert.ok(Date.now() - t0 < 250, 'cancellation is prompt');
  await assert.rejects(
    network.storageRpc(account, 'store', store('x'), { signal: AbortSignal.abort() }),
    (e: unknown) => isNetworkError(e, 'aborted'),
  );
});

test('batch and sequence bodies run as one request; subresults in order', async () => {
  const { network } = setup({ seed: 9 });
  const answer = await network.storageRpc(
    account,
    'batch',
    (now) =>
      batchRequest([
        { method: 'store', params: store('in a batch', now) },
        { method: 'retrieve', params: signedRetrieve(now) },
      ]).params,
  );
  assert.equal(answer.status, 200);
  const results = parseBatchResults(answer.body);
  assert.deepEqual(
    results?.map((r) => r.code),
    [200, 200],
  );
  const messages = (results?.[1]?.body as { messages: { data: string }[] }).messages;
  assert.ok(messages.some((m) => m.data === toBase64(utf8('in a batch'))));
});

test('onion requests to a chosen node; pool refresh by intersection; seed pinning', async () => {
  const { fake, network } = setup({ seed: 10 });
  const target = fake.nodes[7]?.info() as NodeInfo;
  const info = await network.onionRequest(
    { kind: 'node', node: target },
    { method: 'info', params: {} },
  );
  assert.equal(info.kind, 'answer');
  assert.equal(info.kind === 'answer' ? info.status : 0, 200);
  assert.equal(await network.refreshPool(), 'nodes');
  assert.equal(network.pool.size(), 8);
  const pinned = setup({ seed: 11, pin: 'ab'.repeat(32) });
  await assert.rejects(pinned.network.storageRpc(account, 'store', store('x')), (e: unknown) =>
    isNetworkError(e, 'seed-failed'),
  );
  await assert.rejects(network.storageRpc('05zz', 'store', {}), (e: unknown) =>
    isNetworkError(e, 'invalid-input'),
  );
});
