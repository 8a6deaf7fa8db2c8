/**
 * V1 one-to-one encryption: sign, then seal (protocol-v1.md §3.2 and §3.3), byte-compatible
 * with session-foundation/libsession-util:src/session_encrypt.cpp (`sign_for_recipient`,
 * `encrypt_for_recipient`, `encrypt_for_recipient_deterministic`).
 *
 *   Sig = Ed25519-sign(sender, M ‖ A ‖ Y)       A = sender Ed25519 key, Y = recipient X25519 key
 *   P   = M ‖ A ‖ Sig                           Y is implied, never sent
 *   out = sealed box of P to Y                  epk(32) ‖ MAC(16) ‖ XSalsa20(P)
 *
 * Signing over Y binds the message to its recipient: a recipient who re-seals P to someone else
 * produces a message that fails verification there.
 *
 * `M` is whatever the caller passes; Session clients pass padded `Content` (v1/padding.ts).
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, concatBytes } from '../encoding/bytes.ts';
import { blake2bParts, ed25519Sign } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import type { Identity } from '../identity/identity.ts';
import { assertIdentity, recipientX25519Key } from './keys.ts';
import type { V1Recipient } from './keys.ts';
import { sealWithEphemeralSeed } from './sealed-box.ts';

/**
 * The BLAKE2b key of upstream's deterministic ephemeral seed: these 26 ASCII bytes, no
 * terminator (session_encrypt.cpp `BOX_HASHKEY`, protocol-v1.md §3.3).
 */
const DETERMINISTIC_EPHEMERAL_HASH_KEY = new TextEncoder().encode('SessionBoxEphemeralHashKey');

/** Arguments of `encryptV1Deterministic`. */
export interface EncryptV1DeterministicArgs {
  readonly sender: Identity;
  /** A `05` Session ID, or the recipient's X25519 key (32 bytes, or 33 with `05`). */
  readonly recipient: V1Recipient;
  /** The plaintext, normally padded `Content`. */
  readonly message: Uint8Array;
}

/** Arguments of `encryptV1`. */
export interface EncryptV1Args extends EncryptV1DeterministicArgs {
  /** Supplies the 32-byte seed of the ephemeral key. */
  readonly rng: Rng;
}

/**
 * Encrypts a one-to-one message with a fresh ephemeral key from `rng`. The result is
 * `message.length + 144` bytes. Throws a `ProtocolError` for malformed arguments.
 */
export function encryptV1(args: EncryptV1Args): Uint8Array {
  const y = checkedArgs(args);
  const { sender, message, rng } = args;
  if (typeof (rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  const ephemeralSeed = rng.randomBytes(32);
  assertBytes('rng output', ephemeralSeed, 32);
  return sealThenWipe(signForRecipient(sender, y, message), y, ephemeralSeed);
}

/**
 * Encrypts a one-to-one message with upstream's deterministic ephemeral key (§3.3), as
 * libsession's tests do: the same inputs always give the same bytes. For test vectors and
 * reproducible tests only; a real sender uses `encryptV1`, because equal messages to the same
 * recipient would otherwise be recognisable.
 */
export function encryptV1Deterministic(args: EncryptV1DeterministicArgs): Uint8Array {
  const y = checkedArgs(args);
  const { sender, message } = args;
  const ephemeralSeed = deterministicEphemeralSeed(sender, y, message);
  return sealThenWipe(signForRecipient(sender, y, message), y, ephemeralSeed);
}

/**
 * Upstream's deterministic ephemeral seed:
 * `BLAKE2b-32(key = "SessionBoxEphemeralHashKey", seed ‖ Y ‖ message)`.
 */
export function deterministicEphemeralSeed(
  sender: Identity,
  recipientX25519: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  assertBytes('recipient X25519 public key', recipientX25519, 32);
  return blake2bParts(
    32,
    [sender.seed.borrowBytes(), recipientX25519, message],
    DETERMINISTIC_EPHEMERAL_HASH_KEY,
  );
}

/** `M ‖ A ‖ Sig` with `Sig` over `M ‖ A ‖ Y` (upstream `sign_for_recipient`). */
function signForRecipient(sender: Identity, y: Uint8Array, message: Uint8Array): Uint8Array {
  const signed = concatBytes(message, sender.ed25519PublicKey, y);
  const signature = ed25519Sign(sender.ed25519SecretKey.borrowBytes(), signed);
  return concatBytes(message, sender.ed25519PublicKey, signature);
}

/** Seals, then zeroes the ephemeral seed: whoever holds it can open the message. */
function sealThenWipe(inner: Uint8Array, y: Uint8Array, ephemeralSeed: Uint8Array): Uint8Array {
  try {
    return sealWithEphemeralSeed(inner, y, ephemeralSeed);
  } finally {
    ephemeralSeed.fill(0);
  }
}

/** Checks the shared arguments and returns the recipient's X25519 key. */
function checkedArgs(args: EncryptV1DeterministicArgs): Uint8Array {
  if (typeof args !== 'object' || args === null) {
    throw new ProtocolError('invalid-input', 'encryptV1: expected { sender, recipient, message }');
  }
  assertIdentity('sender', args.sender);
  assertBytes('message', args.message);
  return recipientX25519Key(args.recipient);
}
