/**
 * The signed inner dict of a V2 one-to-one message (protocol-v2.md §7 step 6; upstream
 * session-foundation/libsession-util:src/session_encrypt.cpp `v2_encrypt_inner` and
 * `v2_aead_decrypt_and_parse`):
 *
 *   d 1:S 32:<sender Ed25519 pk> 1:c <len>:<content> 1:~ 64:<sig> [2:~P 64:<pro sig>] e
 *
 * - `~` = Ed25519-sign(sender, BLAKE2b-64(key = R33, pers = "SessionV2Message", span)), where
 *   span is the dict bytes before `1:~` and R33 the recipient's 33-byte Session ID: the signature
 *   binds the message to its recipient, so a recipient cannot pass it off as sent to someone else.
 * - `~P`, optional, is an Ed25519 signature by the sender's Session Pro key over every byte before
 *   `2:~P` (including `~`). It is extracted here; the Pro key lives inside `Content`, so checking
 *   it belongs to the layer that parses `Content`.
 *
 * Parsing follows upstream's `bt_dict_consumer`: `S`, `c` and `~` are required, keys it does not
 * know are skipped. It is stricter in two ways that cost nothing against upstream's own output:
 * the dict must be canonical bt-encoding, and after stripping the zero padding nothing may follow
 * the dict.
 *
 * Internal to v2/dm/.
 */
import { concatBytes, utf8 } from '../../encoding/bytes.ts';
import { btDict, isBtBytes } from '../../encoding/bencode.ts';
import { encodeBencode, encodeBencodeBytes } from '../../encoding/bencode-encode.ts';
import { decodeBencodeDictPrefixWithOffsets } from '../../encoding/bencode-decode.ts';
import { isProtocolError } from '../../errors.ts';
import { blake2bSaltPersonal, ed25519Sign, ed25519Verify } from '../../crypto/primitives.ts';

/** BLAKE2b personalisation of the signed hash (`V2_MSG_SIG_PERS`). */
const SIGNATURE_PERSONALISATION = utf8('SessionV2Message');
const SIGNATURE_KEY = encodeBencodeBytes(utf8('~'));
const PRO_SIGNATURE_KEY = encodeBencodeBytes(utf8('~P'));

/** What signs an inner dict. */
export interface InnerDictSigner {
  /** The sender's libsodium Ed25519 secret key (64 bytes). */
  readonly ed25519SecretKey: Uint8Array;
  readonly ed25519PublicKey: Uint8Array;
  /** The sender's Session Pro Ed25519 secret key (64 bytes), when the message carries `~P`. */
  readonly proSecretKey?: Uint8Array;
}

/** The hash the `~` signature covers. */
export function innerSignatureHash(recipientSessionId: Uint8Array, span: Uint8Array): Uint8Array {
  return blake2bSaltPersonal(64, span, {
    key: recipientSessionId,
    personalization: SIGNATURE_PERSONALISATION,
  });
}

/** Encodes and signs the inner dict (unpadded). */
export function encodeInnerDict(
  signer: InnerDictSigner,
  recipientSessionId: Uint8Array,
  content: Uint8Array,
): Uint8Array {
  const body = encodeBencode(btDict({ S: signer.ed25519PublicKey, c: content }));
  const span = body.subarray(0, body.length - 1); // oxenc's view_for_signing: no closing 'e'
  const signature = ed25519Sign(
    signer.ed25519SecretKey,
    innerSignatureHash(recipientSessionId, span),
  );
  const signed = concatBytes(span, SIGNATURE_KEY, encodeBencodeBytes(signature));
  if (signer.proSecretKey === undefined) return concatBytes(signed, utf8('e'));
  const proSignature = ed25519Sign(signer.proSecretKey, signed);
  return concatBytes(signed, PRO_SIGNATURE_KEY, encodeBencodeBytes(proSignature), utf8('e'));
}

/** A verified inner dict. */
export interface InnerDict {
  readonly senderEd25519PublicKey: Uint8Array;
  readonly content: Uint8Array;
  readonly proSignature?: Uint8Array;
}

/** Why an inner dict was refused (both are fatal: no other key or path is tried). */
export type InnerDictFailure = 'bad-format' | 'bad-signature';

/**
 * Strips the zero padding, parses and verifies the inner dict. Returns the failure kind rather
 * than throwing: the plaintext came out of an authenticated decryption, so a bad dict is a
 * property of the message, not a programming error.
 */
export function openInnerDict(
  padded: Uint8Array,
  recipientSessionId: Uint8Array,
): InnerDict | InnerDictFailure {
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  const plain = padded.subarray(0, end);
  let parsed;
  try {
    parsed = decodeBencodeDictPrefixWithOffsets(plain);
  } catch (error) {
    if (isProtocolError(error)) return 'bad-format';
    throw error;
  }
  if (parsed.length !== plain.length) return 'bad-format';
  const dict = parsed.value;
  const sender = dict.get('S');
  const content = dict.get('c');
  const signature = dict.get('~');
  const proSignature = dict.get('~P');
  const sigAt = parsed.keyOffsets.find((k) => k.key === '~');
  if (
    !isBtBytes(sender) ||
    sender.length !== 32 ||
    !isBtBytes(content) ||
    !isBtBytes(signature) ||
    signature.length !== 64 ||
    sigAt === undefined ||
    (proSignature !== undefined && (!isBtBytes(proSignature) || proSignature.length !== 64))
  ) {
    return 'bad-format';
  }
  const hash = innerSignatureHash(recipientSessionId, plain.subarray(0, sigAt.offset));
  if (!ed25519Verify(signature, hash, sender)) return 'bad-signature';
  const result = {
    senderEd25519PublicKey: Uint8Array.from(sender),
    content: Uint8Array.from(content),
  };
  return proSignature === undefined
    ? result
    : { ...result, proSignature: Uint8Array.from(proSignature) };
}
