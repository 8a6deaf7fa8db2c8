/**
 * Checks of the primitives the V2 core builds on: ML-KEM-768 (libsodium's WebAssembly build)
 * cross-checked against @noble/post-quantum, an independent implementation; Ed25519 scalar
 * arithmetic against key generation; the bare XChaCha20 stream. Test randomness is seeded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import {
  MLKEM768,
  ed25519KeyPairFromSeed,
  ed25519ScalarAdd,
  ed25519ScalarMul,
  ed25519ScalarMultBaseNoclamp,
  ed25519ScalarNegate,
  ed25519ScalarReduce,
  mlkem768Decapsulate,
  mlkem768Encapsulate,
  mlkem768KeyPairFromSeed,
  sha512,
  xchacha20Xor,
} from './primitives.ts';

/** Deterministic bytes: SHA-256 in counter mode over a label (test-only randomness). */
function seeded(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, off = 0; off < length; i++, off += 32) {
    const block = createHash('sha256').update(`${label}/${i}`).digest();
    out.set(block.subarray(0, Math.min(32, length - off)), off);
  }
  return out;
}

test('ML-KEM-768 matches @noble/post-quantum for seeded keygen and encapsulation', () => {
  for (let i = 0; i < 8; i++) {
    const seed = seeded(`kem-seed-${i}`, MLKEM768.seedBytes);
    const coins = seeded(`kem-coins-${i}`, MLKEM768.coinsBytes);
    const ours = mlkem768KeyPairFromSeed(seed);
    const noble = ml_kem768.keygen(seed);
    assert.deepEqual(ours.publicKey, noble.publicKey);
    assert.deepEqual(ours.secretKey, noble.secretKey);
    const enc = mlkem768Encapsulate(ours.publicKey, coins);
    const nobleEnc = ml_kem768.encapsulate(ours.publicKey, coins);
    assert.deepEqual(enc.ciphertext, nobleEnc.cipherText);
    assert.deepEqual(enc.sharedSecret, nobleEnc.sharedSecret);
    assert.deepEqual(mlkem768Decapsulate(ours.secretKey, enc.ciphertext), enc.sharedSecret);
    assert.deepEqual(ml_kem768.decapsulate(enc.ciphertext, ours.secretKey), enc.sharedSecret);
    // implicit rejection: a flipped ciphertext bit gives a different secret, the same in both
    const bad = Uint8Array.from(enc.ciphertext);
    bad[i * 100] = (bad[i * 100] ?? 0) ^ 1;
    const rejected = mlkem768Decapsulate(ours.secretKey, bad);
    assert.notDeepEqual(rejected, enc.sharedSecret);
    assert.deepEqual(rejected, ml_kem768.decapsulate(bad, ours.secretKey));
  }
  assert.throws(() => mlkem768KeyPairFromSeed(new Uint8Array(32)), /expected 64 bytes/);
  assert.throws(() => mlkem768Encapsulate(new Uint8Array(1183), new Uint8Array(32)), /1184/);
});

test('Ed25519 scalar arithmetic agrees with key generation', () => {
  const seed = seeded('scalar', 32);
  const { publicKey } = ed25519KeyPairFromSeed(seed);
  const h = sha512(seed);
  const a = h.slice(0, 32);
  a[0] = (a[0] ?? 0) & 248;
  a[31] = ((a[31] ?? 0) & 63) | 64;
  const reduced = ed25519ScalarReduce(Uint8Array.from([...a, ...new Uint8Array(32)]));
  assert.deepEqual(ed25519ScalarMultBaseNoclamp(reduced), publicKey);
  const one = new Uint8Array(32);
  one[0] = 1;
  assert.deepEqual(ed25519ScalarMul(reduced, one), reduced);
  assert.deepEqual(ed25519ScalarAdd(reduced, ed25519ScalarNegate(reduced)), new Uint8Array(32));
  assert.equal(ed25519ScalarMultBaseNoclamp(new Uint8Array(32)), undefined);
});

test('XChaCha20 stream XOR is an involution and depends on key and nonce', () => {
  const key = seeded('k', 32);
  const nonce = seeded('n', 24);
  const data = seeded('d', 100);
  const c = xchacha20Xor(key, nonce, data);
  assert.notDeepEqual(c, data);
  assert.deepEqual(xchacha20Xor(key, nonce, c), data);
  assert.notDeepEqual(xchacha20Xor(seeded('k2', 32), nonce, data), c);
  assert.notDeepEqual(xchacha20Xor(key, seeded('n2', 24), data), c);
});
