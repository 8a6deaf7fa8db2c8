/**
 * The per-layer cipher of onion requests (network.md §2.3): how the client and each node derive
 * one layer's symmetric key from an X25519 exchange, and how a layer is sealed and opened.
 *
 * | `enc_type`  | key                                                 | wire form                   |
 * | ----------- | --------------------------------------------------- | --------------------------- |
 * | `aes-gcm`   | HMAC-SHA256(key = "LOKI", msg = X25519(a, B))       | IV(12) ‖ ciphertext ‖ tag(16)    |
 * | `xchacha20` | BLAKE2b-32(X25519(a, B) ‖ A ‖ B)                    | nonce(24) ‖ ciphertext ‖ tag(16) |
 *
 * A is the client's ephemeral public key and B the node's (or server's) X25519 key, in that
 * order in both directions, so the final destination answers with the very key the client
 * derived. `aes-gcm` is the default when `enc_type` is absent; `gcm` and `xchacha20-poly1305`
 * are accepted aliases. The legacy `aes-cbc` is not supported (libsession dropped it).
 *
 * Upstream: session-foundation/session-storage-server `oxenss/crypto/channel_encryption.cpp`
 * (`derive_symmetric_key`, `xchacha20_shared_key`, `parse_enc_type`);
 * session-foundation/libsession-util `src/onionreq/hop_encryption.cpp`.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, utf8 } from '../encoding/bytes.ts';
import {
  aes256GcmDecrypt,
  aes256GcmEncrypt,
  blake2bParts,
  hmacSha256,
  x25519,
  xchacha20poly1305Decrypt,
  xchacha20poly1305Encrypt,
} from '../crypto/primitives.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import type { Rng } from '../crypto/rng.ts';

/** The layer ciphers, by their canonical `enc_type` names. */
export const ONION_ENC_TYPES = ['aes-gcm', 'xchacha20'] as const;
/** A layer cipher. */
export type OnionEncType = (typeof ONION_ENC_TYPES)[number];

/** The cipher a layer uses when its JSON names none (storage server default). */
export const DEFAULT_ONION_ENC_TYPE: OnionEncType = 'aes-gcm';

/** AES-256-GCM IV and tag sizes: wire constants of the `aes-gcm` layer (channel_encryption.cpp). */
const GCM_IV_BYTES = 12;
const TAG_BYTES = 16;
/** XChaCha20-Poly1305 IETF nonce size (`crypto_aead_xchacha20poly1305_ietf_NPUBBYTES`). */
const XCHACHA_NONCE_BYTES = 24;

/** The HMAC key of the `aes-gcm` KDF ("salt" in channel_encryption.cpp). */
const AES_GCM_KDF_KEY = utf8('LOKI');

/** Overhead a sealed layer adds to its plaintext. */
export function onionLayerOverhead(encType: OnionEncType): number {
  return (encType === 'aes-gcm' ? GCM_IV_BYTES : XCHACHA_NONCE_BYTES) + TAG_BYTES;
}

/**
 * Parses an `enc_type` value; `undefined` for anything but the four names upstream accepts
 * (`aes-gcm`, `gcm`, `xchacha20`, `xchacha20-poly1305`).
 */
export function parseOnionEncType(value: unknown): OnionEncType | undefined {
  switch (value) {
    case 'aes-gcm':
    case 'gcm':
      return 'aes-gcm';
    case 'xchacha20':
    case 'xchacha20-poly1305':
      return 'xchacha20';
    default:
      return undefined;
  }
}

/** One layer's symmetric key and cipher. The key never prints. */
export interface OnionLayerKey {
  readonly encType: OnionEncType;
  readonly key: SecretKey<'symmetric-key'>;
}

function deriveKey(
  encType: OnionEncType,
  shared: Uint8Array,
  clientPublic: Uint8Array,
  nodePublic: Uint8Array,
): OnionLayerKey {
  const raw =
    encType === 'aes-gcm'
      ? hmacSha256(AES_GCM_KDF_KEY, shared)
      : blake2bParts(32, [shared, clientPublic, nodePublic]);
  shared.fill(0);
  const key = new SecretKey('symmetric-key', raw);
  raw.fill(0);
  return { encType, key };
}

/**
 * The client's key for a layer addressed to `nodePublic`, from its ephemeral key pair.
 * `undefined` when the exchange fails (a small-order node key).
 */
export function clientLayerKey(
  encType: OnionEncType,
  ephemeralSecret: Uint8Array,
  ephemeralPublic: Uint8Array,
  nodePublic: Uint8Array,
): OnionLayerKey | undefined {
  assertBytes('ephemeral X25519 public key', ephemeralPublic, 32);
  const shared = x25519(ephemeralSecret, nodePublic);
  return shared === undefined ? undefined : deriveKey(encType, shared, ephemeralPublic, nodePublic);
}

/**
 * A node's (or server's) key for a layer that names `ephemeralPublic`. `undefined` when the
 * exchange fails (a small-order ephemeral key): the layer is then undecryptable.
 */
export function nodeLayerKey(
  encType: OnionEncType,
  nodeSecret: SecretKey<'x25519-secret-key'>,
  nodePublic: Uint8Array,
  ephemeralPublic: Uint8Array,
): OnionLayerKey | undefined {
  assertBytes('node X25519 public key', nodePublic, 32);
  if (ephemeralPublic.length !== 32) return undefined;
  const shared = x25519(nodeSecret.borrowBytes(), ephemeralPublic);
  return shared === undefined ? undefined : deriveKey(encType, shared, ephemeralPublic, nodePublic);
}

/** Seals one layer: a fresh IV (or nonce) from `rng`, then the AEAD ciphertext and tag. */
export function sealOnionLayer(key: OnionLayerKey, plaintext: Uint8Array, rng: Rng): Uint8Array {
  const k = key.key.borrowBytes();
  if (key.encType === 'aes-gcm') {
    const iv = rng.randomBytes(GCM_IV_BYTES);
    return join(iv, aes256GcmEncrypt(k, iv, plaintext));
  }
  const nonce = rng.randomBytes(XCHACHA_NONCE_BYTES);
  return join(nonce, xchacha20poly1305Encrypt(k, nonce, plaintext));
}

/** Opens one layer; `undefined` when it is too short or does not authenticate. */
export function openOnionLayer(key: OnionLayerKey, sealed: Uint8Array): Uint8Array | undefined {
  const k = key.key.borrowBytes();
  if (key.encType === 'aes-gcm') {
    if (sealed.length < GCM_IV_BYTES + TAG_BYTES) return undefined;
    return aes256GcmDecrypt(k, sealed.subarray(0, GCM_IV_BYTES), sealed.subarray(GCM_IV_BYTES));
  }
  if (sealed.length < XCHACHA_NONCE_BYTES + TAG_BYTES) return undefined;
  return xchacha20poly1305Decrypt(
    k,
    sealed.subarray(0, XCHACHA_NONCE_BYTES),
    sealed.subarray(XCHACHA_NONCE_BYTES),
  );
}

/** Throws unless `value` names a layer cipher (for typed inputs that came from outside). */
export function assertOnionEncType(value: unknown): asserts value is OnionEncType {
  if (value !== 'aes-gcm' && value !== 'xchacha20') {
    throw new ProtocolError(
      'invalid-input',
      `enc_type: expected "aes-gcm" or "xchacha20", got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
