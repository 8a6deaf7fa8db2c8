/**
 * The only module of session-ts that imports cryptographic libraries. Everything above it calls
 * these functions, so a library swap or an audit touches one file.
 *
 * Choice by measurement (issue #2, measured on this 2-core machine): sodium-native (libsodium
 * 1.0.x bindings) gives X25519 ≈ 26k/s and Ed25519 signing ≈ 33k/s, about 40× the pure-JS curve
 * libraries, so every curve, box, AEAD, BLAKE2b and Argon2id call goes to libsodium.
 * @noble/hashes supplies only what sodium-native does not bind: BLAKE2b with salt and
 * personalisation (beyond the lengths libsodium serves). SHA3-256 and SHAKE256 (V2 key
 * derivation) come from Node's OpenSSL (`node:crypto`): ≈ 3–4 µs per short input against ≈ 15 µs
 * for @noble/hashes, which the V2 DM pays four times per message; the tests cross-check both
 * against @noble/hashes.
 *
 * ML-KEM-768 and the Ed25519 scalar product come from libsodium 1.0.22 built to WebAssembly
 * (libsodium-wrappers-sumo): measured here ≈ 11.5k encapsulations/s, ≈ 10.3k decapsulations/s
 * and ≈ 13k seeded key generations/s, against ≈ 1.5k/s for pure JS. Its seeded key generation
 * and deterministic encapsulation are what the V2 known-answer vectors need; the tests
 * cross-check both against @noble/post-quantum, an independent implementation.
 *
 * Primitives that fail on bad input (an invalid point, a failed MAC) return `undefined` here;
 * callers turn that into the outcome or error their layer defines.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import sodium from 'sodium-native';
import sumo from 'libsodium-wrappers-sumo';
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import { createHash } from 'node:crypto';
import { assertBytes } from '../encoding/bytes.ts';
import type { Rng } from './rng.ts';

// The WebAssembly module must be instantiated once before use.
await sumo.ready;

/** sodium-native binds this, but its published typings lack it. */
interface SodiumStreamXor {
  crypto_stream_xchacha20_xor(c: Buffer, m: Buffer, n: Buffer, k: Buffer): void;
}

function streamXor(c: Buffer, m: Buffer, n: Buffer, k: Buffer): void {
  (sodium as unknown as SodiumStreamXor).crypto_stream_xchacha20_xor(c, m, n, k);
}

/** libsodium's `crypto_generichash` output bounds. */
const BLAKE2B_MIN = 16;
const BLAKE2B_MAX = 64;

function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function out(length: number): Buffer {
  return Buffer.alloc(length);
}

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** An Ed25519 key pair from a 32-byte seed; the secret key is libsodium's seed ‖ pk form. */
export function ed25519KeyPairFromSeed(seed: Uint8Array): {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
} {
  assertBytes('Ed25519 seed', seed, 32);
  const pk = out(32);
  const sk = out(64);
  sodium.crypto_sign_seed_keypair(pk, sk, buf(seed));
  return { publicKey: bytes(pk), secretKey: bytes(sk) };
}

/** A detached Ed25519 signature with a 64-byte libsodium secret key. */
export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes('Ed25519 secret key', secretKey, 64);
  const sig = out(64);
  sodium.crypto_sign_detached(sig, buf(message), buf(secretKey));
  return bytes(sig);
}

/** Verifies a detached Ed25519 signature. */
export function ed25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  return sodium.crypto_sign_verify_detached(buf(signature), buf(message), buf(publicKey));
}

/** Ed25519 → X25519 public key (birational map); `undefined` for a non-point or small order. */
export function ed25519PublicKeyToX25519(publicKey: Uint8Array): Uint8Array | undefined {
  if (publicKey.length !== 32) return undefined;
  const x = out(32);
  try {
    sodium.crypto_sign_ed25519_pk_to_curve25519(x, buf(publicKey));
  } catch {
    return undefined;
  }
  return bytes(x);
}

/** Ed25519 secret key (64 bytes) → clamped X25519 secret key. */
export function ed25519SecretKeyToX25519(secretKey: Uint8Array): Uint8Array {
  assertBytes('Ed25519 secret key', secretKey, 64);
  const x = out(32);
  sodium.crypto_sign_ed25519_sk_to_curve25519(x, buf(secretKey));
  return bytes(x);
}

/** True when `point` is a valid, non-small-order Ed25519 point encoding. */
export function ed25519IsValidPoint(point: Uint8Array): boolean {
  if (point.length !== 32) return false;
  return sodium.crypto_core_ed25519_is_valid_point(buf(point));
}

/** X25519 base-point multiple (the public key of a secret scalar). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes('X25519 secret key', secretKey, 32);
  const pk = out(32);
  sodium.crypto_scalarmult_base(pk, buf(secretKey));
  return bytes(pk);
}

/** X25519 shared secret; `undefined` when the result is all zero (small-order input). */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | undefined {
  assertBytes('X25519 secret key', secretKey, 32);
  assertBytes('X25519 public key', publicKey, 32);
  const shared = out(32);
  try {
    sodium.crypto_scalarmult(shared, buf(secretKey), buf(publicKey));
  } catch {
    return undefined;
  }
  return bytes(shared);
}

/** libsodium `crypto_box_seed_keypair`: sk = SHA-512(seed)[0..32], pk = X25519-base(sk). */
export function boxKeyPairFromSeed(seed: Uint8Array): {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
} {
  assertBytes('box seed', seed, 32);
  const pk = out(32);
  const sk = out(32);
  sodium.crypto_box_seed_keypair(pk, sk, buf(seed));
  return { publicKey: bytes(pk), secretKey: bytes(sk) };
}

/** libsodium `crypto_box_easy`: MAC(16) ‖ XSalsa20 ciphertext, key = HSalsa20(X25519(sk, pk)). */
export function boxEasy(
  message: Uint8Array,
  nonce: Uint8Array,
  publicKey: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array | undefined {
  assertBytes('box nonce', nonce, 24);
  const c = out(message.length + 16);
  try {
    sodium.crypto_box_easy(c, buf(message), buf(nonce), buf(publicKey), buf(secretKey));
  } catch {
    return undefined;
  }
  return bytes(c);
}

/** libsodium `crypto_box_seal_open`; `undefined` when the box does not open. */
export function sealedBoxOpen(
  box: Uint8Array,
  publicKey: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array | undefined {
  if (box.length < 48) return undefined;
  const m = out(box.length - 48);
  const ok = sodium.crypto_box_seal_open(m, buf(box), buf(publicKey), buf(secretKey));
  return ok ? bytes(m) : undefined;
}

/** BLAKE2b (libsodium `crypto_generichash`), 16–64 byte output, optional 16–64 byte key. */
export function blake2b(length: number, data: Uint8Array, key?: Uint8Array): Uint8Array {
  if (!Number.isInteger(length) || length < BLAKE2B_MIN || length > BLAKE2B_MAX) {
    throw new RangeError(`BLAKE2b output length must be ${BLAKE2B_MIN}..${BLAKE2B_MAX}`);
  }
  const h = out(length);
  if (key === undefined || key.length === 0) sodium.crypto_generichash(h, buf(data));
  else sodium.crypto_generichash(h, buf(data), buf(key));
  return bytes(h);
}

/**
 * BLAKE2b with optional key, 16-byte salt and 16-byte personalisation, any output length 1–64.
 *
 * libsodium's `crypto_generichash_blake2b_salt_personal` from the WebAssembly build, called
 * through its raw exports because the wrapper binds it only as a KDF (no message): measured here
 * ≈ 20× faster than @noble/hashes (0.14 ms vs 3.0 ms for 74 KB; 6 µs vs 87 µs for 2.3 KB), which
 * matters for the device-group message's per-recipient hashes over the whole payload. The
 * tests cross-check it against @noble/hashes, which also serves lengths libsodium refuses.
 */
export function blake2bSaltPersonal(
  length: number,
  data: Uint8Array,
  options: { key?: Uint8Array; salt?: Uint8Array; personalization?: Uint8Array },
): Uint8Array {
  const { key, salt, personalization } = options;
  if (
    !Number.isInteger(length) ||
    length < 1 ||
    length > BLAKE2B_MAX ||
    (key !== undefined && key.length > BLAKE2B_MAX) ||
    (salt !== undefined && salt.length !== 16) ||
    (personalization !== undefined && personalization.length !== 16)
  ) {
    return nobleBlake2b(data, { dkLen: length, ...options });
  }
  const raw = sumo.libsodium;
  const keyLength = key?.length ?? 0;
  const total = length + data.length + keyLength + 32;
  const p = raw._malloc(total);
  try {
    const input = p + length;
    const k = input + data.length;
    const s = k + keyLength;
    const pers = s + 16;
    raw.HEAPU8.set(data, input);
    if (key !== undefined) raw.HEAPU8.set(key, k);
    if (salt !== undefined) raw.HEAPU8.set(salt, s);
    if (personalization !== undefined) raw.HEAPU8.set(personalization, pers);
    const rc = raw._crypto_generichash_blake2b_salt_personal(
      p,
      length,
      input,
      data.length,
      0, // inputs are far below 2^32 bytes
      keyLength > 0 ? k : 0,
      keyLength,
      salt === undefined ? 0 : s,
      personalization === undefined ? 0 : pers,
    );
    if (rc !== 0) throw new RangeError('BLAKE2b: libsodium refused the parameters');
    return raw.HEAPU8.slice(p, p + length);
  } finally {
    raw.HEAPU8.fill(0, p, p + total);
    raw._free(p);
  }
}

/** BLAKE2b over the concatenation of `parts` (libsodium's multi-part `crypto_generichash_batch`). */
export function blake2bParts(
  length: number,
  parts: readonly Uint8Array[],
  key?: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(length) || length < BLAKE2B_MIN || length > BLAKE2B_MAX) {
    throw new RangeError(`BLAKE2b output length must be ${BLAKE2B_MIN}..${BLAKE2B_MAX}`);
  }
  const h = out(length);
  const inputs = parts.map(buf);
  if (key === undefined || key.length === 0) sodium.crypto_generichash_batch(h, inputs);
  else sodium.crypto_generichash_batch(h, inputs, buf(key));
  return bytes(h);
}

/** SHA-512. */
export function sha512(data: Uint8Array): Uint8Array {
  const h = out(64);
  sodium.crypto_hash_sha512(h, buf(data));
  return bytes(h);
}

/** SHA-256. */
export function sha256(data: Uint8Array): Uint8Array {
  const h = out(32);
  sodium.crypto_hash_sha256(h, buf(data));
  return bytes(h);
}

/** SHAKE256 with `length` bytes of output (OpenSSL's XOF). */
export function shake256(data: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`SHAKE256 output length must be a non-negative integer, got ${length}`);
  }
  return bytes(createHash('shake256', { outputLength: length }).update(data).digest());
}

/** XChaCha20-Poly1305 (IETF) encryption: ciphertext ‖ 16-byte tag. */
export function xchacha20poly1305Encrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData?: Uint8Array,
): Uint8Array {
  assertBytes('XChaCha20-Poly1305 key', key, 32);
  assertBytes('XChaCha20-Poly1305 nonce', nonce, 24);
  const c = out(plaintext.length + 16);
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    c,
    buf(plaintext),
    associatedData === undefined ? null : buf(associatedData),
    null,
    buf(nonce),
    buf(key),
  );
  return bytes(c);
}

/** XChaCha20-Poly1305 (IETF) decryption; `undefined` when the tag does not verify. */
export function xchacha20poly1305Decrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  associatedData?: Uint8Array,
): Uint8Array | undefined {
  assertBytes('XChaCha20-Poly1305 key', key, 32);
  assertBytes('XChaCha20-Poly1305 nonce', nonce, 24);
  if (ciphertext.length < 16) return undefined;
  const m = out(ciphertext.length - 16);
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      m,
      null,
      buf(ciphertext),
      associatedData === undefined ? null : buf(associatedData),
      buf(nonce),
      buf(key),
    );
  } catch {
    return undefined;
  }
  return bytes(m);
}

/** Argon2id v1.3 (libsodium `crypto_pwhash` with ALG_ARGON2ID13); `memLimit` in bytes. */
export function argon2id(
  length: number,
  password: Uint8Array,
  salt: Uint8Array,
  opsLimit: number,
  memLimit: number,
): Uint8Array {
  assertBytes('Argon2id salt', salt, sodium.crypto_pwhash_SALTBYTES);
  const h = out(length);
  sodium.crypto_pwhash(
    h,
    buf(password),
    buf(salt),
    opsLimit,
    memLimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  return bytes(h);
}

/**
 * The system CSPRNG (libsodium `randombytes_buf`) as an `Rng`. Core code never calls this: it
 * is exported for the edges (apps, `main.ts` files) to build once and pass down, so every
 * protocol function keeps taking randomness as an argument. The architecture test enforces
 * that no other core module calls it.
 */
export function createSystemRng(): Rng {
  return {
    randomBytes(length: number): Uint8Array {
      if (!Number.isInteger(length) || length < 0) {
        throw new RangeError(`random byte count must be a non-negative integer, got ${length}`);
      }
      const b = out(length);
      sodium.randombytes_buf(b);
      return bytes(b);
    },
  };
}

/** ML-KEM-768 sizes (FIPS 203). */
export const MLKEM768 = {
  publicKeyBytes: 1184,
  secretKeyBytes: 2400,
  ciphertextBytes: 1088,
  sharedSecretBytes: 32,
  seedBytes: 64,
  coinsBytes: 32,
} as const;

/** ML-KEM-768 key pair from a 64-byte seed `d ‖ z` (FIPS 203 ML-KEM.KeyGen_internal). */
export function mlkem768KeyPairFromSeed(seed: Uint8Array): {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
} {
  assertBytes('ML-KEM-768 seed', seed, MLKEM768.seedBytes);
  const kp = sumo.crypto_kem_mlkem768_seed_keypair(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** ML-KEM-768 encapsulation with caller-supplied 32-byte coins (deterministic given them). */
export function mlkem768Encapsulate(
  publicKey: Uint8Array,
  coins: Uint8Array,
): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  assertBytes('ML-KEM-768 public key', publicKey, MLKEM768.publicKeyBytes);
  assertBytes('ML-KEM-768 coins', coins, MLKEM768.coinsBytes);
  return sumo.crypto_kem_mlkem768_enc_deterministic(publicKey, coins);
}

/**
 * ML-KEM-768 decapsulation. ML-KEM never fails on a well-sized ciphertext: a tampered one
 * yields an unrelated (implicitly rejected) shared secret, which the AEAD then refuses.
 */
export function mlkem768Decapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  assertBytes('ML-KEM-768 secret key', secretKey, MLKEM768.secretKeyBytes);
  assertBytes('ML-KEM-768 ciphertext', ciphertext, MLKEM768.ciphertextBytes);
  return sumo.crypto_kem_mlkem768_dec(ciphertext, secretKey);
}

/** SHA3-256 (OpenSSL). */
export function sha3_256(data: Uint8Array): Uint8Array {
  return bytes(createHash('sha3-256').update(data).digest());
}

/** Bare XChaCha20 stream XOR from counter 0 (libsodium `crypto_stream_xchacha20_xor`); no MAC. */
export function xchacha20Xor(key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  assertBytes('XChaCha20 key', key, 32);
  assertBytes('XChaCha20 nonce', nonce, 24);
  const c = out(data.length);
  streamXor(c, buf(data), buf(nonce), buf(key));
  return bytes(c);
}

/** Reduces a 64-byte little-endian integer mod the Ed25519 group order L. */
export function ed25519ScalarReduce(wide: Uint8Array): Uint8Array {
  assertBytes('wide scalar', wide, 64);
  const r = out(32);
  sodium.crypto_core_ed25519_scalar_reduce(r, buf(wide));
  return bytes(r);
}

/** (x + y) mod L. */
export function ed25519ScalarAdd(x: Uint8Array, y: Uint8Array): Uint8Array {
  assertBytes('scalar', x, 32);
  assertBytes('scalar', y, 32);
  const r = out(32);
  sodium.crypto_core_ed25519_scalar_add(r, buf(x), buf(y));
  return bytes(r);
}

/** (x · y) mod L. */
export function ed25519ScalarMul(x: Uint8Array, y: Uint8Array): Uint8Array {
  assertBytes('scalar', x, 32);
  assertBytes('scalar', y, 32);
  return sumo.crypto_core_ed25519_scalar_mul(x, y);
}

/** (−x) mod L. */
export function ed25519ScalarNegate(x: Uint8Array): Uint8Array {
  assertBytes('scalar', x, 32);
  const r = out(32);
  sodium.crypto_core_ed25519_scalar_negate(r, buf(x));
  return bytes(r);
}

/** s·G without clamping; `undefined` for the zero scalar. */
export function ed25519ScalarMultBaseNoclamp(scalar: Uint8Array): Uint8Array | undefined {
  assertBytes('scalar', scalar, 32);
  const p = out(32);
  try {
    sodium.crypto_scalarmult_ed25519_base_noclamp(p, buf(scalar));
  } catch {
    return undefined;
  }
  return bytes(p);
}

/** s·P on Ed25519 without clamping; `undefined` for an invalid point or an identity result. */
export function ed25519ScalarMultNoclamp(
  scalar: Uint8Array,
  point: Uint8Array,
): Uint8Array | undefined {
  assertBytes('scalar', scalar, 32);
  assertBytes('Ed25519 point', point, 32);
  const p = out(32);
  try {
    sodium.crypto_scalarmult_ed25519_noclamp(p, buf(scalar), buf(point));
  } catch {
    return undefined;
  }
  return bytes(p);
}

/** HMAC-SHA256 (node:crypto; sodium-native does not bind libsodium's HMAC). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(message).digest());
}

/** AES-256-GCM with a 12-byte IV: ciphertext ‖ 16-byte tag (node:crypto / OpenSSL). */
export function aes256GcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  assertBytes('AES-256-GCM key', key, 32);
  assertBytes('AES-256-GCM IV', iv, 12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return new Uint8Array(Buffer.concat([body, final, cipher.getAuthTag()]));
}

/** AES-256-GCM decryption of ciphertext ‖ tag; `undefined` when the tag does not verify. */
export function aes256GcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  assertBytes('AES-256-GCM key', key, 32);
  assertBytes('AES-256-GCM IV', iv, 12);
  if (ciphertext.length < 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const body = decipher.update(ciphertext.subarray(0, ciphertext.length - 16));
    return new Uint8Array(Buffer.concat([body, decipher.final()]));
  } catch {
    return undefined;
  }
}
