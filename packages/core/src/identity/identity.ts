/**
 * An account's identity: Ed25519 seed → Ed25519 key pair → X25519 key pair → Session ID
 * (`05` ‖ X25519 public key). Implements protocol-v1.md §1, as upstream does in
 * session-foundation/libsession-util:src/session_encrypt.cpp.
 *
 * A 16-byte seed (the entropy of a 13-word recovery password) is the first half of the 32-byte
 * account seed, the rest zero (protocol-v1.md §2).
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, concatBytes } from '../encoding/bytes.ts';
import { toHex } from '../encoding/hex.ts';
import {
  ed25519KeyPairFromSeed,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
} from '../crypto/primitives.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import type { SessionId } from './account-id.ts';
import { SESSION_ID_PREFIX } from './account-id.ts';

/** An account's keys. The secret parts are `SecretKey`s and never print. */
export interface Identity {
  /** The 32-byte Ed25519 seed: the account's root secret. */
  readonly seed: SecretKey<'ed25519-seed'>;
  /** libsodium's 64-byte Ed25519 secret key (seed ‖ public key). */
  readonly ed25519SecretKey: SecretKey<'ed25519-secret-key'>;
  readonly ed25519PublicKey: Uint8Array;
  /** The clamped X25519 secret (first half of SHA-512(seed), clamped). */
  readonly x25519SecretKey: SecretKey<'x25519-secret-key'>;
  readonly x25519PublicKey: Uint8Array;
  /** `05` ‖ X25519 public key, as 66 lowercase hex characters. */
  readonly sessionId: SessionId;
}

/**
 * Expands a 16- or 32-byte seed to the 32-byte account seed. A 16-byte seed is padded with
 * zeros, as Session does for 13-word recovery passwords.
 */
export function expandSeed(seed: Uint8Array): Uint8Array {
  assertBytes('account seed', seed, 16, 32);
  if (seed.length === 32) return Uint8Array.from(seed);
  return concatBytes(seed, new Uint8Array(16));
}

/** Derives an account identity from a 16- or 32-byte Ed25519 seed. */
export function identityFromSeed(seed: Uint8Array | SecretKey<'ed25519-seed'>): Identity {
  const raw = seed instanceof SecretKey ? seed.borrowBytes() : seed;
  const full = expandSeed(raw);
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(full);
  const x25519PublicKey = ed25519PublicKeyToX25519(publicKey);
  if (x25519PublicKey === undefined) {
    // Cannot happen for a key derived from a seed; kept so the type is honest.
    throw new ProtocolError('invalid-key', 'derived Ed25519 key did not convert to X25519');
  }
  return {
    seed: new SecretKey('ed25519-seed', full),
    ed25519SecretKey: new SecretKey('ed25519-secret-key', secretKey),
    ed25519PublicKey: publicKey,
    x25519SecretKey: new SecretKey('x25519-secret-key', ed25519SecretKeyToX25519(secretKey)),
    x25519PublicKey,
    sessionId: (SESSION_ID_PREFIX + toHex(x25519PublicKey)) as SessionId,
  };
}

/**
 * The Session ID that an Ed25519 public key belongs to, or an `invalid-key` error when the
 * bytes are not a usable Ed25519 point.
 */
export function sessionIdFromEd25519(publicKey: Uint8Array): SessionId {
  assertBytes('Ed25519 public key', publicKey, 32);
  const x = ed25519PublicKeyToX25519(publicKey);
  if (x === undefined) {
    throw new ProtocolError('invalid-key', 'Ed25519 public key: not a valid curve point');
  }
  return (SESSION_ID_PREFIX + toHex(x)) as SessionId;
}

/**
 * True when the seed's upper 16 bytes are zero, i.e. the account can be shown as a 13-word
 * recovery password (upstream shows 25 words otherwise).
 */
export function hasShortSeed(seed: Uint8Array | SecretKey<'ed25519-seed'>): boolean {
  const raw = seed instanceof SecretKey ? seed.borrowBytes() : seed;
  if (raw.length === 16) return true;
  assertBytes('account seed', raw, 32);
  return raw.subarray(16).every((b) => b === 0);
}
