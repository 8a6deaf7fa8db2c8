/**
 * Boundary checks for the keys V1 one-to-one messages take (protocol-v1.md §3.2): the
 * recipient's X25519 key `Y` in the forms upstream accepts
 * (session-foundation/libsession-util:src/session_encrypt.cpp, `sign_for_recipient`: 32 bytes, or
 * 33 with the `05` prefix), plus a Session ID string, and a sanity check on `Identity`
 * arguments so a wrong value fails with a message instead of deep inside libsodium.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import type { Identity } from '../identity/identity.ts';
import { accountIdFromHex } from '../identity/account-id.ts';
import type { SessionId } from '../identity/account-id.ts';

/** The Session ID prefix byte (protocol-v1.md §1). */
const SESSION_ID_PREFIX_BYTE = 0x05;

/** A V1 recipient: a `05` Session ID, or its X25519 key as 32 bytes (or 33 with `05`). */
export type V1Recipient = SessionId | string | Uint8Array;

/**
 * The recipient's 32-byte X25519 key `Y`. Throws `invalid-account-id` for a string that is not
 * a `05` Session ID, `invalid-length` for bytes of another length, and `invalid-key` for 33
 * bytes that do not start with `05`.
 */
export function recipientX25519Key(recipient: V1Recipient): Uint8Array {
  // Format checks only: the full curve check costs ~90 µs, more than the rest of encryption,
  // and the sealed box itself rejects low-order keys. IDs entering the app from users go
  // through parseSessionId, which does check the point.
  if (typeof recipient === 'string') {
    return accountIdFromHex(recipient, ['session'], { checkPoint: false }).publicKey;
  }
  assertBytes('recipient public key', recipient, 32, 33);
  if (recipient.length === 32) return recipient;
  if (recipient[0] !== SESSION_ID_PREFIX_BYTE) {
    throw new ProtocolError(
      'invalid-key',
      `recipient public key: 33 bytes must start with 05, got ${recipient[0]?.toString(16)}`,
    );
  }
  return recipient.subarray(1);
}

/** Throws `invalid-input` unless `value` looks like an `Identity` (keys of the right kinds). */
export function assertIdentity(what: string, value: unknown): asserts value is Identity {
  const id = value as Partial<Identity> | null;
  const ok =
    typeof id === 'object' &&
    id !== null &&
    id.seed instanceof SecretKey &&
    id.seed.length === 32 &&
    id.ed25519SecretKey instanceof SecretKey &&
    id.ed25519SecretKey.length === 64 &&
    id.x25519SecretKey instanceof SecretKey &&
    id.x25519SecretKey.length === 32 &&
    id.ed25519PublicKey instanceof Uint8Array &&
    id.ed25519PublicKey.length === 32 &&
    id.x25519PublicKey instanceof Uint8Array &&
    id.x25519PublicKey.length === 32;
  if (!ok) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected an Identity (see identityFromSeed)`,
    );
  }
}
