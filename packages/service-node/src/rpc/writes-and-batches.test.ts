/**
 * Contract tests of the other methods (network.md §1.3): delete, delete_all, delete_before,
 * expire, expire_all, get_expiries, revocations, batch and sequence, forwarding to swarm
 * peers with one signed result per node, and the informational methods.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deleteAllResultToSign,
  deleteAllToSign,
  deleteBeforeToSign,
  deleteResultToSign,
  deleteToSign,
  expireAllToSign,
  expireResultToSign,
  expireToSign,
  fromBase64,
  getExpiriesToSign,
  identityFromSeed,
  revokedSubaccountsToSign,
  revokeSubaccountToSign,
  retrieveToSign,
  toBase64,
  unrevokeSubaccountToSign,
  verifyDetached,
} from '@session-ts/core';
import { createMemoryMessageStore } from '../storage/memory-message-store.ts';
import type { PeerForwarder } from '../swarm-port.ts';
import {
  fakeSwarm,
  groupAccount,
  nodeInfo,
  bodyText,
  rpcFixture,
  sessionUser,
  subaccount,
  T0,
  type RpcFixture,
  type TestUser,
} from '../test-support/rpc-fixture.ts';

const SECOND = 1000;
const DAY = 86_400_000;
const alice = sessionUser(1);
const bob = sessionUser(2);

type Entry = Record<string, unknown>;

/** Stores `n` messages through the RPC (public inbox, so unsigned); returns the hashes. */
async function seed(f: RpcFixture, user: TestUser, n: number, ns = 0, ts = T0): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await f.rpc('store', {
      pubkey: user.pubkey,
      namespace: ns,
      timestamp: ts,
      ttl: DAY,
      data: toBase64(new Uint8Array([i, 1, 2, 3])),
    });
    out.push(String(f.json(r)['hash']));
  }
  return out;
}

function mine(f: RpcFixture, body: Entry): Entry {
  return (body['swarm'] as Record<string, Entry>)[f.self.pubkeyEd25519] ?? {};
}

function signedBy(f: RpcFixture, entry: Entry, message: Uint8Array): boolean {
  return verifyDetached(
    fromBase64(String(entry['signature'])),
    message,
    f.identity.ed25519PublicKey,
  );
}

describe('delete family', () => {
  test('delete: only signed requests, sorted result, node signature, required → 404', async () => {
    const f = rpcFixture();
    const hashes = await seed(f, alice, 3);
    const req = (messages: string[], user: TestUser = alice, extra = {}): Entry => ({
      ...alice.auth,
      messages,
      signature: user.sign(deleteToSign({ messages })),
      ...extra,
    });
    assert.equal((await f.rpc('delete', req([hashes[0] as string], bob))).status, 401, 'forged');
    const asked = [hashes[2] as string, hashes[0] as string];
    const r = await f.rpc('delete', req(asked));
    assert.equal(r.status, 200);
    const entry = mine(f, f.json(r));
    const deleted = [...asked].sort();
    assert.deepEqual(entry['deleted'], deleted);
    assert.ok(
      signedBy(f, entry, deleteResultToSign({ account: alice.pubkey, requested: asked, deleted })),
    );
    const none = await f.rpc('delete', req(asked, alice, { required: true }));
    assert.equal(none.status, 404);
    assert.equal((await f.rpc('delete', req(asked))).status, 200, 'without required: 200');
    assert.equal((await f.rpc('delete', { ...req(asked), messages: ['nope'] })).status, 400);
  });

  test('delete_all: per namespace and "all", ±60 s, ±70 s when forwarded', async () => {
    const f = rpcFixture();
    await seed(f, alice, 2, 0);
    const req = (ns: number | 'all', ts: number): Entry => ({
      ...alice.auth,
      namespace: ns,
      timestamp: ts,
      signature: alice.sign(deleteAllToSign({ namespace: ns, timestamp: ts })),
    });
    const stale = req(0, T0 - 65 * SECOND);
    assert.equal((await f.rpc('delete_all', stale)).status, 406);
    assert.equal((await f.rpc('delete_all', stale, true)).status, 200, 'forwarded: ±70 s');
    assert.equal((await f.rpc('delete_all', req(0, T0 - 71 * SECOND), true)).status, 406);
    const hashes = await seed(f, alice, 2, 0);
    await f.rpc('store', {
      pubkey: alice.pubkey,
      namespace: 10,
      timestamp: T0,
      ttl: DAY,
      data: 'AAAA',
    });
    const r = f.json(await f.rpc('delete_all', req('all', T0)));
    const entry = mine(f, r);
    const deleted = entry['deleted'] as Record<string, string[]>;
    assert.deepEqual(Object.keys(deleted).sort(), ['0', '10']);
    assert.deepEqual(deleted['0'], [...hashes].sort());
    assert.ok(
      signedBy(f, entry, deleteAllResultToSign({ account: alice.pubkey, timestamp: T0, deleted })),
    );
    const forged = {
      ...req('all', T0),
      signature: bob.sign(deleteAllToSign({ namespace: 'all', timestamp: T0 })),
    };
    assert.equal((await f.rpc('delete_all', forged)).status, 401);
  });

  test('delete_before: at most a minute ahead (401 beyond), deletes older messages', async () => {
    const f = rpcFixture();
    const old = await seed(f, alice, 1, 0, T0 - 5000);
    const req = (before: number): Entry => ({
      ...alice.auth,
      before,
      signature: alice.sign(deleteBeforeToSign({ namespace: 0, before })),
    });
    assert.equal((await f.rpc('delete_before', req(T0 + 61 * SECOND))).status, 401);
    const r = f.json(await f.rpc('delete_before', req(T0 - 1000)));
    assert.deepEqual(mine(f, r)['deleted'], old);
  });
});

describe('expiries', () => {
  test('expire: shorten/extend/unchanged, 30-day cap, past expiry → 401, signed result', async () => {
    const f = rpcFixture();
    const [a, b] = await seed(f, alice, 2);
    const req = (
      messages: string[],
      expiry: number | number[],
      mode?: 'shorten' | 'extend',
    ): Entry => ({
      ...alice.auth,
      messages,
      expiry,
      ...(mode === undefined ? {} : { [mode]: true }),
      signature: alice.sign(expireToSign({ mode, expiry, messages })),
    });
    const list = [a as string, b as string];
    const ext = f.json(await f.rpc('expire', req(list, T0 + 40 * DAY, 'extend')));
    const e1 = mine(f, ext);
    assert.equal(e1['expiry'], T0 + 30 * DAY, 'capped at now + 30 days');
    assert.deepEqual(e1['updated'], [...list].sort());
    assert.deepEqual(e1['unchanged'], {});
    assert.ok(
      signedBy(
        f,
        e1,
        expireResultToSign({
          account: alice.pubkey,
          expiry: T0 + 30 * DAY,
          requested: list,
          updated: [...list].sort(),
          unchanged: {},
        }),
      ),
    );
    const sh = mine(f, f.json(await f.rpc('expire', req([a as string], T0 + 40 * DAY, 'shorten'))));
    assert.deepEqual(sh['updated'], []);
    assert.deepEqual(sh['unchanged'], { [a as string]: T0 + 30 * DAY });
    const per = mine(f, f.json(await f.rpc('expire', req(list, [T0 + DAY, T0 + 2 * DAY]))));
    const order = [...list].sort();
    assert.deepEqual(per['updated'], order);
    assert.deepEqual(
      per['expiry'],
      order.map((h) => (h === a ? T0 + DAY : T0 + 2 * DAY)),
    );
    assert.equal(per['unchanged'], undefined);
    assert.equal((await f.rpc('expire', req(list, T0 - 61 * SECOND))).status, 401);
    assert.equal((await f.rpc('expire', req(list, [T0 + DAY]))).status, 200);
    assert.equal(
      (await f.rpc('expire', { ...req(list, T0 + DAY), shorten: true, extend: true })).status,
      400,
    );
    assert.equal(
      (await f.rpc('expire', { ...req(list, T0 + DAY), expiry: [T0, T0, T0] })).status,
      400,
    );
  });

  test('expire with a Write-only subaccount extends only; shorten is 400', async () => {
    const f = rpcFixture();
    const group = groupAccount(60);
    const r0 = await f.rpc('store', {
      pubkey: group.pubkey,
      namespace: 0,
      timestamp: T0,
      ttl: DAY,
      data: 'AAAA',
    });
    const hash = String(f.json(r0)['hash']);
    const writer = subaccount(group, 61, ['write']);
    const req = (expiry: number, mode?: 'shorten' | 'extend'): Entry => ({
      pubkey: group.pubkey,
      messages: [hash],
      expiry,
      ...(mode === undefined ? {} : { [mode]: true }),
      ...writer.fields,
      signature: writer.sign(expireToSign({ mode, expiry, messages: [hash] })),
    });
    assert.equal((await f.rpc('expire', req(T0 + 1000, 'shorten'))).status, 400);
    const implicit = mine(f, f.json(await f.rpc('expire', req(T0 + 1000))));
    assert.deepEqual(implicit['updated'], [], 'shortening refused silently: extend only');
    const longer = mine(f, f.json(await f.rpc('expire', req(T0 + 2 * DAY))));
    assert.deepEqual(longer['updated'], [hash]);
  });

  test('expire_all shortens only; get_expiries lists existing and "all"', async () => {
    const f = rpcFixture();
    const hashes = await seed(f, alice, 2);
    const exp = T0 + 1000;
    const all = (ns: number | 'all', expiry: number): Entry => ({
      ...alice.auth,
      namespace: ns,
      expiry,
      signature: alice.sign(expireAllToSign({ namespace: ns, expiry })),
    });
    assert.equal((await f.rpc('expire_all', all(0, T0 - 61 * SECOND))).status, 406);
    const r = mine(f, f.json(await f.rpc('expire_all', all(0, exp))));
    assert.deepEqual(r['updated'], [...hashes].sort());
    const again = mine(f, f.json(await f.rpc('expire_all', all('all', T0 + DAY))));
    assert.deepEqual(again['updated'], {}, 'never extends');
    const get = (messages: string[], ts = T0): Entry => ({
      ...alice.auth,
      messages,
      timestamp: ts,
      signature: alice.sign(getExpiriesToSign({ timestamp: ts, messages })),
    });
    const missing = 'A'.repeat(43);
    const listed = f.json(await f.rpc('get_expiries', get([hashes[0] as string, missing])));
    assert.deepEqual(listed['expiries'], { [hashes[0] as string]: exp });
    const everything = f.json(await f.rpc('get_expiries', get(['all'])));
    assert.equal(Object.keys(everything['expiries'] as object).length, 2);
    assert.equal((await f.rpc('get_expiries', get(['all'], T0 - 61 * SECOND))).status, 406);
  });
});

describe('revocations', () => {
  test('revoke, list, unrevoke: account key only, 50 per request', async () => {
    const f = rpcFixture();
    const group = groupAccount(70);
    const member = subaccount(group, 71, ['read']);
    const revoke = (tokens: Uint8Array[], signer = group.sign): Entry => ({
      pubkey: group.pubkey,
      timestamp: T0,
      revoke: tokens.map(toBase64),
      signature: signer(revokeSubaccountToSign({ timestamp: T0, tokens })),
    });
    assert.equal(
      (await f.rpc('revoke_subaccount', revoke([member.token], member.sign))).status,
      401,
    );
    assert.equal(
      (
        await f.rpc('revoke_subaccount', {
          ...revoke([member.token], member.sign),
          ...member.fields,
        })
      ).status,
      401,
      'a subaccount may not revoke',
    );
    assert.equal((await f.rpc('revoke_subaccount', revoke([member.token]))).status, 200);
    const read = {
      ...member.fields,
      pubkey: group.pubkey,
      namespace: 11,
      timestamp: T0,
      signature: member.sign(retrieveToSign({ namespace: 11, timestamp: T0 })),
    };
    assert.equal((await f.rpc('retrieve', read)).status, 401, 'revoked');
    const list = f.json(
      await f.rpc('revoked_subaccounts', {
        pubkey: group.pubkey,
        timestamp: T0,
        signature: group.sign(revokedSubaccountsToSign({ timestamp: T0 })),
      }),
    );
    assert.deepEqual(list['revoked_subaccounts'], [toBase64(member.token)]);
    const tokens = [member.token];
    const un = f.json(
      await f.rpc('unrevoke_subaccount', {
        pubkey: group.pubkey,
        timestamp: T0,
        unrevoke: tokens.map((t) => Buffer.from(t).toString('hex')),
        signature: group.sign(unrevokeSubaccountToSign({ timestamp: T0, tokens })),
      }),
    );
    assert.equal(mine(f, un)['count'], 1);
    assert.equal((await f.rpc('retrieve', read)).status, 200);
    const many = Array.from({ length: 51 }, (_, i) => new Uint8Array(36).fill(i));
    const tooMany = { ...revoke(many.slice(0, 50)), revoke: many.map(toBase64) };
    assert.equal((await f.rpc('revoke_subaccount', tooMany)).status, 400);
  });
});

describe('batch and sequence', () => {
  const info = { method: 'info', params: {} };
  const bad = { method: 'retrieve', params: { pubkey: alice.pubkey } }; // 401: no signature

  test('1–20 subrequests, results in order, no nesting, malformed → 400 for all', async () => {
    const f = rpcFixture();
    assert.equal((await f.rpc('batch', { requests: [] })).status, 400);
    assert.equal((await f.rpc('batch', { requests: Array(21).fill(info) })).status, 400);
    assert.equal((await f.rpc('batch', { requests: Array(20).fill(info) })).status, 200);
    assert.equal(
      (await f.rpc('batch', { requests: [{ method: 'batch', params: { requests: [info] } }] }))
        .status,
      400,
    );
    assert.equal(
      (await f.rpc('sequence', { requests: [{ method: 'nope', params: {} }] })).status,
      400,
    );
    assert.equal(
      (await f.rpc('batch', { requests: [info, { method: 'store', params: {} }] })).status,
      400,
    );
    const r = f.json(await f.rpc('batch', { requests: [bad, info, bad] }));
    const results = r['results'] as { code: number; body: unknown }[];
    assert.deepEqual(
      results.map((x) => x.code),
      [401, 200, 401],
    );
    assert.equal(typeof results[0]?.body, 'string');
    assert.equal((results[1]?.body as Entry)['timestamp'], T0);
    assert.equal(r['t'], T0);
  });

  test('sequence stops after the first answer outside 2xx', async () => {
    const f = rpcFixture();
    const r = f.json(await f.rpc('sequence', { requests: [info, bad, info] }));
    assert.deepEqual(
      (r['results'] as { code: number }[]).map((x) => x.code),
      [200, 401],
    );
  });

  test('a batch of stores writes each one', async () => {
    const f = rpcFixture();
    const store = (i: number): Entry => ({
      method: 'store',
      params: {
        pubkey: alice.pubkey,
        timestamp: T0,
        ttl: DAY,
        data: toBase64(new Uint8Array([i])),
      },
    });
    const r = f.json(
      await f.rpc('batch', { requests: Array.from({ length: 20 }, (_, i) => store(i)) }),
    );
    assert.ok((r['results'] as { code: number }[]).every((x) => x.code === 200));
    assert.equal(f.store.stats().messages, 20);
  });
});

describe('forwarding to swarm peers', () => {
  test('each peer answers for itself; failures are marked; the entry node forwards once', async () => {
    const peerA = identityFromSeed(new Uint8Array(32).fill(201));
    const peerB = identityFromSeed(new Uint8Array(32).fill(202));
    const peerC = identityFromSeed(new Uint8Array(32).fill(203));
    const peers = [
      nodeInfo(peerA, 30001, 1n),
      nodeInfo(peerB, 30002, 1n),
      nodeInfo(peerC, 30003, 1n),
    ];
    // Peer A is a real node (in-process): the forwarded copy runs through its handleRpc.
    const a = rpcFixture({ swarm: (self) => fakeSwarm(self) });
    const calls: string[] = [];
    const forwarder: PeerForwarder = {
      async forward(peer, method, params) {
        calls.push(`${peer.port} ${method}`);
        if (peer.port === 30001) {
          const r = await a.node.handleRpc(method, params, { forwarded: true });
          return r.status === 200
            ? { ok: true, body: r.body }
            : { ok: false, code: r.status, reason: bodyText(r) };
        }
        if (peer.port === 30002) return { ok: false, timeout: true };
        throw new Error('connection refused');
      },
    };
    const f = rpcFixture({ forwarder, swarm: (self) => fakeSwarm(self, { peers }) });
    const r = await f.rpc('store', { pubkey: alice.pubkey, timestamp: T0, ttl: DAY, data: 'AAAA' });
    assert.equal(r.status, 200);
    assert.deepEqual(calls.sort(), ['30001 store', '30002 store', '30003 store']);
    const swarm = f.json(r)['swarm'] as Record<string, Entry>;
    assert.equal(Object.keys(swarm).length, 4);
    const fromA = swarm[peers[0]?.pubkeyEd25519 ?? ''] ?? {};
    assert.equal(fromA['hash'], f.json(r)['hash']);
    assert.equal(fromA['t'], undefined, 'a forwarded answer is the node result alone');
    assert.deepEqual(swarm[peers[1]?.pubkeyEd25519 ?? ''], { failed: true, timeout: true });
    assert.deepEqual(swarm[peers[2]?.pubkeyEd25519 ?? ''], {
      failed: true,
      bad_peer_response: true,
    });
    assert.equal(a.store.stats().messages, 1, 'peer A applied the write');

    // A forwarded request is applied but never forwarded again; reads are not forwardable.
    calls.length = 0;
    const fwd = await f.rpc(
      'store',
      { pubkey: alice.pubkey, timestamp: T0, ttl: DAY, data: 'AAAB' },
      true,
    );
    assert.equal(fwd.status, 200);
    assert.equal(calls.length, 0);
    assert.equal((await f.rpc('info', {}, true)).status, 400);
  });

  test('500 when every node failed', async () => {
    const peer = nodeInfo(identityFromSeed(new Uint8Array(32).fill(204)), 30004, 1n);
    const f = rpcFixture({
      store: createMemoryMessageStore({ maxBytes: 10 }),
      forwarder: { forward: () => Promise.resolve({ ok: false, code: 500, reason: 'full' }) },
      swarm: (self) => fakeSwarm(self, { peers: [peer] }),
    });
    const r = await f.rpc('store', { pubkey: alice.pubkey, timestamp: T0, ttl: DAY, data: 'AAAA' });
    assert.equal(r.status, 500);
    const swarm = f.json(r)['swarm'] as Record<string, Entry>;
    assert.deepEqual(swarm[f.self.pubkeyEd25519], { failed: true, query_failure: true });
    assert.deepEqual(swarm[peer.pubkeyEd25519], { failed: true, code: 500, reason: 'full' });
  });
});

describe('informational methods', () => {
  test('info, get_swarm (and its alias), oxend_request, unknown methods', async () => {
    const f = rpcFixture();
    const info = f.json(await f.rpc('info', {}));
    assert.deepEqual(info, { version: [2, 8, 0], timestamp: T0, t: T0, hf: [19, 4] });
    for (const name of ['get_swarm', 'get_snodes_for_pubkey']) {
      const s = f.json(await f.rpc(name, { pubKey: alice.pubkey }));
      assert.equal(s['swarm'], '0000000000000001');
      const nodes = s['snodes'] as Entry[];
      assert.equal(nodes[0]?.['pubkey_ed25519'], f.self.pubkeyEd25519);
      assert.equal(nodes[0]?.['port'], '30000');
      assert.equal(nodes[0]?.['port_https'], 30000);
      assert.match(
        String(nodes[0]?.['address']),
        /^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}\.snode$/,
      );
    }
    assert.equal(
      (await f.rpc('get_swarm', { pubkey: alice.pubkey, pubKey: alice.pubkey })).status,
      400,
    );
    const sn = f.json(
      await f.rpc('oxend_request', {
        endpoint: 'get_service_nodes',
        params: { active_only: true, limit: 1 },
      }),
    );
    const states = (sn['result'] as { service_node_states: Entry[] }).service_node_states;
    assert.equal(states.length, 1);
    assert.deepEqual(
      Object.keys(states[0] ?? {}).filter((k) =>
        ['public_ip', 'storage_port', 'pubkey_x25519', 'pubkey_ed25519'].includes(k),
      ).length,
      4,
    );
    assert.equal(
      (await f.rpc('oxend_request', { endpoint: 'ons_resolve', params: {} })).status,
      400,
    );
    assert.equal((await f.rpc('oxend_request', { endpoint: 'get_info' })).status, 400);
    const unknown = await f.rpc('frobnicate', {});
    assert.deepEqual([unknown.status, unknown.body], [400, 'no method frobnicate']);
    assert.equal((await f.rpc('info', [])).status, 400);
  });
});
