/**
 * Identity derivation against vectors/upstream/session-id.json, secret redaction, and account-ID
 * parsing for every prefix in use (protocol-v1.md §1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import vectors from '../../vectors/upstream/session-id.json' with { type: 'json' };
import { fromHex, toHex } from '../encoding/hex.ts';
import { isProtocolError } from '../errors.ts';
import { identityFromSeed, sessionIdFromEd25519, hasShortSeed } from './identity.ts';
import { parseAccountId, accountIdFromHex, parseSessionId } from './account-id.ts';

test('session-id vectors (libsession-util test_session_encrypt.cpp)', () => {
  assert.ok(vectors.vectors.length > 0);
  for (const v of vectors.vectors) {
    const id = identityFromSeed(fromHex(v.seed));
    assert.equal(toHex(id.ed25519PublicKey), v.ed25519_pubkey);
    assert.equal(toHex(id.x25519PublicKey), v.x25519_pubkey);
    assert.equal(id.sessionId, v.session_id);
    // the 16-byte entropy form gives the same account
    assert.equal(identityFromSeed(fromHex(v.seed).subarray(0, 16)).sessionId, v.session_id);
    assert.equal(sessionIdFromEd25519(id.ed25519PublicKey), v.session_id);
    assert.equal(hasShortSeed(fromHex(v.seed)), true);
  }
});

test('secret keys never print through inspect, String or JSON', () => {
  const seedHex = vectors.vectors[0]!.seed;
  const id = identityFromSeed(fromHex(seedHex));
  const secretHexes = [
    seedHex,
    toHex(id.ed25519SecretKey.exportBytes()),
    toHex(id.x25519SecretKey.exportBytes()),
  ];
  const outputs = [
    inspect(id, { depth: 10 }),
    JSON.stringify(id),
    String(id.seed),
    id.x25519SecretKey.toString(),
  ];
  for (const out of outputs) {
    for (const secret of secretHexes) assert.ok(!out.includes(secret), 'secret leaked: ' + out);
    assert.ok(!out.includes(seedHex.slice(0, 32)));
  }
  assert.match(inspect(id), /\[redacted ed25519-seed\]/);
  // export is explicit and gives the bytes
  assert.equal(toHex(id.seed.exportBytes()), seedHex);
});

test('bad seeds are typed errors', () => {
  for (const bad of [
    new Uint8Array(0),
    new Uint8Array(15),
    new Uint8Array(31),
    new Uint8Array(33),
  ]) {
    assert.throws(
      () => identityFromSeed(bad),
      (e) => isProtocolError(e, 'invalid-length'),
    );
  }
  assert.throws(
    () => identityFromSeed('00' as unknown as Uint8Array),
    (e) => isProtocolError(e, 'invalid-input'),
  );
  assert.equal(hasShortSeed(fromHex('01'.repeat(32))), false);
});

test('account IDs of every prefix in use parse with their kind', () => {
  const id = identityFromSeed(fromHex(vectors.vectors[0]!.seed));
  const session = accountIdFromHex(id.sessionId);
  assert.equal(session.kind, 'session');
  assert.deepEqual(session.publicKey, id.x25519PublicKey);
  const ed = toHex(id.ed25519PublicKey);
  assert.equal(accountIdFromHex('03' + ed).kind, 'group');
  assert.equal(accountIdFromHex('15' + ed).kind, 'blinded15');
  assert.equal(accountIdFromHex('25' + ed).kind, 'blinded25');
  assert.equal(accountIdFromHex('  ' + id.sessionId.toUpperCase() + '\n').hex, id.sessionId);
  assert.equal(parseSessionId(id.sessionId), id.sessionId);
});

test('malformed account IDs are rejected with a reason', () => {
  const good = vectors.vectors[0]!.session_id;
  const cases: [string, RegExp][] = [
    ['', /expected 66 hex characters, got 0/],
    [good.slice(0, 64), /got 64/],
    [good + '00', /got 68/],
    ['zz' + good.slice(2), /not hex/],
    ['07' + good.slice(2), /unknown prefix 07/],
    // u = p - 1 maps to no Ed25519 point
    [
      '05ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      /not a valid curve point/,
    ],
    // u >= p is not canonical
    ['05' + 'ff'.repeat(31) + '7f', /not a valid curve point/],
    // an Ed25519 encoding that is not on the curve
    ['03' + '02' + '00'.repeat(31), /not a valid curve point/],
  ];
  for (const [text, reason] of cases) {
    const r = parseAccountId(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) {
      assert.equal(r.error.code, 'invalid-account-id');
      assert.match(r.error.message, reason);
    }
  }
  // the point check can be skipped on hot paths; the format checks still run
  const offCurve = '05ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
  assert.equal(parseAccountId(offCurve, ['session'], { checkPoint: false }).ok, true);
  assert.equal(parseAccountId('zz' + good.slice(2), undefined, { checkPoint: false }).ok, false);
  const wrongKind = parseAccountId('03' + good.slice(2), ['session']);
  assert.equal(wrongKind.ok, false);
  assert.throws(() => parseSessionId('15' + good.slice(2)), /expected a session ID/);
});
