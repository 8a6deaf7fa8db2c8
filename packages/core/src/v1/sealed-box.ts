/**
 * libsodium's anonymous "sealed box" (`crypto_box_seal`), built from its parts so the ephemeral
 * key can come from an injected `Rng` or from upstream's deterministic test derivation
 * (protocol-v1.md §3.2 step 3, §3.3; session-foundation/libsession-util:src/session_encrypt.cpp,
 * `encrypt_for_recipient_deterministic`, which builds it the same way):
 *
 *   nonce = BLAKE2b-24(epk ‖ Y)            (unkeyed)
 *   box   = crypto_box_easy(P, nonce, Y, esk) = MAC(16) ‖ XSalsa20 ciphertext
 *   out   = epk ‖ box
 *
 * The output opens with the stock `crypto_box_seal_open` (`sealedBoxOpen` in
 * crypto/primitives.ts). Internal to v1/: callers use `encryptV1`, which signs before sealing.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, concatBytes } from '../encoding/bytes.ts';
import { blake2bParts, boxEasy, boxKeyPairFromSeed } from '../crypto/primitives.ts';

/** Bytes a sealed box adds: the ephemeral public key (32) and the Poly1305 MAC (16). */
export const SEALED_BOX_OVERHEAD = 48;

/** The sealed-box nonce for an ephemeral public key and a recipient X25519 key. */
export function sealedBoxNonce(ephemeralPublicKey: Uint8Array, recipient: Uint8Array): Uint8Array {
  assertBytes('ephemeral public key', ephemeralPublicKey, 32);
  assertBytes('recipient X25519 public key', recipient, 32);
  return blake2bParts(24, [ephemeralPublicKey, recipient]);
}

/**
 * Seals `plaintext` to the X25519 key `recipient` with the ephemeral key pair derived from the
 * 32-byte `ephemeralSeed` (libsodium `crypto_box_seed_keypair`). Throws `invalid-key` when the
 * recipient key is a low-order point (libsodium refuses the all-zero shared secret).
 */
export function sealWithEphemeralSeed(
  plaintext: Uint8Array,
  recipient: Uint8Array,
  ephemeralSeed: Uint8Array,
): Uint8Array {
  assertBytes('plaintext', plaintext);
  assertBytes('recipient X25519 public key', recipient, 32);
  assertBytes('ephemeral seed', ephemeralSeed, 32);
  const ephemeral = boxKeyPairFromSeed(ephemeralSeed);
  const nonce = sealedBoxNonce(ephemeral.publicKey, recipient);
  const box = boxEasy(plaintext, nonce, recipient, ephemeral.secretKey);
  ephemeral.secretKey.fill(0);
  if (box === undefined) {
    throw new ProtocolError('invalid-key', 'recipient X25519 public key: a low-order point');
  }
  return concatBytes(ephemeral.publicKey, box);
}
