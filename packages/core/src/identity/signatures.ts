/**
 * Detached Ed25519 signatures for the layers above core: a service node signs its storage-RPC
 * results and verifies client requests (network.md §1.2, §1.3), and servers sign what they
 * publish. The crypto stays in `crypto/primitives.ts`; this module gives it a typed surface.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`verify_signature`, `create_signature`: libsodium `crypto_sign_detached` /
 * `crypto_sign_verify_detached`).
 */
import { ed25519Sign, ed25519Verify } from '../crypto/primitives.ts';
import type { SecretKey } from '../crypto/secret-key.ts';

/** A 64-byte detached Ed25519 signature of `message` with an identity's secret key. */
export function signDetached(
  secretKey: SecretKey<'ed25519-secret-key'>,
  message: Uint8Array,
): Uint8Array {
  return ed25519Sign(secretKey.borrowBytes(), message);
}

/**
 * True when `signature` is a valid Ed25519 signature of `message` by `publicKey`. Wrong lengths
 * and invalid points are simply `false`: a bad signature is an outcome, not an error.
 */
export function verifyDetached(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  return ed25519Verify(signature, message, publicKey);
}
