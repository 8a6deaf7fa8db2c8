/**
 * Making a link request: a new device asks an account's device group to admit it
 * (protocol-v2.md §11.1 steps 2–3; upstream session-foundation/libsession-util:
 * src/core/devices.cpp `encode_link_request_plaintext`, `_encrypt_link_request`,
 * `link_request_key`, `link_request_kiss`, `_build_link_request`).
 *
 * Plaintext, signed by the account root because the link key it is encrypted to is public:
 *
 *   {"I": device_id(32), "i": record-dict, "~": Ed25519(root, span before "1:~")}
 *
 * Encryption to the group link key `X_L` (the `"X"` of the group's newest `"G"` message):
 *
 *   (e, E) ephemeral; sx = X25519(e, X_L); ss = X25519(e, S) (S = the account's long-term X25519)
 *   kiss = BLAKE2b-2(key=ss, pers="SessionDvGrpKISS", E ‖ S);   i = X_L[0..2] ⊕ kiss
 *   key(32) ‖ nonce(24) = BLAKE2b-56(pers="SessionDvGrpLink", sx ‖ E ‖ X_L)
 *   L = XChaCha20-Poly1305(key, nonce, plaintext)
 *   outer = {"": "L", "E": E, "L": L, "i": i}   (unsigned; stored in namespace 21, TTL 10 min)
 *
 * Only members hold the link key's secret half, so only they read it; the masked indicator
 * tells a root-seed holder which group a request targets, and no one else.
 */
import { ProtocolError } from '../../errors.ts';
import {
  ed25519Sign,
  x25519,
  x25519PublicKey,
  xchacha20poly1305Encrypt,
} from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import type { Identity } from '../../identity/identity.ts';
import { assertBytes, utf8 } from '../../encoding/bytes.ts';
import type { BtValue } from '../../encoding/bencode.ts';
import { encodeBencode } from '../../encoding/bencode-encode.ts';
import { encodeSignedDict } from '../../encoding/bencode-signature.ts';
import { deviceRecordDict, type DeviceRecord } from '../device-group/device-record.ts';
import { PERS_LINK, PERS_LINK_KISS, personalHash } from '../device-group/domains.ts';

/** The `""` type of a link request. */
export const LINK_REQUEST_TYPE = 'L';
/** How long the swarm keeps a link request (`LINK_REQUEST_TTL` = 10 min), in milliseconds. */
export const LINK_REQUEST_TTL_MS = 10 * 60 * 1000;

/** The signed plaintext of a request for `deviceId` to be admitted with `record`. */
export function encodeLinkRequestPlaintext(
  account: Identity,
  deviceId: Uint8Array,
  record: DeviceRecord,
): Uint8Array {
  assertBytes('device ID', deviceId, 32);
  const dict = new Map<string, BtValue>([
    ['I', deviceId],
    ['i', deviceRecordDict(record)],
  ]);
  const signingKey = account.ed25519SecretKey.borrowBytes();
  return encodeSignedDict(dict, (span) => ed25519Sign(signingKey, span));
}

/** The link request's key and nonce from the shared secret with the link key. */
export function linkRequestKey(
  shared: Uint8Array,
  E: Uint8Array,
  linkKey: Uint8Array,
): { readonly key: Uint8Array; readonly nonce: Uint8Array } {
  const kn = personalHash(56, PERS_LINK, [shared, E, linkKey]);
  return { key: kn.slice(0, 32), nonce: kn.slice(32) };
}

/** The 2-byte mask of the link key indicator, from the secret shared with the account key S. */
export function linkRequestKiss(shared: Uint8Array, E: Uint8Array, S: Uint8Array): Uint8Array {
  return personalHash(2, PERS_LINK_KISS, [E, S], shared);
}

/** Encrypts a request plaintext to a group's link key; returns the outer message bytes. */
export function encryptLinkRequest(args: {
  readonly account: Identity;
  readonly linkKey: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly rng: Rng;
}): Uint8Array {
  const { account, linkKey, plaintext, rng } = args;
  assertBytes('group link key', linkKey, 32);
  const e = rng.randomBytes(32);
  const E = x25519PublicKey(e);
  const S = account.x25519PublicKey;
  const sx = x25519(e, linkKey);
  const ss = x25519(e, S);
  e.fill(0);
  if (sx === undefined || ss === undefined) {
    throw new ProtocolError('invalid-key', 'group link key: degenerate X25519 public key');
  }
  const kiss = linkRequestKiss(ss, E, S);
  const indicator = Uint8Array.of(
    (linkKey[0] ?? 0) ^ (kiss[0] ?? 0),
    (linkKey[1] ?? 0) ^ (kiss[1] ?? 0),
  );
  const { key, nonce } = linkRequestKey(sx, E, linkKey);
  const L = xchacha20poly1305Encrypt(key, nonce, plaintext);
  key.fill(0);
  sx.fill(0);
  ss.fill(0);
  return encodeBencode(
    new Map<string, BtValue>([
      ['', utf8(LINK_REQUEST_TYPE)],
      ['E', E],
      ['L', L],
      ['i', indicator],
    ]),
  );
}

/** A built request: the message to store and the plaintext its SAS is computed from. */
export interface OutgoingLinkRequestMessage {
  readonly message: Uint8Array;
  readonly plaintext: Uint8Array;
}

/**
 * Builds and encrypts a link request for this device. The caller shows
 * `linkRequestSas(plaintext)` and keeps it to match an admission (the record's timestamp and
 * X25519 key identify which request was accepted).
 */
export function createLinkRequest(args: {
  readonly account: Identity;
  readonly deviceId: Uint8Array;
  readonly record: DeviceRecord;
  readonly linkKey: Uint8Array;
  readonly rng: Rng;
}): OutgoingLinkRequestMessage {
  const plaintext = encodeLinkRequestPlaintext(args.account, args.deviceId, args.record);
  return {
    message: encryptLinkRequest({
      account: args.account,
      linkKey: args.linkKey,
      plaintext,
      rng: args.rng,
    }),
    plaintext,
  };
}
