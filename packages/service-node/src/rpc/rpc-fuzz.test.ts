/**
 * Property-based fuzzing of the storage RPC (fast-check): whatever a client sends — random
 * JSON params for every method, valid signed requests with one field mutated, or random HTTP
 * bodies — the node answers (never throws), malformed input gets a 4xx with a reason, nothing
 * gets a 5xx, and a refused write leaves the store as it was (no half-written rows).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  deleteAllToSign,
  deleteToSign,
  expireToSign,
  retrieveToSign,
  revokeSubaccountToSign,
  storeToSign,
  toBase64,
} from '@session-ts/core';
import { rpcFixture, sessionUser, T0 } from '../test-support/rpc-fixture.ts';

const DAY = 86_400_000;
const alice = sessionUser(1);
const hash = 'A'.repeat(43);

/** Valid requests to mutate: signed ones, so most mutations break a signature or a rule. */
const VALID: readonly [string, Record<string, unknown>][] = [
  [
    'store',
    {
      ...alice.auth,
      namespace: 2,
      timestamp: T0,
      ttl: DAY,
      data: toBase64(new Uint8Array(40)),
      sig_timestamp: T0,
      signature: alice.sign(storeToSign({ namespace: 2, sigTimestamp: T0 })),
    },
  ],
  [
    'store',
    { pubkey: alice.pubkey, timestamp: T0, ttl: DAY, data: toBase64(new Uint8Array(8).fill(3)) },
  ],
  [
    'retrieve',
    {
      ...alice.auth,
      namespace: 2,
      timestamp: T0,
      last_hash: hash,
      max_count: 5,
      signature: alice.sign(retrieveToSign({ namespace: 2, timestamp: T0 })),
    },
  ],
  [
    'delete',
    { ...alice.auth, messages: [hash], signature: alice.sign(deleteToSign({ messages: [hash] })) },
  ],
  [
    'delete_all',
    {
      ...alice.auth,
      namespace: 'all',
      timestamp: T0,
      signature: alice.sign(deleteAllToSign({ namespace: 'all', timestamp: T0 })),
    },
  ],
  [
    'expire',
    {
      ...alice.auth,
      messages: [hash],
      expiry: T0 + DAY,
      extend: true,
      signature: alice.sign(expireToSign({ mode: 'extend', expiry: T0 + DAY, messages: [hash] })),
    },
  ],
  [
    'revoke_subaccount',
    {
      ...alice.auth,
      timestamp: T0,
      revoke: [toBase64(new Uint8Array(36))],
      signature: alice.sign(
        revokeSubaccountToSign({ timestamp: T0, tokens: [new Uint8Array(36)] }),
      ),
    },
  ],
  [
    'batch',
    {
      requests: [
        { method: 'info', params: {} },
        { method: 'get_swarm', params: { pubkey: alice.pubkey } },
      ],
    },
  ],
];

const METHODS = [
  'store',
  'retrieve',
  'delete',
  'delete_all',
  'delete_before',
  'expire',
  'expire_all',
  'get_expiries',
  'get_swarm',
  'get_snodes_for_pubkey',
  'oxend_request',
  'batch',
  'sequence',
  'revoke_subaccount',
  'unrevoke_subaccount',
  'revoked_subaccounts',
];

/** JSON values with the kinds of trouble parsers meet. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    -1,
    0,
    1.5,
    2 ** 53,
    -(2 ** 63),
    '',
    'all',
    '05',
    'A'.repeat(43),
    [],
    {},
    [null],
    'x'.repeat(200_000),
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);

test('random params for every method: a 4xx, never an exception or a 5xx', async () => {
  const f = rpcFixture();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...METHODS),
      fc.oneof(
        fc.dictionary(fc.string(), nasty),
        fc.dictionary(
          fc.constantFrom(
            'pubkey',
            'namespace',
            'timestamp',
            'signature',
            'messages',
            'requests',
            'data',
            'ttl',
            'expiry',
            'endpoint',
            'revoke',
          ),
          nasty,
        ),
        nasty,
      ),
      async (method, params) => {
        const r = await f.rpc(method, params);
        assert.ok(
          r.status >= 400 && r.status < 500,
          `${method} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
        );
        if (typeof r.body === 'string') assert.ok(r.body.length > 0);
      },
    ),
    { numRuns: 400 },
  );
});

test('valid requests with one field mutated: answered, no 5xx, refused writes change nothing', async () => {
  const f = rpcFixture();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...VALID),
      fc.nat(),
      fc.oneof(
        fc.constant<'delete'>('delete'),
        fc.constant<'flip'>('flip'),
        nasty.map((v) => ({ value: v })),
      ),
      async ([method, template], pick, mutation) => {
        const params: Record<string, unknown> = structuredClone(template);
        const keys = Object.keys(params);
        const key = keys[pick % keys.length] as string;
        if (mutation === 'delete') delete params[key];
        else if (mutation === 'flip') {
          const v = params[key];
          if (typeof v === 'string' && v.length > 0) {
            const i = pick % v.length;
            params[key] = v.slice(0, i) + (v[i] === 'A' ? 'B' : 'A') + v.slice(i + 1);
          } else if (typeof v === 'number') params[key] = v + 1 + (pick % 100_000);
          else params[key] = null;
        } else params[key] = mutation.value;
        const before = f.store.stats().messages;
        const r = await f.rpc(method, params);
        assert.ok(
          r.status < 500,
          `${method}.${key} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
        );
        if (r.status >= 400 && method === 'store') assert.equal(f.store.stats().messages, before);
      },
    ),
    { numRuns: 600 },
  );
});

test('random HTTP bodies: a 4xx', async () => {
  const { node } = rpcFixture();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      async (body) => {
        const res = await node.app.fetch(
          new Request('http://node/storage_rpc/v1', { method: 'POST', body }),
          { remoteAddress: '127.0.0.1' },
        );
        // A random body is only a valid request if it names a method that needs no params.
        assert.ok(
          res.status < 500 && (res.status >= 400 || /"method"/.test(body)),
          `${res.status} for ${body.slice(0, 80)}`,
        );
      },
    ),
    { numRuns: 300 },
  );
});
