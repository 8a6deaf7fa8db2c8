/**
 * Request authentication, upstream's `verify_signature`
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`;
 * `oxenss/crypto/subaccount.h`; network.md §1.2):
 *
 * 1. The verification key is the account's 32-byte key, except for a `05` account that sends
 *    `pubkey_ed25519`: that Ed25519 key is used after checking that it converts to the account's
 *    X25519 key. (A `05` account without it cannot verify, so it gets 401.)
 * 2. With a subaccount: the token must not be revoked (unless the namespace is unrevocable and
 *    the method reads), must be for this account's prefix (or AnyPrefix), must carry the
 *    method's access flags, and must be signed by the key from step 1; the request signature is
 *    then checked with the subaccount's key instead.
 * 3. The Ed25519 signature over the method's signed string (built by core's `…ToSign`).
 */
import {
  sessionIdFromEd25519,
  subaccountHas,
  subaccountPrefixAllowed,
  verifyDetached,
  type SubaccountFlag,
} from '@session-ts/core';
import type { MessageStore } from '../storage/message-store.ts';
import type { RequestAuth } from './params.ts';

/** What a request needs to be accepted. */
export interface AuthRequirement {
  /** The subaccount flags the method needs; `null` when subaccounts may not make it. */
  readonly access: readonly SubaccountFlag[] | null;
  /** Revoked subaccounts may still read unrevocable namespaces. */
  readonly skipRevokeCheck?: boolean;
  /** The bytes the client signed. */
  readonly signed: Uint8Array;
}

/**
 * Ed25519 key (hex) → the Session ID it converts to. The conversion costs libsodium a full
 * point check, as much as a signature verification, and clients send the same key on every
 * poll, so results are kept; the map is cleared when it reaches its bound.
 */
const CONVERSION_CACHE_MAX = 10_000;
const conversions = new Map<string, string | undefined>();

function sessionIdOf(pubkeyEd25519: Uint8Array): string | undefined {
  const key = Buffer.from(pubkeyEd25519.buffer, pubkeyEd25519.byteOffset, 32).toString('hex');
  if (conversions.has(key)) return conversions.get(key);
  let converted: string | undefined;
  try {
    converted = sessionIdFromEd25519(pubkeyEd25519);
  } catch {
    converted = undefined; // not a curve point
  }
  if (conversions.size >= CONVERSION_CACHE_MAX) conversions.clear();
  conversions.set(key, converted);
  return converted;
}

/** True when the request's signature authorises it (see the module comment). */
export function verifyRequest(
  store: MessageStore,
  auth: RequestAuth,
  requirement: AuthRequirement,
): boolean {
  const account = auth.account;
  let key = account.publicKey;
  if (account.prefix === '05' && auth.pubkeyEd25519 !== undefined) {
    if (sessionIdOf(auth.pubkeyEd25519) !== account.hex) return false;
    key = auth.pubkeyEd25519;
  }
  const sub = auth.subaccount;
  if (sub !== undefined) {
    if (requirement.access === null) return false;
    const token = sub.token;
    if (requirement.skipRevokeCheck !== true && store.isRevoked(account.hex, token.bytes)) {
      return false;
    }
    const prefixByte = account.bytes[0] ?? 0;
    if (!subaccountPrefixAllowed(token, prefixByte)) return false;
    if (!subaccountHas(token, ...requirement.access)) return false;
    if (!verifyDetached(sub.signature, token.bytes, key)) return false;
    key = token.publicKey;
  }
  return verifyDetached(auth.signature, requirement.signed, key);
}
