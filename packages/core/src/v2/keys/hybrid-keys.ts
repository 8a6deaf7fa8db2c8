/**
 * The hybrid (X25519 + ML-KEM-768) key pairs of Session Protocol V2 (protocol-v2.md §2;
 * upstream session-foundation/libsession-util:src/core/devices.cpp): device keys and account
 * keys are each made from a random 32-byte seed expanded with SHAKE256 under a domain string,
 * squeezing 32 bytes (the X25519 secret) and then 64 bytes (the ML-KEM seed `d ‖ z`).
 */
import { assertBytes, utf8, concatBytes } from '../../encoding/bytes.ts';
import {
  MLKEM768,
  mlkem768KeyPairFromSeed,
  shake256,
  x25519PublicKey,
} from '../../crypto/primitives.ts';
import { SecretKey } from '../../crypto/secret-key.ts';

/** SHAKE256 domain of per-device keys (`devices.cpp`). */
export const DEVICE_KEYS_DOMAIN = 'SessionDeviceKeys';
/** SHAKE256 domain of per-account (PFS + PQ) keys (`devices.cpp`). */
export const ACCOUNT_KEYS_DOMAIN = 'SessionAccountKeys';

/** Which kind of hybrid key a seed makes. */
export type HybridKeyKind = 'device' | 'account';

/** An X25519 + ML-KEM-768 key pair and the seed it came from. Secrets never print. */
export interface HybridKeyPair {
  readonly kind: HybridKeyKind;
  readonly seed: SecretKey<'hybrid-key-seed'>;
  readonly x25519SecretKey: SecretKey<'x25519-secret-key'>;
  readonly x25519PublicKey: Uint8Array;
  readonly mlkemSecretKey: SecretKey<'mlkem-secret-key'>;
  /** 1184 bytes. */
  readonly mlkemPublicKey: Uint8Array;
}

const X25519_SECRET_BYTES = 32;

/** Expands a 32-byte seed into a hybrid key pair of the given kind. */
export function hybridKeyPairFromSeed(
  kind: HybridKeyKind,
  seed: Uint8Array | SecretKey<'hybrid-key-seed'>,
): HybridKeyPair {
  const raw = seed instanceof SecretKey ? seed.borrowBytes() : seed;
  assertBytes(`${kind} key seed`, raw, 32);
  const domain = kind === 'device' ? DEVICE_KEYS_DOMAIN : ACCOUNT_KEYS_DOMAIN;
  const expanded = shake256(
    concatBytes(utf8(domain), raw),
    X25519_SECRET_BYTES + MLKEM768.seedBytes,
  );
  const xSecret = expanded.slice(0, X25519_SECRET_BYTES);
  const kem = mlkem768KeyPairFromSeed(expanded.subarray(X25519_SECRET_BYTES));
  const pair: HybridKeyPair = {
    kind,
    seed: new SecretKey('hybrid-key-seed', raw),
    x25519SecretKey: new SecretKey('x25519-secret-key', xSecret),
    x25519PublicKey: x25519PublicKey(xSecret),
    mlkemSecretKey: new SecretKey('mlkem-secret-key', kem.secretKey),
    mlkemPublicKey: kem.publicKey,
  };
  expanded.fill(0);
  xSecret.fill(0);
  kem.secretKey.fill(0);
  return pair;
}

/** Device keys from a device-key seed. */
export function deviceKeysFromSeed(seed: Uint8Array | SecretKey<'hybrid-key-seed'>): HybridKeyPair {
  return hybridKeyPairFromSeed('device', seed);
}

/** Account keys from an account-key seed. */
export function accountKeysFromSeed(
  seed: Uint8Array | SecretKey<'hybrid-key-seed'>,
): HybridKeyPair {
  return hybridKeyPairFromSeed('account', seed);
}

/** The 2-byte key indicator prefix of an ML-KEM public key (`key_indicator` column upstream). */
export function keyIndicatorPrefix(mlkemPublicKey: Uint8Array): Uint8Array {
  assertBytes('ML-KEM-768 public key', mlkemPublicKey, MLKEM768.publicKeyBytes);
  return mlkemPublicKey.slice(0, 2);
}
