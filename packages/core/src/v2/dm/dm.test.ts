/**
 * V2 one-to-one messages: the known-answer vectors (rebuilt byte for byte, and their
 * intermediates checked with independent implementations: @noble/post-quantum, @noble/curves,
 * @noble/hashes' SHA-3), round trips, sizes, the decryption order (key-indicator collisions, the
 * non-PFS fallback, fatal inner errors) and `decryptIncomingDm` over V1 and V2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha3_256 as nobleSha3, shake256 as nobleShake } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ed25519, x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { concatBytes, utf8 } from '../../encoding/bytes.ts';
import { fromHex, toHex } from '../../encoding/hex.ts';
import { encodeBencode } from '../../encoding/bencode-encode.ts';
import { btDict } from '../../encoding/bencode.ts';
import { isProtocolError } from '../../errors.ts';
import {
  ed25519KeyPairFromSeed,
  ed25519Sign,
  xchacha20poly1305Decrypt,
  xchacha20poly1305Encrypt,
} from '../../crypto/primitives.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { v2VectorDocuments } from '../../test-support/v2-vectors.ts';
import { encryptV1 } from '../../v1/encrypt.ts';
import { padContent } from '../../v1/padding.ts';
import { wrapV1Envelope } from '../../v1/envelope.ts';
import { accountKeysFromSeed, type HybridKeyPair } from '../keys/hybrid-keys.ts';
import { rotateAccountKey } from '../keys/account-key-rotation.ts';
import { retainedAccountKeys } from '../keys/account-key-ring.ts';
import { V2_DM_HEADER_LENGTH, V2_DM_MIN_LENGTH, v2DmLength } from './dm-format.ts';
import { encryptV2Dm, encryptV2DmNonPfs } from './dm-encrypt.ts';
import { decryptV2Dm } from './dm-decrypt.ts';
import { decryptIncomingDm } from './incoming-dm.ts';
import { innerSignatureHash } from './dm-inner.ts';
import { pfsKeyNonce, xwingSharedSecret } from './dm-keys.ts';
import dmVectors from '../../../vectors/v2/dm.json' with { type: 'json' };
import nonPfsVectors from '../../../vectors/v2/non-pfs-dm.json' with { type: 'json' };

const documents = v2VectorDocuments();
const rng = createSeededRng('dm-tests');
const alice = identityFromSeed(rng.randomBytes(32));
const bob = identityFromSeed(rng.randomBytes(32));
const bobAccount = accountKeysFromSeed(rng.randomBytes(32));

function sha3(...parts: Uint8Array[]): Uint8Array {
  return nobleSha3(concatBytes(...parts));
}
function shake(length: number, ...parts: Uint8Array[]): Uint8Array {
  return nobleShake(concatBytes(...parts), { dkLen: length });
}

test('dm.json and non-pfs-dm.json are reproduced byte for byte', () => {
  assert.deepEqual(documents['dm.json'], dmVectors);
  assert.deepEqual(documents['non-pfs-dm.json'], nonPfsVectors);
  assert.match(
    dmVectors.source,
    /§7 with derandomised ephemerals; cross-check against libsession pending/,
  );
  assert.deepEqual(
    dmVectors.cases.map((c) => c.ciphertextLength),
    [1536, 1536, 2304, 1536, 1792, 1536],
  );
});

test('dm.json: every intermediate agrees with independent implementations', () => {
  for (const v of dmVectors.cases) {
    const ct = fromHex(v.ciphertext);
    const M = fromHex(v.accountMlkemPublicKey);
    const X = fromHex(v.accountX25519PublicKey);
    const e = fromHex(v.draws.ephemeralSecret);
    const i = v.intermediates;
    const E = nobleX25519.getPublicKey(e);
    assert.equal(toHex(E), i.ephemeralPublicKey);
    const kem = ml_kem768.encapsulate(M, fromHex(v.draws.kemCoins));
    assert.equal(toHex(kem.cipherText), i.kemCiphertext);
    assert.equal(toHex(kem.sharedSecret), i.kemSharedSecret);
    assert.equal(toHex(nobleX25519.getSharedSecret(e, X)), i.x25519SharedSecret);
    const label = utf8('\\.//^\\');
    assert.equal(toHex(label), '5c2e2f2f5e5c');
    const ss = sha3(kem.sharedSecret, fromHex(i.x25519SharedSecret), E, X, label);
    assert.equal(toHex(ss), i.xwingSharedSecret);
    const kn = shake(56, utf8('SessionV2MessageSS'), ss);
    assert.equal(toHex(kn.subarray(0, 32)), i.aeadKey);
    assert.equal(toHex(kn.subarray(32)), i.aeadNonce);
    // Header layout: 00 02 ki E ct, then the AEAD body.
    assert.equal(toHex(ct.subarray(0, 2)), '0002');
    assert.equal(toHex(ct.subarray(2, 4)), i.keyIndicator);
    assert.equal(toHex(ct.subarray(4, 36)), i.ephemeralPublicKey);
    assert.equal(toHex(ct.subarray(36, 1124)), i.kemCiphertext);
    assert.equal((fromHex(i.keyIndicator)[0] ?? 0) ^ (fromHex(i.kiss)[0] ?? 0), M[0]);
    assert.equal(ct.length, v2DmLength(fromHex(i.innerDict).length));
    const padded = xchacha20poly1305Decrypt(kn.subarray(0, 32), kn.subarray(32), ct.subarray(1124));
    assert.ok(padded);
    const inner = fromHex(i.innerDict);
    assert.deepEqual(padded.subarray(0, inner.length), inner);
    assert.ok(padded.subarray(inner.length).every((b) => b === 0));
    // The inner signature: Ed25519 over BLAKE2b-64(key = R33, pers, span), checked with noble.
    const contentLength = fromHex(v.content).length;
    const sigAt = 1 + 38 + 3 + String(contentLength).length + 1 + contentLength; // at "1:~"
    const span = inner.subarray(0, sigAt);
    const sig = inner.subarray(sigAt + 6, sigAt + 70);
    const hash = innerSignatureHash(fromHex(v.recipientSessionId), span);
    assert.ok(ed25519.verify(sig, hash, fromHex(v.senderEd25519PublicKey)));
    // And it decrypts.
    const recipient = identityFromSeed(fromHex(v.recipientSeed));
    const r = decryptV2Dm({
      recipient,
      accountKeys: [accountKeysFromSeed(fromHex(v.accountKeySeed))],
      data: ct,
    });
    assert.ok(r.ok);
    assert.equal(r.path, 'pfs');
    assert.equal(toHex(r.content), v.content);
    assert.equal(r.senderSessionId, v.senderSessionId);
    assert.equal(r.proSignature !== undefined, 'proSeed' in v);
    if (r.proSignature !== undefined && 'proEd25519PublicKey' in v) {
      const pro = inner.subarray(0, inner.length - 72); // everything before "2:~P64:<sig>e"
      assert.ok(ed25519.verify(r.proSignature, pro, fromHex(v.proEd25519PublicKey)));
    }
  }
});

test('non-pfs-dm.json: intermediates and decryption', () => {
  for (const v of nonPfsVectors.cases) {
    const ct = fromHex(v.ciphertext);
    const recipient = identityFromSeed(fromHex(v.recipientSeed));
    const i = v.intermediates;
    const e = fromHex(v.draws.ephemeralSecret);
    const R = recipient.x25519PublicKey;
    const E = nobleX25519.getPublicKey(e);
    const ssR = nobleX25519.getSharedSecret(e, R);
    const ss = sha3(ssR, R, E, utf8('SessionV2NonPFS'));
    assert.equal(toHex(ss), i.nonPfsSharedSecret);
    const kn = shake(56, utf8('SessionV2NonPFSSS'), ss);
    assert.equal(toHex(kn), i.aeadKey + i.aeadNonce);
    assert.equal(toHex(ct.subarray(0, 4)), `0002${v.draws.keyIndicator}`);
    assert.equal(toHex(ct.subarray(36, 1124)), v.draws.kemSlot);
    const r = decryptV2Dm({ recipient, accountKeys: [], data: ct });
    assert.ok(r.ok);
    assert.equal(r.path, 'non-pfs');
    assert.equal(toHex(r.content), v.content);
    assert.equal(r.senderSessionId, v.senderSessionId);
  }
});

test('round trips at every size, PFS and non-PFS; sizes are 1536 + 256·N', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (content, pfs) => {
      const data = pfs
        ? encryptV2Dm({
            sender: alice,
            recipient: bob.sessionId,
            recipientKeys: bobAccount,
            content,
            rng,
          })
        : encryptV2DmNonPfs({ sender: alice, recipient: bob.sessionId, content, rng });
      assert.ok(data.length >= V2_DM_MIN_LENGTH && (data.length - 1536) % 256 === 0);
      // inner = 114 + digits(len) + len bytes; the message is the smallest size that holds it.
      const inner = 114 + String(content.length).length + content.length;
      assert.equal(data.length, Math.max(1536, Math.ceil((1140 + inner) / 256) * 256));
      const r = decryptV2Dm({ recipient: bob, accountKeys: [bobAccount], data });
      assert.ok(r.ok);
      assert.equal(r.path, pfs ? 'pfs' : 'non-pfs');
      assert.deepEqual(r.content, content);
      assert.equal(r.senderSessionId, alice.sessionId);
      assert.deepEqual(r.senderEd25519PublicKey, alice.ed25519PublicKey);
    }),
    { numRuns: 40 },
  );
});

test('decryption tries every retained key with the indicated prefix, including collisions', () => {
  // Find two account keys whose ML-KEM public keys share their first two bytes.
  const byPrefix = new Map<string, HybridKeyPair>();
  const keyRng = createSeededRng('ki-collision');
  let pair: [HybridKeyPair, HybridKeyPair] | undefined;
  while (pair === undefined) {
    const k = accountKeysFromSeed(keyRng.randomBytes(32));
    const prefix = toHex(k.mlkemPublicKey.subarray(0, 2));
    const seen = byPrefix.get(prefix);
    if (seen !== undefined) pair = [seen, k];
    else byPrefix.set(prefix, k);
  }
  const [first, second] = pair;
  const content = utf8('collision');
  const data = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: second,
    content,
    rng,
  });
  const others = [...byPrefix.values()].slice(0, 5);
  const r = decryptV2Dm({ recipient: bob, accountKeys: [...others, first, second], data });
  assert.ok(r.ok);
  assert.equal(r.path, 'pfs');
  assert.equal(r.accountKeyIndex, others.length + 1, 'the colliding key was tried and passed over');
  assert.deepEqual(r.content, content);
});

test('retained keys from a rotated ring read messages to the previous key', () => {
  const ringRng = createSeededRng('ring');
  const t = 1_760_000_000;
  const before = rotateAccountKey([], t, ringRng).ring;
  const oldKeys = retainedAccountKeys(before, t)[0]?.keys;
  assert.ok(oldKeys);
  const data = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: oldKeys,
    content: utf8('old'),
    rng,
  });
  const after = rotateAccountKey(before, t + 12 * 3600, ringRng).ring;
  const r = decryptV2Dm({
    recipient: bob,
    accountKeys: retainedAccountKeys(after, t + 13 * 3600),
    data,
  });
  assert.ok(r.ok);
  assert.equal(r.accountKeyIndex, 1);
});

test('failure reasons: too short, not V2, no key, bad signature, bad format', () => {
  const content = utf8('x');
  const data = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: bobAccount,
    content,
    rng,
  });
  const dec = (d: Uint8Array, keys = [bobAccount]) =>
    decryptV2Dm({ recipient: bob, accountKeys: keys, data: d });
  assert.deepEqual(dec(data.subarray(0, 1535)), { ok: false, reason: 'too-short' });
  assert.deepEqual(dec(new Uint8Array(0)), { ok: false, reason: 'too-short' });
  assert.deepEqual(dec(concatBytes(Uint8Array.of(0, 1), data.subarray(2))), {
    ok: false,
    reason: 'not-v2',
  });
  assert.deepEqual(dec(data, []), { ok: false, reason: 'no-key' }, 'without the account key');
  const carol = identityFromSeed(rng.randomBytes(32));
  assert.deepEqual(decryptV2Dm({ recipient: carol, accountKeys: [bobAccount], data }), {
    ok: false,
    reason: 'no-key',
  });

  // Messages that open but carry a bad inner dict, built with the real key schedule.
  const forge = (inner: Uint8Array): Uint8Array => {
    const honest = encryptV2Dm({
      sender: alice,
      recipient: bob.sessionId,
      recipientKeys: bobAccount,
      content: new Uint8Array(0),
      rng,
    });
    // Recover k, n exactly as the recipient would, then reseal our own inner bytes.
    const E = honest.subarray(4, 36);
    const ssM = ml_kem768.decapsulate(
      honest.subarray(36, 1124),
      bobAccount.mlkemSecretKey.borrowBytes(),
    );
    const ssX = nobleX25519.getSharedSecret(bobAccount.x25519SecretKey.borrowBytes(), E);
    const { key, nonce } = pfsKeyNonce(xwingSharedSecret(ssM, ssX, E, bobAccount.x25519PublicKey));
    const padded = new Uint8Array(Math.max(396, inner.length));
    padded.set(inner);
    return concatBytes(
      honest.subarray(0, V2_DM_HEADER_LENGTH),
      xchacha20poly1305Encrypt(key, nonce, padded),
    );
  };
  const r33 = fromHex(bob.sessionId);
  const signedInner = (c: Uint8Array, signer = alice, recipientId = r33): Uint8Array => {
    const body = encodeBencode(btDict({ S: signer.ed25519PublicKey, c }));
    const span = body.subarray(0, body.length - 1);
    const sig = ed25519Sign(
      signer.ed25519SecretKey.borrowBytes(),
      innerSignatureHash(recipientId, span),
    );
    return concatBytes(span, utf8('1:~64:'), sig, utf8('e'));
  };
  assert.ok(dec(forge(signedInner(utf8('fine')))).ok, 'the forging helper itself is sound');
  // Signed for Carol, delivered to Bob: the signature binds the recipient.
  assert.deepEqual(dec(forge(signedInner(utf8('hi'), alice, fromHex(carol.sessionId)))), {
    ok: false,
    reason: 'bad-signature',
  });
  const tampered = signedInner(utf8('hi'));
  tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1;
  assert.deepEqual(dec(forge(tampered)), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(dec(forge(utf8('not bencode'))), { ok: false, reason: 'bad-format' });
  assert.deepEqual(
    dec(forge(encodeBencode(btDict({ S: alice.ed25519PublicKey, c: utf8('no sig') })))),
    {
      ok: false,
      reason: 'bad-format',
    },
  );
  assert.deepEqual(dec(forge(concatBytes(signedInner(utf8('x')), utf8('junk')))), {
    ok: false,
    reason: 'bad-format',
  });
  // A fatal inner error does not fall through to the non-PFS path (upstream's rule).
  assert.throws(() => dec(data, 'nope' as unknown as [])); // argument errors do throw
});

test('a Session Pro signature rides along and is reported', () => {
  const pro = ed25519KeyPairFromSeed(rng.randomBytes(32));
  const data = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: bobAccount,
    content: utf8('pro'),
    proSecretKey: pro.secretKey,
    rng,
  });
  const r = decryptV2Dm({ recipient: bob, accountKeys: [bobAccount], data });
  assert.ok(r.ok);
  assert.equal(r.proSignature?.length, 64);
  assert.throws(
    () =>
      encryptV2Dm({
        sender: alice,
        recipient: bob.sessionId,
        recipientKeys: bobAccount,
        content: utf8('x'),
        proSecretKey: new Uint8Array(32),
        rng,
      }),
    (e) => isProtocolError(e, 'invalid-length'),
  );
});

test('bad recipient keys are refused with a clear error', () => {
  const base = { sender: alice, content: utf8('x'), rng };
  assert.throws(
    () =>
      encryptV2Dm({
        ...base,
        recipient: bob.sessionId,
        recipientKeys: { ...bobAccount, x25519PublicKey: new Uint8Array(32) },
      }),
    (e) => isProtocolError(e, 'invalid-key'),
  );
  assert.throws(
    () =>
      encryptV2Dm({
        ...base,
        recipient: bob.sessionId,
        recipientKeys: {
          mlkemPublicKey: new Uint8Array(1183),
          x25519PublicKey: bobAccount.x25519PublicKey,
        },
      }),
    /expected 1184 bytes, got 1183/,
  );
  assert.throws(
    () => encryptV2DmNonPfs({ ...base, recipient: `05${'00'.repeat(32)}` }),
    (e) => isProtocolError(e, 'invalid-key'),
  );
  assert.throws(
    () => encryptV2DmNonPfs({ ...base, recipient: '03' + '11'.repeat(32) }),
    (e) => isProtocolError(e, 'invalid-account-id'),
  );
});

test('decryptIncomingDm: one door for V1 and V2, with the path and security level', () => {
  const content = utf8('same content, three ways');
  const v2 = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: bobAccount,
    content,
    rng,
  });
  const nonPfs = encryptV2DmNonPfs({ sender: alice, recipient: bob.sessionId, content, rng });
  const v1 = wrapV1Envelope({
    content: encryptV1({
      sender: alice,
      recipient: bob.sessionId,
      message: padContent(content),
      rng,
    }),
    timestamp: 1_760_000_000_000,
  });
  const knownV2 = new Set<string>();
  const incoming = (data: Uint8Array) =>
    decryptIncomingDm({
      recipient: bob,
      accountKeys: [bobAccount],
      data,
      senderHasV2Keys: (s) => knownV2.has(s),
    });
  const expected = [
    [v2, 'pfs', 'pfs'],
    [nonPfs, 'non-pfs', 'weaker-non-pfs'],
    [v1, 'v1', 'weaker-v1'],
  ] as const;
  for (const [data, path, security] of expected) {
    const r = incoming(data);
    assert.ok(r.ok, path);
    assert.equal(r.path, path);
    assert.equal(r.security, security);
    assert.equal(r.downgradeSuspected, false);
    assert.deepEqual(r.content, content);
    assert.equal(r.senderSessionId, alice.sessionId);
  }
  knownV2.add(alice.sessionId);
  for (const [data, path] of expected) {
    const r = incoming(data);
    assert.ok(r.ok);
    assert.equal(r.downgradeSuspected, path !== 'pfs', path);
  }
  const again = incoming(v1);
  assert.equal(again.ok && again.path, 'v1');
  assert.deepEqual(incoming(concatBytes(Uint8Array.of(0, 3), v2.subarray(2))), {
    ok: false,
    reason: 'unknown-version',
    format: 'v2',
  });
  assert.deepEqual(incoming(Uint8Array.of(0x08, 0x01, 0xff)), {
    ok: false,
    reason: 'bad-format',
    format: 'v1',
  });
  assert.deepEqual(incoming(new Uint8Array(0)), { ok: false, reason: 'too-short', format: 'v1' });
  const carol = identityFromSeed(rng.randomBytes(32));
  const toCarol = wrapV1Envelope({
    content: encryptV1({
      sender: alice,
      recipient: carol.sessionId,
      message: padContent(content),
      rng,
    }),
    timestamp: 1,
  });
  assert.deepEqual(incoming(toCarol), { ok: false, reason: 'no-key', format: 'v1' });
});
