/**
 * Attack tests for V2 one-to-one messages. Each test plays the attacker and asserts what it gets:
 *
 * - forward secrecy: seizing a device's complete key state (root seed and account-key ring)
 *   opens captured DMs only while the key they used is retained, i.e. for 384–397 hours;
 * - harvest now, decrypt later: every X25519 secret (long-term and account), but no ML-KEM
 *   secret, opens no PFS message (and does open non-PFS and V1 ones: those are not PQ);
 * - tampering: every single-bit flip of a V2 message is refused with a typed reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../../encoding/bytes.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { mlkem768KeyPairFromSeed, x25519 } from '../../crypto/primitives.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { encryptV1 } from '../../v1/encrypt.ts';
import { padContent } from '../../v1/padding.ts';
import { wrapV1Envelope } from '../../v1/envelope.ts';
import { accountKeysFromSeed, type HybridKeyPair } from '../keys/hybrid-keys.ts';
import {
  ACCOUNT_KEY_RETENTION_SECONDS,
  currentAccountKey,
  pruneAccountKeyRing,
  retainedAccountKeys,
  type AccountKeyRing,
} from '../keys/account-key-ring.ts';
import { nextAccountRotation, rotateAccountKey } from '../keys/account-key-rotation.ts';
import { newDeviceId } from '../keys/device-id.ts';
import { encryptV2Dm, encryptV2DmNonPfs } from './dm-encrypt.ts';
import { decryptV2Dm } from './dm-decrypt.ts';
import { decryptIncomingDm } from './incoming-dm.ts';
import { nonPfsKeyNonce, nonPfsSharedSecret, pfsKeyNonce, xwingSharedSecret } from './dm-keys.ts';
import { xchacha20poly1305Decrypt } from '../../crypto/primitives.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
const T0 = 1_760_000_000;

const rng = createSeededRng('attacks');
const alice = identityFromSeed(rng.randomBytes(32));
const bob = identityFromSeed(rng.randomBytes(32));

test('forward secrecy: a seized device opens captured DMs for 384–397 h, then never', () => {
  // Bob's single device rotates its account key on upstream's schedule for 20 days; Alice sends
  // a DM to his current key every 6 hours, and the attacker records every ciphertext.
  const deviceId = newDeviceId(rng);
  let ring: AccountKeyRing = rotateAccountKey([], T0, rng).ring;
  const snapshots: { at: number; ring: AccountKeyRing }[] = [{ at: T0, ring }];
  const captured: { sentAt: number; created: number; data: Uint8Array }[] = [];
  let nextSend = T0;
  for (let now = T0; now <= T0 + 20 * DAY;) {
    const due = Math.ceil(nextAccountRotation({ ring, deviceId, registeredDevices: 1 }) ?? now);
    while (nextSend < due && nextSend <= T0 + 20 * DAY) {
      const current = currentAccountKey(ring);
      assert.ok(current);
      const data = encryptV2Dm({
        sender: alice,
        recipient: bob.sessionId,
        recipientKeys: accountKeysFromSeed(current.seed),
        content: utf8(`message sent at +${(nextSend - T0) / HOUR} h`),
        rng,
      });
      captured.push({ sentAt: nextSend, created: current.created, data });
      nextSend += 6 * HOUR;
    }
    now = due;
    ring = rotateAccountKey(ring, now, rng).ring;
    snapshots.push({ at: now, ring });
  }
  assert.ok(captured.length >= 80);

  /** The device's complete state at `t`: the root seed and the (pruned) account-key ring. */
  const seize = (t: number) => {
    const last = [...snapshots].reverse().find((s) => s.at <= t);
    assert.ok(last);
    return pruneAccountKeyRing(last.ring, t);
  };
  const rotatedAt = (created: number): number | undefined => {
    const final = snapshots.at(-1)?.ring ?? [];
    return (
      final.find((k) => k.created === created)?.rotated ??
      snapshots.flatMap((s) => s.ring).find((k) => k.created === created && k.rotated !== undefined)
        ?.rotated
    );
  };

  let windowMin = Infinity;
  let windowMax = 0;
  for (const seizedAt of [T0 + 10 * DAY, T0 + 17 * DAY, T0 + 18 * DAY + 5 * HOUR, T0 + 20 * DAY]) {
    const state = seize(seizedAt);
    const keys = retainedAccountKeys(state, seizedAt);
    for (const m of captured.filter((c) => c.sentAt <= seizedAt)) {
      const r = decryptV2Dm({ recipient: bob, accountKeys: keys, data: m.data });
      const rotated = rotatedAt(m.created);
      const retained = rotated === undefined || rotated >= seizedAt - ACCOUNT_KEY_RETENTION_SECONDS;
      assert.equal(
        r.ok,
        retained,
        `sent +${(m.sentAt - T0) / HOUR} h, seized +${(seizedAt - T0) / HOUR} h`,
      );
      const age = (seizedAt - m.sentAt) / HOUR;
      if (r.ok) {
        assert.equal(r.path, 'pfs');
        windowMax = Math.max(windowMax, age);
      } else {
        assert.equal(r.reason, 'no-key');
        windowMin = Math.min(windowMin, age);
      }
      // The documented window: always readable within 384 h, never after 397 h.
      if (age <= 384) assert.ok(r.ok, `a ${age} h old message must still be readable`);
      if (age > 397) assert.ok(!r.ok, `a ${age} h old message must be unreadable`);
    }
  }
  // Seized at day 10, everything since day 0 opens; at day 18+, day-0 messages are gone.
  assert.ok(windowMax >= 384 && windowMax <= 397, `largest readable age ${windowMax} h`);
  assert.ok(windowMin > 384 && windowMin <= 397 + 6, `smallest unreadable age ${windowMin} h`);
});

test('harvest now, decrypt later: all X25519 secrets but no ML-KEM secret open no PFS DM', () => {
  const accountSeed = rng.randomBytes(32);
  const account = accountKeysFromSeed(accountSeed);
  const content = utf8('what a quantum attacker wants');
  const pfs = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: account,
    content,
    rng,
  });

  // The attacker can compute every X25519 secret (a quantum computer breaks X25519): Bob's
  // long-term key and his account key's X25519 half, and so every X25519 shared secret of the
  // message. It has Bob's ML-KEM *public* key but not the secret key.
  const E = pfs.subarray(4, 36);
  const ssX = x25519(account.x25519SecretKey.borrowBytes(), E);
  assert.ok(ssX);
  const guesses: HybridKeyPair[] = [];
  for (let i = 0; i < 4; i++) {
    const wrong = mlkem768KeyPairFromSeed(rng.randomBytes(64));
    guesses.push({
      ...account,
      // Right X25519 halves, right ML-KEM public key; an ML-KEM secret key it does not have.
      mlkemSecretKey: new SecretKey('mlkem-secret-key', wrong.secretKey),
    });
  }
  const r = decryptV2Dm({ recipient: bob, accountKeys: guesses, data: pfs });
  assert.deepEqual(r, { ok: false, reason: 'no-key' });
  // Nor by guessing the ML-KEM shared secret outright, with the true X25519 secret in hand.
  for (const ssM of [new Uint8Array(32), ssX, rng.randomBytes(32)]) {
    const { key, nonce } = pfsKeyNonce(xwingSharedSecret(ssM, ssX, E, account.x25519PublicKey));
    assert.equal(xchacha20poly1305Decrypt(key, nonce, pfs.subarray(1124)), undefined);
  }
  // Nor through the non-PFS derivation with the long-term key.
  const lt = x25519(bob.x25519SecretKey.borrowBytes(), E);
  assert.ok(lt);
  const { key, nonce } = nonPfsKeyNonce(nonPfsSharedSecret(lt, bob.x25519PublicKey, E));
  assert.equal(xchacha20poly1305Decrypt(key, nonce, pfs.subarray(1124)), undefined);
  // Control: with the ML-KEM secret it opens.
  assert.ok(decryptV2Dm({ recipient: bob, accountKeys: [account], data: pfs }).ok);

  // What is *not* post-quantum: the same attacker reads non-PFS and V1 messages, which use
  // X25519 alone (docs/protocol-v2.md, "Security argument").
  const nonPfs = encryptV2DmNonPfs({ sender: alice, recipient: bob.sessionId, content, rng });
  const opened = decryptV2Dm({ recipient: bob, accountKeys: [], data: nonPfs });
  assert.ok(opened.ok && opened.path === 'non-pfs');
  const v1 = wrapV1Envelope({
    content: encryptV1({
      sender: alice,
      recipient: bob.sessionId,
      message: padContent(content),
      rng,
    }),
    timestamp: 1,
  });
  assert.equal(decryptIncomingDm({ recipient: bob, accountKeys: [], data: v1 }).ok, true);
});

test('tampering: every single-bit flip of a V2 PFS message is refused with a typed reason', () => {
  const account = accountKeysFromSeed(rng.randomBytes(32));
  const content = utf8('flip me');
  const data = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: account,
    content,
    rng,
  });
  assert.equal(data.length, 1536);
  const allowed = new Set([
    'too-short',
    'unknown-version',
    'no-key',
    'bad-signature',
    'bad-format',
  ]);
  const seen = new Map<string, number>();
  const flipped = Uint8Array.from(data);
  for (let bit = 0; bit < data.length * 8; bit++) {
    const byte = bit >> 3;
    const mask = 1 << (bit & 7);
    flipped[byte] = (flipped[byte] ?? 0) ^ mask;
    const r = decryptIncomingDm({ recipient: bob, accountKeys: [account], data: flipped });
    flipped[byte] = (flipped[byte] ?? 0) ^ mask;
    assert.equal(r.ok, false, `bit ${bit} accepted`);
    if (!r.ok) {
      assert.ok(allowed.has(r.reason), `bit ${bit}: ${r.reason}`);
      seen.set(r.reason, (seen.get(r.reason) ?? 0) + 1);
    }
  }
  // The untouched message still opens, and the reasons are the expected ones.
  assert.ok(decryptIncomingDm({ recipient: bob, accountKeys: [account], data }).ok);
  assert.deepEqual([...seen.keys()].sort(), ['bad-format', 'no-key', 'unknown-version']);
  assert.equal(seen.get('unknown-version'), 8, 'each bit of the version byte');
});

test('tampering: sampled bit flips of non-PFS and multi-block messages', () => {
  const account = accountKeysFromSeed(rng.randomBytes(32));
  const content = utf8('non-pfs');
  const nonPfs = encryptV2DmNonPfs({ sender: alice, recipient: bob.sessionId, content, rng });
  const big = encryptV2Dm({
    sender: alice,
    recipient: bob.sessionId,
    recipientKeys: account,
    content: rng.randomBytes(1024),
    rng,
  });
  for (const [data, pfs] of [
    [nonPfs, false],
    [big, true],
  ] as const) {
    const bits = data.length * 8;
    for (let bit = 3; bit < bits; bit += 31) {
      const byte = bit >> 3;
      const flipped = Uint8Array.from(data);
      flipped[byte] = (flipped[byte] ?? 0) ^ (1 << (bit & 7));
      const r = decryptIncomingDm({ recipient: bob, accountKeys: [account], data: flipped });
      // A non-PFS message's key indicator and KEM slot are random filler that nothing covers
      // (V2 uses no associated data, §1): flipping them leaves the same authentic message.
      const filler = !pfs && ((byte >= 2 && byte < 4) || (byte >= 36 && byte < 1124));
      if (filler) {
        assert.ok(r.ok && r.path === 'non-pfs', `filler bit ${bit}`);
        assert.deepEqual(r.content, content, 'never a different plaintext');
        assert.equal(r.senderSessionId, alice.sessionId);
      } else {
        assert.equal(r.ok, false, `bit ${bit} of a ${pfs ? 'PFS' : 'non-PFS'} message accepted`);
      }
    }
    // Truncation and extension are refused too.
    for (const cut of [
      data.subarray(0, data.length - 1),
      data.subarray(0, 1124),
      new Uint8Array([...data, 0]),
    ]) {
      assert.equal(
        decryptIncomingDm({ recipient: bob, accountKeys: [account], data: cut }).ok,
        false,
      );
    }
  }
});
