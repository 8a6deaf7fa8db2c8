/**
 * The swarm layer on its own, against fakes: node-to-node signatures (forged, stale, replayed,
 * wrong route), the swarm events a new list produces (upstream's `derive_swarm_events`), the
 * seed list parser, push batches that lie about their hashes, the peer routes' caller checks,
 * and the metrics text. Replication between real nodes is in `tests/swarm-replication.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromHex,
  identityFromSeed,
  messageHash,
  swarmSpace,
  toHex,
  utf8,
  type Identity,
} from '@session-ts/core';
import { createApp, createSilentLogger } from '@session-ts/server-kit';
import type { NodeInfo } from '../swarm-port.ts';
import { createMetrics } from '../metrics.ts';
import { PEER_ROUTES } from './http-peer-forwarder.ts';
import { checkPeerRequest, createReplayGuard, signPeerRequest } from './peer-auth.ts';
import { createPeerRoutes } from './peer-routes.ts';
import { decodePushBatch, encodePushBatch, type ReplicatedMessage } from './replication.ts';
import { parseList } from './seed-client.ts';
import { createSwarmState } from './swarm-state.ts';

const T0 = 1_700_000_000_000;
const ids: Identity[] = Array.from({ length: 6 }, (_, i) =>
  identityFromSeed(new Uint8Array(32).fill(0x10 + i)),
);
const key = (i: number): string => toHex(ids[i]!.ed25519PublicKey);
const info = (i: number, swarmId: bigint): NodeInfo => ({
  pubkeyEd25519: key(i),
  pubkeyX25519: toHex(ids[i]!.x25519PublicKey),
  ip: '127.0.0.1',
  port: 30000 + i,
  swarmId,
});
const list = (version: number, nodes: NodeInfo[]) => ({
  version,
  blockHash: version.toString(16).padStart(64, '0'),
  nodes,
});

function headersOf(record: Record<string, string>): Headers {
  return new Headers(record);
}

test('node-to-node signatures: checked key, route, body, window and replay', () => {
  const body = utf8('{"method":"store","params":{}}');
  const guard = createReplayGuard();
  const signed = signPeerRequest(ids[0]!, PEER_ROUTES.storageCc, T0, body);
  const ok = checkPeerRequest(headersOf(signed), PEER_ROUTES.storageCc, body, T0 + 1000, guard);
  assert.deepEqual(ok, { ok: true, node: key(0) });
  // The same request again is a replay.
  const again = checkPeerRequest(headersOf(signed), PEER_ROUTES.storageCc, body, T0 + 1000, guard);
  assert.equal(again.ok, false);
  // Another route, another body, another claimed key: the signature does not verify.
  const fresh = () => createReplayGuard();
  assert.equal(checkPeerRequest(headersOf(signed), PEER_ROUTES.push, body, T0, fresh()).ok, false);
  assert.equal(
    checkPeerRequest(headersOf(signed), PEER_ROUTES.storageCc, utf8('{}'), T0, fresh()).ok,
    false,
  );
  const impostor = { ...signed, 'x-session-node': key(1) };
  assert.equal(
    checkPeerRequest(headersOf(impostor), PEER_ROUTES.storageCc, body, T0, fresh()).ok,
    false,
  );
  // ±70 s (the forwarded window, network.md §1.2).
  const stale = checkPeerRequest(
    headersOf(signed),
    PEER_ROUTES.storageCc,
    body,
    T0 + 70_001,
    fresh(),
  );
  assert.deepEqual(stale.ok ? 0 : stale.status, 406);
  assert.equal(
    checkPeerRequest(headersOf(signed), PEER_ROUTES.storageCc, body, T0 - 69_000, fresh()).ok,
    true,
  );
  // Missing headers.
  const missing = checkPeerRequest(new Headers(), PEER_ROUTES.storageCc, body, T0, fresh());
  assert.deepEqual(missing.ok ? 0 : missing.status, 401);
});

test('swarm events: joined, new members, new swarms, moved, dissolved', () => {
  const s = createSwarmState(key(0));
  const A = 0n;
  const B = 1n << 63n;
  // First list: we joined swarm A; nothing to push (the members push to us).
  let e = s.update(list(1, [info(0, A), info(1, A)]));
  assert.deepEqual(e, { swarmId: A, newMembers: [], newSwarms: [], dissolved: false });
  assert.equal(s.mySwarmId(), A);
  assert.deepEqual(
    s.peers().map((n) => n.pubkeyEd25519),
    [key(1)],
  );
  // Node 2 joins A, swarm B appears with nodes 3 and 4.
  e = s.update(list(2, [info(0, A), info(1, A), info(2, A), info(3, B), info(4, B)]));
  assert.deepEqual(
    e?.newMembers.map((n) => n.pubkeyEd25519),
    [key(2)],
  );
  assert.deepEqual(e?.newSwarms, [B]);
  assert.equal(e?.dissolved, false);
  // The same version again is ignored.
  assert.equal(s.update(list(2, [])), undefined);
  // We are moved to B while A lives on: nothing to do.
  e = s.update(list(3, [info(0, B), info(1, A), info(2, A), info(3, B), info(4, B)]));
  assert.deepEqual(e, { swarmId: B, newMembers: [], newSwarms: [], dissolved: false });
  // B dissolves; we land in A: dissolved.
  e = s.update(list(4, [info(0, A), info(1, A), info(2, A)]));
  assert.equal(e?.dissolved, true);
  assert.equal(e?.swarmId, A);
  // Delisted.
  e = s.update(list(5, [info(1, A)]));
  assert.equal(e?.swarmId, undefined);
  assert.equal(s.mySwarmId(), undefined);
  assert.deepEqual(s.peers(), []);
});

test('accounts map to the nearest swarm through the view', () => {
  const s = createSwarmState(key(0));
  s.update(list(1, [info(0, 0n), info(1, 1n << 63n)]));
  const account = fromHex('05' + 'ff'.repeat(8) + '00'.repeat(24));
  // swarm space = 0xffffffffffffffff: nearest to 0 across the wrap.
  assert.equal(swarmSpace(account), (1n << 64n) - 1n);
  assert.equal(s.swarmFor(account)?.id, 0n);
  assert.deepEqual(
    s.swarmFor(account)?.nodes.map((n) => n.port),
    [30000],
  );
  assert.equal(createSwarmState(key(0)).swarmFor(account), undefined);
});

test('the seed list parser reads swarms from the hex field and skips incomplete nodes', () => {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    result: {
      height: 3,
      block_hash: 'ab',
      service_node_states: [
        {
          pubkey_ed25519: key(0),
          pubkey_x25519: key(1),
          public_ip: '10.0.0.1',
          storage_port: 1,
          swarm: '8000000000000000',
        },
        {
          pubkey_ed25519: key(1),
          pubkey_x25519: key(1),
          public_ip: '0.0.0.0',
          storage_port: 1,
          swarm: '0',
        },
        {
          pubkey_ed25519: 'zz',
          pubkey_x25519: key(1),
          public_ip: '10.0.0.2',
          storage_port: 1,
          swarm: '0',
        },
      ],
    },
  });
  const parsed = parseList(utf8(body));
  assert.ok(parsed.ok && !parsed.unchanged);
  assert.equal(parsed.list.version, 3);
  assert.deepEqual(
    parsed.list.nodes.map((n) => n.swarmId),
    [1n << 63n],
  );
  const unchanged = parseList(utf8('{"result":{"height":3,"block_hash":"ab","unchanged":true}}'));
  assert.deepEqual(unchanged, { ok: true, unchanged: true, version: 3 });
  assert.equal(parseList(utf8('nope')).ok, false);
  assert.equal(parseList(utf8('{"result":{"height":1}}')).ok, false);
});

function message(account: string, text: string, expiry = T0 + 60_000): ReplicatedMessage {
  const data = utf8(text);
  return {
    account,
    namespace: 0,
    hash: messageHash(fromHex(account), 0, data),
    timestamp: T0,
    expiry,
    data,
  };
}

test('push batches: hashes are recomputed; expired and malformed messages are dropped', () => {
  const account = '05' + '11'.repeat(32);
  const good = message(account, 'hello');
  const lying = { ...message(account, 'hello'), data: utf8('tampered') };
  const expired = message(account, 'old', T0 - 1);
  const wire = encodePushBatch([good, lying, expired], 7) as { messages: unknown[] };
  wire.messages.push({ pubkey: 'xx' }, null);
  const decoded = decodePushBatch(wire, T0);
  assert.deepEqual(
    decoded?.messages.map((m) => m.hash),
    [good.hash],
  );
  assert.equal(decoded?.rejected, 4);
  assert.equal(decodePushBatch({}, T0), undefined);
});

test('peer routes: only swarm members forward, only listed nodes push, only our accounts kept', async () => {
  const state = createSwarmState(key(0));
  const A = 0n;
  const B = 1n << 63n;
  state.update(list(1, [info(0, A), info(1, A), info(2, B)]));
  const calls: [string, unknown, boolean][] = [];
  const imported: ReplicatedMessage[] = [];
  const clock = { now: () => T0 };
  const app = createApp({
    logger: createSilentLogger(),
    routes: createPeerRoutes({
      state,
      clock,
      archive: {
        *exportAll() {},
        importMessages: (ms) => (imported.push(...ms), ms.length),
      },
      handleRpc: (method, params, { forwarded }) => {
        calls.push([method, params, forwarded]);
        return Promise.resolve({ status: 200, body: { hash: 'h' } });
      },
    }),
  });
  let t = T0;
  const send = (from: number, route: string, body: unknown) => {
    const bytes = utf8(JSON.stringify(body));
    return app.fetch(
      new Request(`http://node${route}`, {
        method: 'POST',
        headers: signPeerRequest(ids[from]!, route, t++, bytes),
        body: bytes,
      }),
    );
  };
  const cc = await send(1, PEER_ROUTES.storageCc, { method: 'store', params: { a: 1 } });
  assert.equal(cc.status, 200);
  assert.deepEqual(await cc.json(), { hash: 'h' });
  assert.deepEqual(calls, [['store', { a: 1 }, true]]);
  assert.equal((await send(2, PEER_ROUTES.storageCc, { method: 'store', params: {} })).status, 403);
  assert.equal((await send(5, PEER_ROUTES.storageCc, { method: 'store', params: {} })).status, 403);
  assert.equal((await send(1, PEER_ROUTES.storageCc, { method: 3 })).status, 400);

  // Accounts: one mapping to A (swarm space 0), one to B (2^63).
  const toA = '05' + '00'.repeat(32);
  const toB = '05' + '80' + '00'.repeat(31);
  const batch = encodePushBatch([message(toA, 'a'), message(toB, 'b')], 1);
  const pushed = await send(2, PEER_ROUTES.push, batch);
  assert.equal(pushed.status, 200);
  assert.deepEqual(await pushed.json(), { stored: 1, ignored: 1 });
  assert.deepEqual(
    imported.map((m) => m.account),
    [toA],
  );
  assert.equal((await send(5, PEER_ROUTES.push, batch)).status, 403);
  // A sender with a newer list: 503 until we catch up.
  assert.equal((await send(1, PEER_ROUTES.push, encodePushBatch([], 2))).status, 503);
});

test('metrics: Prometheus text with requests by method and status, counters and gauges', () => {
  const m = createMetrics([
    { name: 'session_stored_messages', help: 'Messages stored', type: 'gauge', read: () => 42 },
    { name: 'session_pushed_total', help: 'Pushed', type: 'counter', read: () => 7 },
  ]);
  m.countRequest('store', 200);
  m.countRequest('store', 200);
  m.countRequest('retrieve', 401);
  m.countRequest('../../etc', 400);
  m.add('session_replication_received_messages_total', 5);
  const text = m.render();
  assert.match(text, /^# TYPE session_rpc_requests_total counter$/m);
  assert.match(text, /^session_rpc_requests_total\{method="store",status="200"\} 2$/m);
  assert.match(text, /^session_rpc_requests_total\{method="retrieve",status="401"\} 1$/m);
  assert.match(text, /^session_rpc_requests_total\{method="other",status="400"\} 1$/m);
  assert.match(text, /^session_replication_received_messages_total 5$/m);
  assert.match(text, /^# TYPE session_pushed_total counter\nsession_pushed_total 7$/m);
  assert.match(text, /^# TYPE session_stored_messages gauge\nsession_stored_messages 42$/m);
  assert.equal(m.route().path, '/metrics');
});
