/**
 * Benchmark cases for the protocol core (issue #2): identity derivation, V1 encrypt and V1
 * decrypt of 1 KiB, each against the raw libsodium calls that do the same cryptographic work,
 * measured in the same run. The ratio shows what our layers (validation, padding, key objects,
 * copies) cost on top of the primitives.
 */
import sodium from 'sodium-native';
import { createSystemRng, decryptV1, encryptV1, identityFromSeed } from '@session-ts/core';
import type { BenchPair } from './harness.ts';

const MESSAGE_BYTES = 1024;

/** Builds the core benchmark pairs with fresh keys. */
export function coreCases(): BenchPair[] {
  const rng = createSystemRng();
  const seed = Buffer.from(rng.randomBytes(32));
  const alice = identityFromSeed(rng.randomBytes(32));
  const bob = identityFromSeed(rng.randomBytes(32));
  const message = rng.randomBytes(MESSAGE_BYTES);

  // Raw libsodium state for the baselines.
  const pk = Buffer.alloc(32);
  const sk = Buffer.alloc(64);
  const xpk = Buffer.alloc(32);
  const xsk = Buffer.alloc(32);
  const aliceSk = Buffer.from(alice.ed25519SecretKey.exportBytes());
  const aliceEd = Buffer.from(alice.ed25519PublicKey);
  const bobX = Buffer.from(bob.x25519PublicKey);
  const bobXsk = Buffer.from(bob.x25519SecretKey.exportBytes());
  const msg = Buffer.from(message);
  const sig = Buffer.alloc(64);

  const rawSeal = (): Buffer => {
    sodium.crypto_sign_detached(sig, Buffer.concat([msg, aliceEd, bobX]), aliceSk);
    const inner = Buffer.concat([msg, aliceEd, sig]);
    const sealed = Buffer.alloc(inner.length + sodium.crypto_box_SEALBYTES);
    sodium.crypto_box_seal(sealed, inner, bobX);
    return sealed;
  };
  const sealedForBob = rawSeal();
  const ours = encryptV1({ sender: alice, recipient: bob.sessionId, message, rng });

  return [
    {
      name: 'identity from seed',
      subject: { name: 'identityFromSeed', fn: () => identityFromSeed(seed) },
      baseline: {
        name: 'sign_seed_keypair + pk/sk_to_curve25519',
        fn: () => {
          sodium.crypto_sign_seed_keypair(pk, sk, seed);
          sodium.crypto_sign_ed25519_pk_to_curve25519(xpk, pk);
          sodium.crypto_sign_ed25519_sk_to_curve25519(xsk, sk);
        },
      },
      note: 'raw libsodium keypair + conversions',
    },
    {
      name: 'V1 encrypt 1 KiB',
      subject: {
        name: 'encryptV1',
        fn: () => encryptV1({ sender: alice, recipient: bob.sessionId, message, rng }),
      },
      baseline: { name: 'sign_detached + box_seal', fn: rawSeal },
      note: 'raw libsodium sign + sealed box',
    },
    {
      name: 'V1 decrypt 1 KiB',
      subject: { name: 'decryptV1', fn: () => decryptV1(bob, ours) },
      baseline: {
        name: 'box_seal_open + verify_detached + pk_to_curve25519',
        fn: () => {
          const inner = Buffer.alloc(sealedForBob.length - sodium.crypto_box_SEALBYTES);
          sodium.crypto_box_seal_open(inner, sealedForBob, bobX, bobXsk);
          const m = inner.subarray(0, inner.length - 96);
          const a = inner.subarray(inner.length - 96, inner.length - 64);
          const s = inner.subarray(inner.length - 64);
          const ok = sodium.crypto_sign_verify_detached(s, Buffer.concat([m, a, bobX]), a);
          // upstream's decrypt_incoming_session_id also derives the sender's Session ID
          sodium.crypto_sign_ed25519_pk_to_curve25519(xpk, a);
          return ok;
        },
      },
      note: 'raw libsodium seal_open + verify + sender ID',
    },
  ];
}
