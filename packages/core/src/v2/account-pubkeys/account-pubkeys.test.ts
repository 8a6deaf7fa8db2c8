/**
 * The namespace −21 account pubkey message and its XEd25519-style signature (known-answer
 * vectors, an independent check with @noble/curves, parsing of hostile input), the rotation
 * schedule vectors, and the sender's key-cache states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, utf8 } from '../../encoding/bytes.ts';
import { fromHex, toHex } from '../../encoding/hex.ts';
import { btDict, type BtDict } from '../../encoding/bencode.ts';
import { encodeSignedDict } from '../../encoding/bencode-signature.ts';
import { isProtocolError } from '../../errors.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { xed25519Sign, xed25519Verify } from '../../identity/xed25519-signature.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { v2VectorDocuments } from '../../test-support/v2-vectors.ts';
import { accountKeysFromSeed } from '../keys/hybrid-keys.ts';
import { makeAccountKeyEntry } from '../keys/account-key-ring.ts';
import { accountRotationUniform, nextAccountRotation } from '../keys/account-key-rotation.ts';
import { deviceIdFromHex } from '../keys/device-id.ts';
import {
  ACCOUNT_PUBKEY_MESSAGE_LENGTH,
  buildAccountPubkeyMessage,
  parseAccountPubkeyMessage,
} from './account-pubkey-message.ts';
import {
  pfsKeyCacheState,
  recordPfsKeysFetched,
  recordPfsKeysNak,
  type PfsKeyCacheEntry,
} from './pfs-key-cache.ts';
import pubkeyVectors from '../../../vectors/v2/account-pubkeys.json' with { type: 'json' };
import rotationVectors from '../../../vectors/v2/account-key-rotation.json' with { type: 'json' };

const documents = v2VectorDocuments();

test('account-pubkeys.json and account-key-rotation.json are reproduced byte for byte', () => {
  assert.deepEqual(documents['account-pubkeys.json'], pubkeyVectors);
  assert.deepEqual(documents['account-key-rotation.json'], rotationVectors);
  assert.match(pubkeyVectors.source, /cross-check against libsession pending/);
  const signs = new Set(pubkeyVectors.cases.map((c) => c.aSignBit));
  assert.deepEqual([...signs].sort(), [0, 1], 'vectors cover both signs of A');
});

test('account pubkey vectors: layout, and the signature checks out with @noble/curves', () => {
  for (const v of pubkeyVectors.cases) {
    const message = fromHex(v.message);
    assert.equal(message.length, ACCOUNT_PUBKEY_MESSAGE_LENGTH);
    assert.equal(v.messageLength, 1302);
    const identity = identityFromSeed(fromHex(v.identitySeed));
    assert.equal(identity.sessionId, v.sessionId);
    const account = accountKeysFromSeed(fromHex(v.accountKeySeed));
    assert.equal(toHex(account.x25519PublicKey), v.accountX25519PublicKey);
    assert.equal(toHex(account.mlkemPublicKey), v.accountMlkemPublicKey);
    const expected = concatBytes(
      utf8('d1:M1184:'),
      account.mlkemPublicKey,
      utf8('1:X32:'),
      account.x25519PublicKey,
      utf8('1:~64:'),
      fromHex(v.signature),
      utf8('e'),
    );
    assert.deepEqual(message, expected);
    // Independent: A_pos maps back to the Session ID's X25519 key, and noble accepts the signature.
    const aPos = fromHex(v.aPos);
    assert.equal(toHex(ed25519.utils.toMontgomery(aPos)), v.sessionId.slice(2));
    const span = message.subarray(0, message.length - 71); // before "1:~64:<sig>e"
    assert.ok(ed25519.verify(fromHex(v.signature), span, aPos));
    const parsed = parseAccountPubkeyMessage(message, v.sessionId);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.keys.mlkemPublicKey, account.mlkemPublicKey);
    assert.deepEqual(parsed.keys.x25519PublicKey, account.x25519PublicKey);
  }
});

test('rotation vectors: u and the due time', () => {
  for (const v of rotationVectors.cases) {
    const seed = fromHex(v.accountKeySeed);
    const deviceId = deviceIdFromHex(v.deviceId);
    assert.equal(accountRotationUniform(seed, deviceId), v.u);
    const hashValue = fromHex(v.hash).reduceRight((acc, b) => acc * 256n + BigInt(b), 0n);
    assert.equal(Number(hashValue) / 2 ** 64, v.u);
    const ring = [makeAccountKeyEntry({ seed, created: v.created })];
    assert.equal(
      nextAccountRotation({ ring, deviceId, registeredDevices: v.registeredDevices }),
      v.next,
    );
  }
});

test('XEd25519: randomised, verifies from the Session ID, refuses what it should', () => {
  const rng = createSeededRng('xed');
  for (let i = 0; i < 12; i++) {
    const id = identityFromSeed(rng.randomBytes(32));
    const m = rng.randomBytes(i * 7);
    const a = xed25519Sign(id.x25519SecretKey, m, rng);
    const b = xed25519Sign(id.x25519SecretKey, m, rng);
    assert.notDeepEqual(a, b, 'Z makes each signature different');
    assert.ok(xed25519Verify(a, m, id.x25519PublicKey));
    assert.ok(xed25519Verify(b, m, id.x25519PublicKey));
    assert.ok(!xed25519Verify(a, concatBytes(m, Uint8Array.of(0)), id.x25519PublicKey));
    const other = identityFromSeed(rng.randomBytes(32));
    assert.ok(!xed25519Verify(a, m, other.x25519PublicKey));
  }
  assert.throws(
    () => xed25519Sign(new Uint8Array(32).fill(1), utf8('x'), rng),
    (e) => isProtocolError(e, 'invalid-key'),
  );
  assert.ok(!xed25519Verify(new Uint8Array(63), utf8('x'), new Uint8Array(32)));
});

test('parsing: tampering, the wrong owner, bad shapes, unknown keys', () => {
  const rng = createSeededRng('parse');
  const owner = identityFromSeed(rng.randomBytes(32));
  const account = accountKeysFromSeed(rng.randomBytes(32));
  const message = buildAccountPubkeyMessage({ identity: owner, accountKeys: account, rng });
  assert.ok(parseAccountPubkeyMessage(message, owner.sessionId).ok);
  assert.ok(parseAccountPubkeyMessage(message, owner.x25519PublicKey).ok);

  const stranger = identityFromSeed(rng.randomBytes(32));
  assert.deepEqual(parseAccountPubkeyMessage(message, stranger.sessionId), {
    ok: false,
    reason: 'bad-signature',
  });
  // Flip one bit in M, in X and in the signature: each is refused, never accepted.
  for (const at of [20, 1190, 1200, 1250, 1300]) {
    const bad = Uint8Array.from(message);
    bad[at] = (bad[at] ?? 0) ^ 0x10;
    const r = parseAccountPubkeyMessage(bad, owner.sessionId);
    assert.equal(r.ok, false, `flip at ${at}`);
  }
  assert.deepEqual(parseAccountPubkeyMessage(message.subarray(0, 100), owner.sessionId), {
    ok: false,
    reason: 'bad-format',
  });
  assert.deepEqual(parseAccountPubkeyMessage(concatBytes(message, utf8('x')), owner.sessionId), {
    ok: false,
    reason: 'bad-format',
  });
  // Wrong sizes are bad format even when properly signed.
  const sign = (d: BtDict): Uint8Array =>
    encodeSignedDict(d, (s) => xed25519Sign(owner.x25519SecretKey, s, rng));
  const shortX = sign(btDict({ M: account.mlkemPublicKey, X: new Uint8Array(31) }));
  assert.equal(parseAccountPubkeyMessage(shortX, owner.sessionId).ok, false);
  const noX = sign(btDict({ M: account.mlkemPublicKey }));
  assert.deepEqual(parseAccountPubkeyMessage(noX, owner.sessionId), {
    ok: false,
    reason: 'bad-format',
  });
  // Unknown keys are ignored; before "~" they are covered by the signature.
  const extra = sign(
    btDict({ A: utf8('future'), M: account.mlkemPublicKey, X: account.x25519PublicKey, n: 7 }),
  );
  const parsed = parseAccountPubkeyMessage(extra, owner.sessionId);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.keys.x25519PublicKey, account.x25519PublicKey);
  assert.throws(() => parseAccountPubkeyMessage(message, 'not a session id'));
});

test('sender cache: fresh, stale, expired, NAK suppression', () => {
  const t = 1_760_000_000;
  const keys = { mlkemPublicKey: new Uint8Array(1184), x25519PublicKey: new Uint8Array(32) };
  assert.deepEqual(pfsKeyCacheState(undefined, t), {
    state: 'missing',
    usable: false,
    fetch: 'now',
  });
  const entry: PfsKeyCacheEntry = recordPfsKeysFetched(undefined, keys, t);
  const at = (age: number) => pfsKeyCacheState(entry, t + age);
  assert.equal(at(0).state, 'fresh');
  assert.equal(at(24 * 3600 - 1).state, 'fresh');
  assert.equal(at(24 * 3600).state, 'stale');
  assert.equal(at(24 * 3600).fetch, 'background');
  assert.equal(at(24 * 3600).usable, true);
  assert.equal(at(48 * 3600).state, 'stale');
  assert.equal(at(48 * 3600 + 1).state, 'expired');
  assert.equal(at(48 * 3600 + 1).usable, false);
  assert.equal(at(48 * 3600 + 1).fetch, 'now');

  const nak = recordPfsKeysNak(undefined, t);
  assert.deepEqual(pfsKeyCacheState(nak, t + 3599), {
    state: 'nak',
    usable: false,
    fetch: 'suppressed',
  });
  assert.deepEqual(pfsKeyCacheState(nak, t + 3600), { state: 'nak', usable: false, fetch: 'now' });
  // A NAK keeps cached keys (upstream `_store_pfs_nak` only sets nak_at) and suppresses refetching.
  const both = recordPfsKeysNak(entry, t + 30 * 3600);
  assert.equal(both.keys, keys);
  assert.equal(pfsKeyCacheState(both, t + 30 * 3600 + 10).fetch, 'suppressed');
  assert.equal(pfsKeyCacheState(both, t + 31 * 3600).fetch, 'background');
  assert.throws(() => pfsKeyCacheState(undefined, Number.NaN));
});
