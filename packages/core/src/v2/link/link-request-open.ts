/**
 * Reading a link request on an existing member (protocol-v2.md §11.1 step 4; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `_decrypt_link_request`,
 * `receive_link_request`).
 *
 * 1. Recover the link key's 2-byte prefix: `kiss` with the root X25519 secret, XOR `"i"`.
 * 2. Try every retained account key whose X25519 public key starts with that prefix (the group
 *    may have rotated since the requester read its link key).
 * 3. Decrypt, then verify `"~"` against the account root: the link key is public, so only the
 *    signature shows a root-seed holder made the request.
 *
 * A request encrypted to another group is the ordinary case and comes back as
 * `'not-for-this-group'`; every other failure is typed too.
 */
import { ed25519Verify, x25519, xchacha20poly1305Decrypt } from '../../crypto/primitives.ts';
import { isProtocolError } from '../../errors.ts';
import type { Identity } from '../../identity/identity.ts';
import { fromUtf8 } from '../../encoding/bytes.ts';
import { toHex } from '../../encoding/hex.ts';
import { isBtBytes, isBtDict, type BtDict } from '../../encoding/bencode.ts';
import { decodeBencodeDict } from '../../encoding/bencode-decode.ts';
import { splitSignedDict } from '../../encoding/bencode-signature.ts';
import type { AccountKeyRing } from '../keys/account-key-ring.ts';
import { accountKeysFromSeed } from '../keys/hybrid-keys.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../device-group/device-record.ts';
import { LINK_REQUEST_TYPE, linkRequestKey, linkRequestKiss } from './link-request.ts';

/** A request this group can read, signed by the account. */
export interface OpenedLinkRequest {
  readonly ok: true;
  /** The requesting device's ID, lowercase hex. */
  readonly deviceId: string;
  readonly record: DeviceRecord;
  /** BLAKE2b-8 of the record as sent (its merge digest). */
  readonly digest: Uint8Array;
  /** The whole decrypted plaintext: what the SAS is computed from. */
  readonly plaintext: Uint8Array;
}

/** Why a request could not be read. */
export type LinkRequestFailureReason = 'not-for-this-group' | 'bad-signature' | 'bad-format';

/** The result of `openLinkRequest`. */
export type LinkRequestOpenResult =
  OpenedLinkRequest | { readonly ok: false; readonly reason: LinkRequestFailureReason };

interface OuterRequest {
  readonly E: Uint8Array;
  readonly L: Uint8Array;
  readonly i: Uint8Array;
}

function outerFields(message: Uint8Array): OuterRequest | undefined {
  let dict: BtDict;
  try {
    dict = decodeBencodeDict(message);
  } catch (error) {
    if (isProtocolError(error)) return undefined;
    throw error;
  }
  const type = dict.get('');
  const E = dict.get('E');
  const L = dict.get('L');
  const i = dict.get('i');
  if (!isBtBytes(type) || type.length !== 1 || fromUtf8(type) !== LINK_REQUEST_TYPE)
    return undefined;
  if (!isBtBytes(E) || E.length !== 32) return undefined;
  if (!isBtBytes(L) || L.length < 16) return undefined;
  if (!isBtBytes(i) || i.length !== 2) return undefined;
  return { E, L, i };
}

/** Decrypts and verifies a link request with the account root and the group's account keys. */
export function openLinkRequest(
  message: Uint8Array,
  account: Identity,
  accountKeys: AccountKeyRing,
): LinkRequestOpenResult {
  const outer = message instanceof Uint8Array ? outerFields(message) : undefined;
  if (outer === undefined) return { ok: false, reason: 'bad-format' };
  const { E, L, i } = outer;
  const S = account.x25519PublicKey;
  const ss = x25519(account.x25519SecretKey.borrowBytes(), E);
  if (ss === undefined) return { ok: false, reason: 'bad-format' };
  const kiss = linkRequestKiss(ss, E, S);
  ss.fill(0);
  const p0 = (i[0] ?? 0) ^ (kiss[0] ?? 0);
  const p1 = (i[1] ?? 0) ^ (kiss[1] ?? 0);

  let plaintext: Uint8Array | undefined;
  for (const entry of accountKeys) {
    const keys = accountKeysFromSeed(entry.seed);
    const X = keys.x25519PublicKey;
    if (X[0] !== p0 || X[1] !== p1) continue;
    const sx = x25519(keys.x25519SecretKey.borrowBytes(), E);
    if (sx === undefined) continue;
    const { key, nonce } = linkRequestKey(sx, E, X);
    plaintext = xchacha20poly1305Decrypt(key, nonce, L);
    key.fill(0);
    sx.fill(0);
    if (plaintext !== undefined) break;
  }
  if (plaintext === undefined) return { ok: false, reason: 'not-for-this-group' };
  return verifyLinkRequestPlaintext(plaintext, account.ed25519PublicKey);
}

/** Parses and verifies a decrypted request plaintext against the account's Ed25519 key. */
export function verifyLinkRequestPlaintext(
  plaintext: Uint8Array,
  accountEd25519PublicKey: Uint8Array,
): LinkRequestOpenResult {
  try {
    const split = splitSignedDict(plaintext);
    if (split === undefined) return { ok: false, reason: 'bad-signature' };
    if (!ed25519Verify(split.signature, split.signed, accountEd25519PublicKey)) {
      return { ok: false, reason: 'bad-signature' };
    }
    const id = split.dict.get('I');
    const info = split.dict.get('i');
    if (!isBtBytes(id) || id.length !== 32 || !isBtDict(info)) {
      return { ok: false, reason: 'bad-format' };
    }
    const { record, digest } = decodeDeviceRecord(info);
    return { ok: true, deviceId: toHex(id), record, digest, plaintext };
  } catch (error) {
    if (isProtocolError(error, 'bad-signature')) return { ok: false, reason: 'bad-signature' };
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format' };
    throw error;
  }
}
