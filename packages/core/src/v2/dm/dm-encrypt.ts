/**
 * V2 one-to-one encryption: the PFS + post-quantum message to a contact's current account keys
 * (protocol-v2.md §7) and the non-PFS fallback to its long-term key alone (§8); upstream
 * session-foundation/libsession-util:src/session_encrypt.cpp `encrypt_for_recipient_v2` and
 * `encrypt_for_recipient_v2_nopfs`.
 *
 * Randomness comes from the injected `Rng` in upstream's order, so a seeded Rng reproduces a
 * message byte for byte (the vectors in vectors/v2/ do exactly that):
 *
 * - PFS: the ephemeral X25519 secret `e` (32), then the ML-KEM-768 coins (32);
 * - non-PFS: `e` (32), then the random key indicator (2), then the random KEM slot (1088).
 *
 * `e` is used as an X25519 secret as drawn (libsodium clamps inside the scalar multiplication),
 * as `crypto_box_keypair` does.
 */
import { ProtocolError } from '../../errors.ts';
import { assertBytes, concatBytes } from '../../encoding/bytes.ts';
import {
  MLKEM768,
  mlkem768Encapsulate,
  x25519,
  x25519PublicKey,
  xchacha20poly1305Encrypt,
} from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import type { Identity } from '../../identity/identity.ts';
import { accountIdFromHex, type SessionId } from '../../identity/account-id.ts';
import type { AccountPubkeys } from '../account-pubkeys/account-pubkey-message.ts';
import {
  V2_DM_HEADER_LENGTH,
  V2_DM_MARKER,
  V2_DM_OVERHEAD,
  V2_DM_VERSION,
  v2DmLength,
} from './dm-format.ts';
import { encodeInnerDict } from './dm-inner.ts';
import {
  keyIndicatorSecret,
  nonPfsKeyNonce,
  nonPfsSharedSecret,
  pfsKeyNonce,
  xor2,
  xwingSharedSecret,
  type V2DmKeyNonce,
} from './dm-keys.ts';

/** What both V2 encryptions take. */
export interface EncryptV2DmCommonArgs {
  readonly sender: Identity;
  /** The recipient: a `05` Session ID, as text or as its 33 bytes. */
  readonly recipient: SessionId | string | Uint8Array;
  /** The protobuf `Content` bytes (V2 adds its own padding; do not pad for V1). */
  readonly content: Uint8Array;
  /** The sender's Session Pro Ed25519 secret key (64 bytes), to add a `~P` signature. */
  readonly proSecretKey?: Uint8Array | SecretKey<'ed25519-secret-key'>;
  readonly rng: Rng;
}

/** Arguments of `encryptV2Dm`. */
export interface EncryptV2DmArgs extends EncryptV2DmCommonArgs {
  /** The recipient's current account keys, from its namespace −21 message. */
  readonly recipientKeys: AccountPubkeys;
}

/** The recipient's Session ID as 33 bytes (format checks only; libsodium rejects bad points). */
export function recipientSessionIdBytes(recipient: SessionId | string | Uint8Array): Uint8Array {
  if (typeof recipient === 'string') {
    return accountIdFromHex(recipient, ['session'], { checkPoint: false }).bytes;
  }
  assertBytes('recipient Session ID', recipient, 33);
  if (recipient[0] !== 0x05) {
    throw new ProtocolError('invalid-account-id', 'recipient Session ID: expected the 05 prefix');
  }
  return recipient;
}

function draw(rng: Rng, length: number): Uint8Array {
  const bytes = rng.randomBytes(length);
  assertBytes('rng output', bytes, length);
  return bytes;
}

function checkCommon(args: EncryptV2DmCommonArgs): Uint8Array {
  if (typeof args !== 'object' || args === null) {
    throw new ProtocolError('invalid-input', 'V2 DM: expected { sender, recipient, content, rng }');
  }
  assertBytes('content', args.content);
  if (typeof (args.rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  if (args.proSecretKey !== undefined) {
    const pro =
      args.proSecretKey instanceof SecretKey ? args.proSecretKey.borrowBytes() : args.proSecretKey;
    assertBytes('Session Pro secret key', pro, 64);
  }
  return recipientSessionIdBytes(args.recipient);
}

/** Builds the message from its header fields and AEAD key (upstream `v2_encrypt_inner`). */
function seal(
  args: EncryptV2DmCommonArgs,
  recipientSessionId: Uint8Array,
  keyIndicator: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  kemCiphertext: Uint8Array,
  aead: V2DmKeyNonce,
): Uint8Array {
  const pro = args.proSecretKey;
  const inner = encodeInnerDict(
    {
      ed25519SecretKey: args.sender.ed25519SecretKey.borrowBytes(),
      ed25519PublicKey: args.sender.ed25519PublicKey,
      ...(pro === undefined
        ? {}
        : { proSecretKey: pro instanceof SecretKey ? pro.borrowBytes() : pro }),
    },
    recipientSessionId,
    args.content,
  );
  const padded = new Uint8Array(v2DmLength(inner.length) - V2_DM_OVERHEAD);
  padded.set(inner);
  const sealed = xchacha20poly1305Encrypt(aead.key, aead.nonce, padded);
  aead.key.fill(0);
  const header = concatBytes(
    Uint8Array.of(V2_DM_MARKER, V2_DM_VERSION),
    keyIndicator,
    ephemeralPublicKey,
    kemCiphertext,
  );
  if (header.length !== V2_DM_HEADER_LENGTH) throw new Error('unreachable: V2 header size');
  return concatBytes(header, sealed);
}

/**
 * Encrypts `content` with forward secrecy and post-quantum protection to the recipient's
 * current account keys (§7). Throws `invalid-key` when a recipient key is unusable (an X25519
 * key of small order, or an ML-KEM key that fails the FIPS 203 input check).
 */
export function encryptV2Dm(args: EncryptV2DmArgs): Uint8Array {
  const r33 = checkCommon(args);
  const keys = args.recipientKeys;
  assertBytes(
    'recipient account ML-KEM-768 public key',
    keys?.mlkemPublicKey,
    MLKEM768.publicKeyBytes,
  );
  assertBytes('recipient account X25519 public key', keys.x25519PublicKey, 32);
  const longTerm = r33.subarray(1);

  const e = draw(args.rng, 32);
  try {
    const ephemeral = x25519PublicKey(e);
    const kissSecret = x25519(e, longTerm);
    if (kissSecret === undefined) {
      throw new ProtocolError('invalid-key', 'recipient Session ID: X25519 key of small order');
    }
    const ki = xor2(keys.mlkemPublicKey, keyIndicatorSecret(kissSecret, ephemeral, longTerm));
    const coins = draw(args.rng, MLKEM768.coinsBytes);
    let kem;
    try {
      kem = mlkem768Encapsulate(keys.mlkemPublicKey, coins);
    } catch (cause) {
      throw new ProtocolError('invalid-key', 'recipient account ML-KEM-768 public key: rejected', {
        cause,
      });
    } finally {
      coins.fill(0);
    }
    const ssX = x25519(e, keys.x25519PublicKey);
    if (ssX === undefined) {
      throw new ProtocolError('invalid-key', 'recipient account X25519 key: small order');
    }
    const ss = xwingSharedSecret(kem.sharedSecret, ssX, ephemeral, keys.x25519PublicKey);
    kem.sharedSecret.fill(0);
    ssX.fill(0);
    const aead = pfsKeyNonce(ss);
    ss.fill(0);
    return seal(args, r33, ki, ephemeral, kem.ciphertext, aead);
  } finally {
    e.fill(0);
  }
}

/**
 * Encrypts `content` to the recipient's long-term key only (§8): for a contact with no usable
 * account keys. Same layout as `encryptV2Dm` (random key indicator and KEM slot), so outsiders
 * cannot tell the two apart; the recipient's client marks the message as weaker. Whether to send
 * this at all is the send policy's decision (v2/policy/).
 */
export function encryptV2DmNonPfs(args: EncryptV2DmCommonArgs): Uint8Array {
  const r33 = checkCommon(args);
  const longTerm = r33.subarray(1);
  const e = draw(args.rng, 32);
  try {
    const ephemeral = x25519PublicKey(e);
    const ki = draw(args.rng, 2);
    const fakeCiphertext = draw(args.rng, MLKEM768.ciphertextBytes);
    const ssR = x25519(e, longTerm);
    if (ssR === undefined) {
      throw new ProtocolError('invalid-key', 'recipient Session ID: X25519 key of small order');
    }
    const ss = nonPfsSharedSecret(ssR, longTerm, ephemeral);
    ssR.fill(0);
    const aead = nonPfsKeyNonce(ss);
    ss.fill(0);
    return seal(args, r33, ki, ephemeral, fakeCiphertext, aead);
  } finally {
    e.fill(0);
  }
}
