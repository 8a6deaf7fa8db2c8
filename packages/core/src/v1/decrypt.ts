/**
 * V1 one-to-one decryption: open, then verify (protocol-v1.md §3.4), accepting exactly what
 * session-foundation/libsession-util:src/session_encrypt.cpp (`decrypt_incoming`,
 * `decrypt_incoming_session_id`) accepts.
 *
 *   P = sealed-box-open(ciphertext) with our X25519 key pair     P = M ‖ A ‖ Sig
 *   verify Sig over M ‖ A ‖ Y_own with A                          binds the message to us
 *   sender Session ID = 05 ‖ ed25519_pk_to_curve25519(A)
 *
 * A message that does not decrypt is normal operation (it was for someone else, or was
 * tampered with), so the outcome is a value the caller branches on, not an exception; only
 * malformed arguments throw.
 */
import { assertBytes, concatBytes } from '../encoding/bytes.ts';
import { toHex } from '../encoding/hex.ts';
import { ed25519PublicKeyToX25519, ed25519Verify, sealedBoxOpen } from '../crypto/primitives.ts';
import type { Identity } from '../identity/identity.ts';
import type { SessionId } from '../identity/account-id.ts';
import { SESSION_ID_PREFIX } from '../identity/account-id.ts';
import { assertIdentity } from './keys.ts';
import { SEALED_BOX_OVERHEAD } from './sealed-box.ts';

/** The bytes `encryptV1` adds inside the box: the sender's Ed25519 key (32) and signature (64). */
const SIGNED_OVERHEAD = 96;

/** The smallest ciphertext that can hold an (empty) message: 48 + 96 (upstream's check). */
export const V1_MIN_CIPHERTEXT_LENGTH = SEALED_BOX_OVERHEAD + SIGNED_OVERHEAD;

/** Why a V1 message was not accepted. */
export type DecryptV1FailureReason =
  /** Shorter than `V1_MIN_CIPHERTEXT_LENGTH`. */
  | 'too-short'
  /** The sealed box does not open with our key: sent to someone else, or altered. */
  | 'not-for-us'
  /** The sender key `A` inside is not a usable Ed25519 key (it has no Session ID). */
  | 'bad-sender-key'
  /** The signature does not verify over `M ‖ A ‖ Y_own`: forged, or re-sealed from another recipient's message. */
  | 'bad-signature';

/** The outcome of `decryptV1`. */
export type DecryptV1Result =
  | {
      readonly ok: true;
      /** The plaintext `M` (normally padded `Content`; see v1/padding.ts). */
      readonly message: Uint8Array;
      /** The sender's Ed25519 key `A`, authenticated by the signature. */
      readonly senderEd25519PublicKey: Uint8Array;
      /** The sender's Session ID, derived from `A`. */
      readonly senderSessionId: SessionId;
    }
  | { readonly ok: false; readonly reason: DecryptV1FailureReason };

/**
 * Opens a V1 one-to-one message sent to `recipient`. Returns `{ ok: false, reason }` for any
 * ciphertext that is not an authentic message to us; throws a `ProtocolError` (`invalid-input`)
 * only when the arguments are not an `Identity` and a `Uint8Array`.
 */
export function decryptV1(recipient: Identity, ciphertext: Uint8Array): DecryptV1Result {
  assertIdentity('recipient', recipient);
  assertBytes('ciphertext', ciphertext);
  if (ciphertext.length < V1_MIN_CIPHERTEXT_LENGTH) return fail('too-short');

  const ownY = recipient.x25519PublicKey;
  const opened = sealedBoxOpen(ciphertext, ownY, recipient.x25519SecretKey.borrowBytes());
  if (opened === undefined) return fail('not-for-us');

  const messageLength = opened.length - SIGNED_OVERHEAD;
  const message = opened.slice(0, messageLength);
  const senderEd25519PublicKey = opened.slice(messageLength, messageLength + 32);
  const signature = opened.subarray(messageLength + 32);

  // Upstream verifies first and converts A afterwards; both must pass, so checking the key
  // first changes only which reason a doubly-bad message reports.
  const senderX25519 = ed25519PublicKeyToX25519(senderEd25519PublicKey);
  if (senderX25519 === undefined) return fail('bad-sender-key');

  const signed = concatBytes(message, senderEd25519PublicKey, ownY);
  if (!ed25519Verify(signature, signed, senderEd25519PublicKey)) return fail('bad-signature');

  return {
    ok: true,
    message,
    senderEd25519PublicKey,
    senderSessionId: (SESSION_ID_PREFIX + toHex(senderX25519)) as SessionId,
  };
}

function fail(reason: DecryptV1FailureReason): DecryptV1Result {
  return { ok: false, reason };
}
