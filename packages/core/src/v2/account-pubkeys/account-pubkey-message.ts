/**
 * The account pubkey message, published in the public outbox namespace −21 (protocol-v2.md §5;
 * upstream session-foundation/libsession-util:src/core/devices.cpp
 * `build_account_pubkey_message`, and src/core/core.cpp `_handle_pfs_response`, which verifies
 * what a contact fetched):
 *
 *   d 1:M 1184:<ML-KEM-768 pk> 1:X 32:<X25519 pk> 1:~ 64:<signature> e          (1278 bytes)
 *
 * The signature is XEd25519-style (identity/xed25519-signature.ts) by the account's long-term
 * X25519 secret over the dict bytes before `1:~`, so anyone who knows only the Session ID can
 * check that the account's owner published these keys. Parsing ignores unknown keys, as
 * upstream's `bt_dict_consumer` does (those before `~` are covered by the signature; any after it
 * are not, and are dropped).
 *
 * A message that fails to parse or verify is a normal outcome here (a stripped, stale or forged
 * message on someone else's swarm), so parsing returns a result value.
 */
import { assertBytes } from '../../encoding/bytes.ts';
import { btDict, isBtBytes } from '../../encoding/bencode.ts';
import { decodeBencodeDictPrefixWithOffsets } from '../../encoding/bencode-decode.ts';
import { encodeSignedDict } from '../../encoding/bencode-signature.ts';
import { isProtocolError } from '../../errors.ts';
import { MLKEM768 } from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import type { Identity } from '../../identity/identity.ts';
import { xed25519Sign, xed25519Verify } from '../../identity/xed25519-signature.ts';
import { accountIdFromHex, type SessionId } from '../../identity/account-id.ts';
import type { HybridKeyPair } from '../keys/hybrid-keys.ts';

/** A contact's current account public keys, as published in namespace −21. */
export interface AccountPubkeys {
  /** ML-KEM-768 public key (1184 bytes): `"M"`. */
  readonly mlkemPublicKey: Uint8Array;
  /** X25519 public key (32 bytes): `"X"`. */
  readonly x25519PublicKey: Uint8Array;
}

/** The size of a message with no extra keys (devices.cpp computes it the same way). */
export const ACCOUNT_PUBKEY_MESSAGE_LENGTH = 2 + (3 + 5 + 1184) + (3 + 3 + 32) + (3 + 3 + 64);

/** Why a fetched account pubkey message was not accepted. */
export type AccountPubkeyRejection =
  /** Not a canonical bt dict, trailing bytes, or `M`, `X`, `~` missing or of the wrong size. */
  | 'bad-format'
  /** The signature does not verify against the Session ID it was fetched for. */
  | 'bad-signature';

/** The outcome of `parseAccountPubkeyMessage`. */
export type AccountPubkeyParseResult =
  | { readonly ok: true; readonly keys: AccountPubkeys }
  | { readonly ok: false; readonly reason: AccountPubkeyRejection };

/** Builds and signs the message for the account's current account keys. Z comes from `rng`. */
export function buildAccountPubkeyMessage(args: {
  readonly identity: Identity;
  readonly accountKeys: HybridKeyPair | AccountPubkeys;
  readonly rng: Rng;
}): Uint8Array {
  const { identity, accountKeys, rng } = args;
  const m = accountKeys.mlkemPublicKey;
  assertBytes('account ML-KEM-768 public key', m, MLKEM768.publicKeyBytes);
  assertBytes('account X25519 public key', accountKeys.x25519PublicKey, 32);
  return encodeSignedDict(btDict({ M: m, X: accountKeys.x25519PublicKey }), (signed) =>
    xed25519Sign(identity.x25519SecretKey, signed, rng),
  );
}

/**
 * Parses and verifies a message fetched from the namespace −21 of `owner` (a `05` Session ID,
 * or its 32-byte X25519 key). Throws only when `owner` itself is malformed.
 */
export function parseAccountPubkeyMessage(
  data: Uint8Array,
  owner: SessionId | string | Uint8Array,
): AccountPubkeyParseResult {
  const ownerKey =
    typeof owner === 'string' ? accountIdFromHex(owner, ['session']).publicKey : owner;
  assertBytes('account owner X25519 key', ownerKey, 32);
  assertBytes('account pubkey message', data);

  let parsed;
  try {
    parsed = decodeBencodeDictPrefixWithOffsets(data);
  } catch (error) {
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format' };
    throw error;
  }
  if (parsed.length !== data.length) return { ok: false, reason: 'bad-format' };
  const dict = parsed.value;
  const m = dict.get('M');
  const x = dict.get('X');
  const signature = dict.get('~');
  const sigKey = parsed.keyOffsets.find((k) => k.key === '~');
  if (
    !isBtBytes(m) ||
    m.length !== MLKEM768.publicKeyBytes ||
    !isBtBytes(x) ||
    x.length !== 32 ||
    !isBtBytes(signature) ||
    signature.length !== 64 ||
    sigKey === undefined
  ) {
    return { ok: false, reason: 'bad-format' };
  }
  if (!xed25519Verify(signature, data.subarray(0, sigKey.offset), ownerKey)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return {
    ok: true,
    keys: { mlkemPublicKey: Uint8Array.from(m), x25519PublicKey: Uint8Array.from(x) },
  };
}
