/**
 * V2 one-to-one decryption (protocol-v2.md §7 "Receiving" and §8; upstream
 * session-foundation/libsession-util:src/session_encrypt.cpp `decrypt_incoming_v2_prefix`,
 * `decrypt_incoming_v2`, `decrypt_incoming_v2_nopfs`, and the DM handler of src/core/core.cpp
 * `_handle_direct_messages`):
 *
 * 1. Require the prefix `00 02` and at least 1536 bytes.
 * 2. Recover the key-indicator prefix `ki ⊕ BLAKE2b-2(key = X25519(s, E), pers, E ‖ S)` with the
 *    long-term X25519 secret `s`.
 * 3. Try every retained account key whose ML-KEM public key starts with that prefix: decapsulate,
 *    combine, derive, open. The first that opens wins.
 * 4. If none opens, try the non-PFS derivation with the long-term key.
 * 5. A message that opens but whose inner dict is malformed or wrongly signed is refused at once,
 *    without trying another key or the fallback (upstream reports it as `bad_format`; we tell a
 *    bad signature apart).
 *
 * Every outcome is a returned value: a message that is not for us, or was tampered with, is
 * normal operation. Only malformed arguments throw.
 */
import { ProtocolError } from '../../errors.ts';
import { assertBytes, bytesEqual } from '../../encoding/bytes.ts';
import { toHex } from '../../encoding/hex.ts';
import {
  ed25519PublicKeyToX25519,
  mlkem768Decapsulate,
  x25519,
  xchacha20poly1305Decrypt,
} from '../../crypto/primitives.ts';
import type { Identity } from '../../identity/identity.ts';
import { SESSION_ID_PREFIX, type SessionId } from '../../identity/account-id.ts';
import { assertIdentity } from '../../v1/keys.ts';
import type { HybridKeyPair } from '../keys/hybrid-keys.ts';
import type { RetainedAccountKey } from '../keys/account-key-ring.ts';
import { V2_DM_MIN_LENGTH, hasV2DmPrefix, splitV2DmHeader } from './dm-format.ts';
import { openInnerDict, type InnerDict } from './dm-inner.ts';
import {
  keyIndicatorSecret,
  nonPfsKeyNonce,
  nonPfsSharedSecret,
  pfsKeyNonce,
  xor2,
  xwingSharedSecret,
  type V2DmKeyNonce,
} from './dm-keys.ts';

/** Why a V2 message was not accepted. */
export type DecryptV2DmFailureReason =
  /** Shorter than 1536 bytes. */
  | 'too-short'
  /** Does not start with `00 02`: a V1 message, or a version we do not know. */
  | 'not-v2'
  /** No retained account key and not the long-term key opens it: not for us, too old, or altered. */
  | 'no-key'
  /** It opened, but the inner signature does not verify. */
  | 'bad-signature'
  /** It opened (or its ephemeral key is unusable), but its contents are malformed. */
  | 'bad-format';

/** Which path a message took. */
export type V2DmPath = 'pfs' | 'non-pfs';

/** A decrypted V2 message. */
export interface DecryptedV2Dm {
  readonly ok: true;
  readonly path: V2DmPath;
  readonly senderSessionId: SessionId;
  readonly senderEd25519PublicKey: Uint8Array;
  /** The protobuf `Content` bytes. */
  readonly content: Uint8Array;
  /** The `~P` Session Pro signature, extracted but not checked (see dm-inner.ts). */
  readonly proSignature?: Uint8Array;
  /** For `pfs`: the index, in the keys passed in, of the account key that opened it. */
  readonly accountKeyIndex?: number;
}

/** The outcome of `decryptV2Dm`. */
export type DecryptV2DmResult =
  DecryptedV2Dm | { readonly ok: false; readonly reason: DecryptV2DmFailureReason };

/** Arguments of `decryptV2Dm`. */
export interface DecryptV2DmArgs {
  /** The recipient's identity (long-term keys and Session ID). */
  readonly recipient: Identity;
  /**
   * The retained account keys (current plus rotated within 16 days), e.g. from
   * `retainedAccountKeys(ring, now)`. Empty is allowed: only the non-PFS path can then succeed.
   */
  readonly accountKeys: readonly (HybridKeyPair | RetainedAccountKey)[];
  /** The message as stored on the swarm. */
  readonly data: Uint8Array;
}

function fail(reason: DecryptV2DmFailureReason): DecryptV2DmResult {
  return { ok: false, reason };
}

function pairOf(key: HybridKeyPair | RetainedAccountKey): HybridKeyPair {
  return 'entry' in key ? key.keys : key;
}

/** Decrypts a V2 one-to-one message (module comment for the steps). */
export function decryptV2Dm(args: DecryptV2DmArgs): DecryptV2DmResult {
  const { recipient, accountKeys, data } = args;
  assertIdentity('recipient', recipient);
  assertBytes('message', data);
  const list: unknown = accountKeys;
  if (!Array.isArray(list)) {
    throw new ProtocolError('invalid-input', 'accountKeys: expected an array of account keys');
  }
  if (data.length >= 2 && !hasV2DmPrefix(data)) return fail('not-v2');
  if (data.length < V2_DM_MIN_LENGTH) return fail('too-short');

  const header = splitV2DmHeader(data);
  const E = header.ephemeralPublicKey;
  const S = recipient.x25519PublicKey;
  const s = recipient.x25519SecretKey.borrowBytes();
  const r33 = new Uint8Array(33);
  r33[0] = 0x05;
  r33.set(S, 1);

  // One X25519 with the long-term key serves both the key indicator and the non-PFS path.
  const longTermShared = x25519(s, E);
  if (longTermShared === undefined) return fail('bad-format'); // E of small order
  const prefix = xor2(header.keyIndicator, keyIndicatorSecret(longTermShared, E, S));

  for (let i = 0; i < accountKeys.length; i++) {
    const candidate = accountKeys[i];
    if (candidate === undefined) continue;
    const pair = pairOf(candidate);
    if (!bytesEqual(pair.mlkemPublicKey.subarray(0, 2), prefix)) continue;
    const ssM = mlkem768Decapsulate(pair.mlkemSecretKey.borrowBytes(), header.kemCiphertext);
    const ssX = x25519(pair.x25519SecretKey.borrowBytes(), E);
    if (ssX === undefined) return fail('bad-format');
    const ss = xwingSharedSecret(ssM, ssX, E, pair.x25519PublicKey);
    ssM.fill(0);
    ssX.fill(0);
    const opened = open(pfsKeyNonce(ss), header.sealed);
    ss.fill(0);
    if (opened === undefined) continue; // a key-indicator collision: try the next key
    return finish(openInnerDict(opened, r33), 'pfs', i);
  }

  const ss = nonPfsSharedSecret(longTermShared, S, E);
  longTermShared.fill(0);
  const opened = open(nonPfsKeyNonce(ss), header.sealed);
  ss.fill(0);
  if (opened === undefined) return fail('no-key');
  return finish(openInnerDict(opened, r33), 'non-pfs', undefined);
}

function open(aead: V2DmKeyNonce, sealed: Uint8Array): Uint8Array | undefined {
  const plain = xchacha20poly1305Decrypt(aead.key, aead.nonce, sealed);
  aead.key.fill(0);
  return plain;
}

function finish(
  inner: InnerDict | 'bad-format' | 'bad-signature',
  path: V2DmPath,
  accountKeyIndex: number | undefined,
): DecryptV2DmResult {
  if (inner === 'bad-format' || inner === 'bad-signature') return fail(inner);
  const senderX25519 = ed25519PublicKeyToX25519(inner.senderEd25519PublicKey);
  if (senderX25519 === undefined) return fail('bad-format');
  return {
    ok: true,
    path,
    senderSessionId: (SESSION_ID_PREFIX + toHex(senderX25519)) as SessionId,
    senderEd25519PublicKey: inner.senderEd25519PublicKey,
    content: inner.content,
    ...(inner.proSignature === undefined ? {} : { proSignature: inner.proSignature }),
    ...(accountKeyIndex === undefined ? {} : { accountKeyIndex }),
  };
}
