/**
 * Contract tests of `store` and `retrieve` (network.md §1.2–§1.4, §12.5–§12.7): signatures
 * (forged, replayed outside the window, wrong account), namespace classes, TTL and size
 * bounds, duplicates, paging, the wrong swarm, and subaccounts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromBase64,
  fromHex,
  messageHash,
  retrieveToSign,
  storeResultToSign,
  storeToSign,
  toBase64,
  verifyDetached,
} from '@session-ts/core';
import {
  fakeSwarm,
  groupAccount,
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

function data(n: number, fill = 7): string {
  return toBase64(new Uint8Array(n).fill(fill));
}

/** Store params; `sign` adds a signature by `signer` (default the account itself). */
function storeParams(
  user: TestUser,
  o: {
    ns?: number;
    body?: string;
    ttl?: number;
    timestamp?: number;
    sign?: boolean;
    signer?: TestUser;
    sigTimestamp?: number;
    extra?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const timestamp = o.timestamp ?? T0;
  const p: Record<string, unknown> = {
    pubkey: user.pubkey,
    timestamp,
    ttl: o.ttl ?? DAY,
    data: o.body ?? data(32),
    ...(o.ns === undefined ? {} : { namespace: o.ns }),
  };
  if (o.sign === true) {
    const signer = o.signer ?? user;
    const sigTs = o.sigTimestamp ?? timestamp;
    Object.assign(
      p,
      user.auth,
      signer === user ? {} : { pubkey_ed25519: signer.auth['pubkey_ed25519'] },
    );
    p['sig_timestamp'] = sigTs;
    p['signature'] = signer.sign(storeToSign({ namespace: o.ns ?? 0, sigTimestamp: sigTs }));
  }
  return { ...p, ...o.extra };
}

function retrieveParams(
  user: TestUser,
  o: {
    ns?: number;
    timestamp?: number;
    signer?: (m: Uint8Array) => string;
    extra?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const timestamp = o.timestamp ?? T0;
  const ns = o.ns ?? 0;
  const sign = o.signer ?? user.sign;
  return {
    ...user.auth,
    ...(o.ns === undefined ? {} : { namespace: ns }),
    timestamp,
    signature: sign(retrieveToSign({ namespace: ns, timestamp })),
    ...o.extra,
  };
}

async function retrieveHashes(
  f: RpcFixture,
  user: TestUser,
  ns = 0,
  extra = {},
): Promise<string[]> {
  const r = await f.rpc('retrieve', retrieveParams(user, { ns, extra }));
  assert.equal(r.status, 200, bodyText(r));
  return (f.json(r)['messages'] as { hash: string }[]).map((m) => m.hash);
}

describe('store', () => {
  test('a public-inbox store needs no auth; each node signs the hash string', async () => {
    const f = rpcFixture();
    const r = await f.rpc('store', storeParams(alice, { body: data(64) }));
    assert.equal(r.status, 200);
    const body = f.json(r);
    const hash = messageHash(fromHex(alice.pubkey), 0, new Uint8Array(64).fill(7));
    assert.equal(body['hash'], hash, 'deprecated top-level hash');
    assert.equal(body['t'], T0);
    assert.deepEqual(body['hf'], [19, 4]);
    const swarm = body['swarm'] as Record<string, Record<string, unknown>>;
    const mine = swarm[f.self.pubkeyEd25519] ?? {};
    assert.equal(mine['hash'], hash);
    assert.equal(mine['expiry'], T0 + DAY);
    assert.equal(mine['already'], undefined);
    assert.ok(
      verifyDetached(
        fromBase64(String(mine['signature'])),
        storeResultToSign(hash),
        f.identity.ed25519PublicKey,
      ),
    );
    const got = await f.rpc('retrieve', retrieveParams(alice));
    const msgs = f.json(got)['messages'] as Record<string, unknown>[];
    assert.deepEqual(msgs, [{ hash, timestamp: T0, expiration: T0 + DAY, data: data(64) }]);
    assert.equal(f.json(got)['more'], false);
    assert.equal(f.json(got)['t'], T0);
  });

  test('a duplicate is stored once, says already, keeps its place and only extends', async () => {
    const f = rpcFixture();
    const a = storeParams(alice, { body: data(10, 1) });
    await f.rpc('store', a);
    await f.rpc('store', storeParams(alice, { body: data(10, 2) }));
    const again = f.json(await f.rpc('store', { ...a, ttl: 2 * DAY }));
    const mine = (again['swarm'] as Record<string, Record<string, unknown>>)[f.self.pubkeyEd25519];
    assert.equal(mine?.['already'], true);
    assert.equal(mine?.['expiry'], T0 + 2 * DAY);
    const shorter = f.json(await f.rpc('store', { ...a, ttl: DAY / 2 }));
    const m2 = (shorter['swarm'] as Record<string, Record<string, unknown>>)[f.self.pubkeyEd25519];
    assert.equal(m2?.['expiry'], T0 + 2 * DAY, 'a shorter expiry does not move it back');
    const hashes = await retrieveHashes(f, alice);
    assert.equal(hashes.length, 2);
    assert.equal(hashes[0], String(again['hash']), 'the duplicate kept its original position');
  });

  test('TTL bounds: 10 s to 14 days in a public inbox, 30 days elsewhere (403)', async () => {
    const f = rpcFixture();
    const status = async (p: Record<string, unknown>): Promise<number> =>
      (await f.rpc('store', p)).status;
    assert.equal(await status(storeParams(alice, { ttl: 10 * SECOND - 1 })), 403);
    assert.equal(await status(storeParams(alice, { ttl: 10 * SECOND })), 200);
    assert.equal(await status(storeParams(alice, { ttl: 14 * DAY, body: data(3) })), 200);
    assert.equal(await status(storeParams(alice, { ttl: 14 * DAY + 1 })), 403);
    assert.equal(await status(storeParams(alice, { ns: 2, ttl: 30 * DAY, sign: true })), 200);
    assert.equal(await status(storeParams(alice, { ns: 2, ttl: 30 * DAY + 1, sign: true })), 403);
    // `expiry` instead of `ttl`; both at once is malformed.
    const byExpiry = { ...storeParams(alice, { body: data(5) }), ttl: undefined, expiry: T0 + DAY };
    assert.equal(await status(byExpiry), 200);
    assert.equal(await status({ ...byExpiry, ttl: DAY }), 400);
    const r = await f.rpc('store', { ...byExpiry, expiry: undefined });
    assert.equal(r.status, 400);
    assert.match(bodyText(r), /'expiry' or 'ttl'/);
    // Stringified timestamp and ttl are accepted, as upstream does for old clients.
    assert.equal(
      await status(
        storeParams(alice, { body: data(6), extra: { timestamp: String(T0), ttl: String(DAY) } }),
      ),
      200,
    );
  });

  test('timestamps: at most 10 s ahead, expiry at most 10 s past, else 406', async () => {
    const f = rpcFixture();
    const status = async (p: Record<string, unknown>): Promise<number> =>
      (await f.rpc('store', p)).status;
    assert.equal(await status(storeParams(alice, { timestamp: T0 + 10 * SECOND })), 200);
    assert.equal(await status(storeParams(alice, { timestamp: T0 + 10 * SECOND + 1 })), 406);
    assert.equal(
      await status(storeParams(alice, { timestamp: T0 - DAY, ttl: DAY - 11 * SECOND })),
      406,
    );
    assert.equal(
      await status(
        storeParams(alice, { timestamp: T0 - DAY, ttl: DAY - 9 * SECOND, body: data(9) }),
      ),
      200,
    );
  });

  test('data: at most 76,800 bytes (400 beyond), base64 only', async () => {
    const f = rpcFixture();
    assert.equal((await f.rpc('store', storeParams(alice, { body: data(76_800) }))).status, 200);
    const big = await f.rpc('store', storeParams(alice, { body: data(76_801) }));
    assert.equal(big.status, 400);
    assert.match(
      bodyText(big),
      /^invalid request: Message body exceeds maximum allowed length of 76800 bytes/,
    );
    assert.equal((await f.rpc('store', storeParams(alice, { body: 'not base64!' }))).status, 400);
    assert.equal(
      (await f.rpc('store', storeParams(alice, { extra: { data: undefined } }))).status,
      400,
    );
  });

  test('a private namespace needs a valid, current signature by the account', async () => {
    const f = rpcFixture();
    const unsigned = await f.rpc('store', storeParams(alice, { ns: 2 }));
    assert.equal(unsigned.status, 401, '§12.5: no signature → 401');
    assert.match(bodyText(unsigned), /signature required to store to namespace 2/);
    assert.equal((await f.rpc('store', storeParams(alice, { ns: 2, sign: true }))).status, 200);
    // Forged: signed by bob for alice's account, with bob's Ed25519 key.
    assert.equal(
      (await f.rpc('store', storeParams(alice, { ns: 2, sign: true, signer: bob, body: data(2) })))
        .status,
      401,
    );
    // Forged: bob's signature under alice's own pubkey_ed25519.
    const forged = storeParams(alice, { ns: 2, sign: true, body: data(3) });
    forged['signature'] = bob.sign(storeToSign({ namespace: 2, sigTimestamp: T0 }));
    assert.equal((await f.rpc('store', forged)).status, 401);
    // A signature over another namespace does not carry over.
    const moved = { ...storeParams(alice, { ns: 2, sign: true, body: data(4) }), namespace: 3 };
    assert.equal((await f.rpc('store', moved)).status, 401);
    // 05 without pubkey_ed25519 cannot verify.
    const noEd = {
      ...storeParams(alice, { ns: 2, sign: true, body: data(5) }),
      pubkey_ed25519: undefined,
    };
    assert.equal((await f.rpc('store', noEd)).status, 401);
    // Replayed outside the ±60 s window.
    f.clock.advance(60 * SECOND);
    assert.equal(
      (await f.rpc('store', storeParams(alice, { ns: 2, sign: true, body: data(6) }))).status,
      200,
    );
    f.clock.advance(1);
    const old = await f.rpc('store', storeParams(alice, { ns: 2, sign: true, body: data(7) }));
    assert.equal(old.status, 406);
    assert.match(bodyText(old), /too far from current time/);
  });

  test('public outbox: owner-only store, one message, anyone retrieves', async () => {
    const f = rpcFixture();
    assert.equal((await f.rpc('store', storeParams(alice, { ns: -21 }))).status, 401);
    await f.rpc('store', storeParams(alice, { ns: -21, sign: true, body: data(8, 1) }));
    const second = f.json(
      await f.rpc('store', storeParams(alice, { ns: -21, sign: true, body: data(8, 2) })),
    );
    const r = await f.rpc('retrieve', { pubkey: alice.pubkey, namespace: -21 });
    assert.equal(r.status, 200);
    assert.deepEqual(
      (f.json(r)['messages'] as { hash: string }[]).map((m) => m.hash),
      [second['hash']],
    );
  });

  test('namespace −10 (legacy groups): store and retrieve without auth', async () => {
    const f = rpcFixture();
    const g = groupAccount(40);
    assert.equal((await f.rpc('store', storeParams(g, { ns: -10 }))).status, 200);
    const r = await f.rpc('retrieve', { pubkey: g.pubkey, namespace: -10 });
    assert.equal((f.json(r)['messages'] as unknown[]).length, 1);
  });
});

describe('retrieve', () => {
  test('auth: omitted namespace → 401, explicit 0 without signature → 400 (§12.5)', async () => {
    const f = rpcFixture();
    const omitted = await f.rpc('retrieve', { pubkey: alice.pubkey });
    assert.equal(omitted.status, 401);
    const explicit = await f.rpc('retrieve', { pubkey: alice.pubkey, namespace: 0 });
    assert.equal(explicit.status, 400);
    assert.match(bodyText(explicit), /Required field 'signature' missing/);
    assert.equal((await f.rpc('retrieve', retrieveParams(alice))).status, 200);
  });

  test('forged, replayed, expired and wrong-account signatures are refused', async () => {
    const f = rpcFixture();
    const forged = retrieveParams(alice, { signer: bob.sign });
    assert.equal((await f.rpc('retrieve', forged)).status, 401);
    const wrongAccount = { ...retrieveParams(bob), pubkey: alice.pubkey };
    assert.equal((await f.rpc('retrieve', wrongAccount)).status, 401, 'bob may not read alice');
    const otherTime = { ...retrieveParams(alice), timestamp: T0 + 1 };
    assert.equal((await f.rpc('retrieve', otherTime)).status, 401, 'signature over another time');
    const replayed = retrieveParams(alice, { timestamp: T0 - 61 * SECOND });
    assert.equal((await f.rpc('retrieve', replayed)).status, 406);
    const early = retrieveParams(alice, { timestamp: T0 + 61 * SECOND });
    assert.equal((await f.rpc('retrieve', early)).status, 406);
    assert.equal(
      (await f.rpc('retrieve', retrieveParams(alice, { timestamp: T0 - 60 * SECOND }))).status,
      200,
    );
    // Below 1,000,000 s the value was surely sent in seconds (upstream's heuristic).
    const seconds = retrieveParams(alice, { timestamp: 999_999 });
    const r = await f.rpc('retrieve', seconds);
    assert.equal(r.status, 400);
    assert.match(bodyText(r), /must be in milliseconds/);
    const ed03 = {
      ...retrieveParams(groupAccount(41)),
      pubkey_ed25519: alice.auth['pubkey_ed25519'],
    };
    assert.equal((await f.rpc('retrieve', ed03)).status, 400, 'pubkey_ed25519 only for 05');
  });

  test('pages by last_hash, max_count and max_size, with more', async () => {
    const f = rpcFixture();
    for (let i = 0; i < 5; i++) await f.rpc('store', storeParams(alice, { body: data(3000, i) }));
    const all = await retrieveHashes(f, alice);
    assert.equal(all.length, 5);
    const first = f.json(
      await f.rpc('retrieve', retrieveParams(alice, { extra: { max_count: 2 } })),
    );
    assert.equal(first['more'], true);
    const page2 = await retrieveHashes(f, alice, 0, { max_count: 2, last_hash: all[1] });
    assert.deepEqual(page2, all.slice(2, 4));
    assert.deepEqual(await retrieveHashes(f, alice, 0, { lastHash: all[3] }), all.slice(4));
    // Each message costs 100 + 43 + 4000 = 4143 bytes; max_size −1000 allows 7,800 bytes.
    const sized = f.json(
      await f.rpc('retrieve', retrieveParams(alice, { extra: { max_size: -1000 } })),
    );
    assert.equal((sized['messages'] as unknown[]).length, 1);
    assert.equal(sized['more'], true);
    assert.equal((await retrieveHashes(f, alice, 0, { max_size: 9000 })).length, 2);
    const bad = await f.rpc('retrieve', retrieveParams(alice, { extra: { last_hash: 'abc' } }));
    assert.equal(bad.status, 400);
    assert.deepEqual(await retrieveHashes(f, alice, 0, { last_hash: '' }), all, 'empty means none');
  });
});

describe('swarm and subaccounts', () => {
  test('an account of another swarm gets 421 with that swarm', async () => {
    const f = rpcFixture({
      swarm: (self) => fakeSwarm(self, { foreign: new Set([alice.pubkey]) }),
    });
    for (const [method, params] of [
      ['store', storeParams(alice)],
      ['retrieve', retrieveParams(alice)],
    ] as const) {
      const r = await f.rpc(method, params);
      assert.equal(r.status, 421, method);
      const body = f.json(r);
      assert.equal(body['swarm'], '0000000000000002');
      const snodes = body['snodes'] as Record<string, unknown>[];
      assert.equal(snodes.length, 1);
      assert.deepEqual(Object.keys(snodes[0] ?? {}).sort(), [
        'address',
        'ip',
        'port',
        'port_https',
        'port_omq',
        'port_quic',
        'pubkey_ed25519',
        'pubkey_legacy',
        'pubkey_x25519',
      ]);
      assert.equal(body['t'], T0);
    }
    assert.equal((await f.rpc('store', storeParams(bob))).status, 200, 'bob is ours');
  });

  test('group subaccounts: flags, prefix, token signature, revocation, unrevocable namespaces', async () => {
    const f = rpcFixture();
    const group = groupAccount(50);
    const reader = subaccount(group, 51, ['read']);
    const writer = subaccount(group, 52, ['write']);
    const asSub = (sub: typeof reader, ns: number): Record<string, unknown> => ({
      ...retrieveParams(group, { ns, signer: sub.sign }),
      ...sub.fields,
    });
    assert.equal((await f.rpc('retrieve', asSub(reader, 11))).status, 200);
    assert.equal((await f.rpc('retrieve', asSub(writer, 11))).status, 401, 'no Read flag');
    const badTokenSig = { ...asSub(reader, 11), subaccount_sig: bob.sign(reader.token) };
    assert.equal(
      (await f.rpc('retrieve', badTokenSig)).status,
      401,
      'token not signed by the group',
    );
    const wrongPrefix = subaccount(sessionUser(53), 54, ['read']);
    const tokenFor05 = {
      ...retrieveParams(group, { ns: 11, signer: wrongPrefix.sign }),
      subaccount: wrongPrefix.fields['subaccount'],
      subaccount_sig: group.sign(wrongPrefix.token),
    };
    assert.equal((await f.rpc('retrieve', tokenFor05)).status, 401, 'token for another prefix');
    const anyPrefix = subaccount(sessionUser(53), 55, ['read', 'anyPrefix']);
    const tokenAny = {
      ...retrieveParams(group, { ns: 11, signer: anyPrefix.sign }),
      subaccount: anyPrefix.fields['subaccount'],
      subaccount_sig: group.sign(anyPrefix.token),
    };
    assert.equal((await f.rpc('retrieve', tokenAny)).status, 200, 'AnyPrefix');

    // Write: store to a private namespace with the writer; a public outbox also needs Delete.
    const writeParams = (
      sub: typeof writer,
      ns: number,
      body: string,
    ): Record<string, unknown> => ({
      ...storeParams(group, { ns, body }),
      ...sub.fields,
      sig_timestamp: T0,
      signature: sub.sign(storeToSign({ namespace: ns, sigTimestamp: T0 })),
    });
    assert.equal((await f.rpc('store', writeParams(writer, 11, data(4)))).status, 200);
    assert.equal((await f.rpc('store', writeParams(reader, 11, data(5)))).status, 401);
    assert.equal((await f.rpc('store', writeParams(writer, -21, data(6)))).status, 401);
    const writeDelete = subaccount(group, 56, ['write', 'delete']);
    assert.equal((await f.rpc('store', writeParams(writeDelete, -21, data(7)))).status, 200);

    // Revoked: refused, except for reading an unrevocable namespace (−11).
    f.store.revokeSubaccounts(group.pubkey, [reader.token], T0);
    assert.equal((await f.rpc('retrieve', asSub(reader, 11))).status, 401);
    assert.equal((await f.rpc('retrieve', asSub(reader, -11))).status, 200);
  });
});
