/**
 * XEd25519-style signatures: an Ed25519 signature made with an account's X25519 secret, which
 * anyone can verify from the Session ID alone (protocol-v2.md §5; upstream
 * session-foundation/libsession-util:src/xed25519.cpp `xed25519::sign` / `verify`). The account
 * pubkey message (namespace −21) is signed this way.
 *
 * Signing, with `a` the clamped X25519 secret:
 *
 *   A = a·G; if A's sign bit is 1, a ← −a mod L; A_pos = A with the sign bit cleared
 *   r = reduce(BLAKE2b-64(pers = "xed25519signatur", a ‖ m ‖ Z))      Z: 64 random bytes
 *   R = r·G;  S = r + reduce(SHA-512(R ‖ A_pos ‖ m))·a mod L;  signature = R ‖ S
 *
 * `a` enters the hash as its 32 little-endian bytes after any negation (the negated value is
 * reduced mod L, the unnegated one is the clamped secret as is), as upstream does.
 *
 * Verification is plain Ed25519 against `A_pos`, recovered from the X25519 key as
 * y = (u − 1)/(u + 1) with sign bit 0 (`x25519ToEd25519Positive`).
 *
 * [X] upstream's design doc calls these deterministic; its code draws Z at random, and so do we
 * (from the injected `Rng`). Verifiers cannot tell the difference.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, concatBytes, utf8 } from '../encoding/bytes.ts';
import {
  blake2bSaltPersonal,
  ed25519ScalarAdd,
  ed25519ScalarMul,
  ed25519ScalarMultBaseNoclamp,
  ed25519ScalarNegate,
  ed25519ScalarReduce,
  ed25519Verify,
  sha512,
} from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import { x25519ToEd25519Positive } from './xed25519.ts';

/** BLAKE2b personalisation of the nonce hash (xed25519.cpp `xed25519_compute_r`). */
const NONCE_PERSONALISATION = utf8('xed25519signatur');

/** Bytes of fresh randomness mixed into the nonce (xed25519.cpp: `bytes<64> random`). */
export const XED25519_RANDOM_BYTES = 64;

function isClamped(a: Uint8Array): boolean {
  return ((a[0] ?? 0) & 7) === 0 && ((a[31] ?? 0) & 0x80) === 0 && ((a[31] ?? 0) & 0x40) !== 0;
}

/**
 * Signs `message` with an X25519 secret key (an `Identity`'s `x25519SecretKey`, which is the
 * clamped Ed25519 scalar). Draws Z from `rng`.
 */
export function xed25519Sign(
  x25519SecretKey: Uint8Array | SecretKey<'x25519-secret-key'>,
  message: Uint8Array,
  rng: Rng,
): Uint8Array {
  const secret =
    x25519SecretKey instanceof SecretKey ? x25519SecretKey.borrowBytes() : x25519SecretKey;
  assertBytes('X25519 secret key', secret, 32);
  assertBytes('message', message);
  if (!isClamped(secret)) {
    // Upstream derives A with a clamping base multiplication but signs with the raw scalar, so
    // an unclamped secret would produce signatures that do not verify.
    throw new ProtocolError('invalid-key', 'X25519 secret key: expected a clamped scalar');
  }
  if (typeof (rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  const publicPoint = ed25519ScalarMultBaseNoclamp(secret);
  if (publicPoint === undefined) throw new ProtocolError('invalid-key', 'X25519 secret key: zero');
  const negative = ((publicPoint[31] ?? 0) & 0x80) !== 0;
  const a = negative ? ed25519ScalarNegate(secret) : Uint8Array.from(secret);
  const aPos = Uint8Array.from(publicPoint);
  aPos[31] = (aPos[31] ?? 0) & 0x7f;

  const z = rng.randomBytes(XED25519_RANDOM_BYTES);
  assertBytes('rng output', z, XED25519_RANDOM_BYTES);
  const wide = blake2bSaltPersonal(64, concatBytes(a, message, z), {
    personalization: NONCE_PERSONALISATION,
  });
  const r = ed25519ScalarReduce(wide);
  const bigR = ed25519ScalarMultBaseNoclamp(r);
  if (bigR === undefined) throw new ProtocolError('invalid-input', 'xed25519: zero nonce');
  const h = ed25519ScalarReduce(sha512(concatBytes(bigR, aPos, message)));
  const s = ed25519ScalarAdd(ed25519ScalarMul(h, a), r);
  a.fill(0);
  r.fill(0);
  wide.fill(0);
  return concatBytes(bigR, s);
}

/**
 * Verifies an XEd25519-style signature against an X25519 public key (a Session ID's 32 key
 * bytes). False for a key that maps to no usable Ed25519 point.
 */
export function xed25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  x25519PublicKey: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  const aPos = x25519ToEd25519Positive(x25519PublicKey);
  if (aPos === undefined) return false;
  return ed25519Verify(signature, message, aPos);
}
