/**
 * Account IDs: 33 bytes shown as 66 hex characters, whose first byte says what the other 32 are
 * (protocol-v1.md §1, "Prefixes"):
 *
 * | prefix | kind                    | the 32 bytes                                  |
 * |--------|-------------------------|-----------------------------------------------|
 * | `05`   | Session ID              | an X25519 public key                          |
 * | `03`   | groups-v2 ID            | the group's Ed25519 public key                |
 * | `15`   | 15-blinded community ID | a blinded Ed25519 key (sign bit may flip)     |
 * | `25`   | 25-blinded community ID | a blinded Ed25519 key (always positive)       |
 *
 * Parsing checks the hex, the length, the prefix, and that the key is a usable curve point, so
 * inner code can trust an `AccountId` it is given.
 */
import { ProtocolError } from '../errors.ts';
import { ed25519IsValidPoint } from '../crypto/primitives.ts';
import { fromHex } from '../encoding/hex.ts';
import { x25519ToEd25519Positive } from './xed25519.ts';

/** The Session ID prefix byte, as hex. */
export const SESSION_ID_PREFIX = '05';

/** The account kinds with their prefix byte (hex). */
export const ACCOUNT_ID_PREFIXES = {
  '05': 'session',
  '03': 'group',
  '15': 'blinded15',
  '25': 'blinded25',
} as const;

/** A prefix in use. */
export type AccountIdPrefix = keyof typeof ACCOUNT_ID_PREFIXES;
/** What kind of account an ID names. */
export type AccountIdKind = (typeof ACCOUNT_ID_PREFIXES)[AccountIdPrefix];

/** A validated `05…` Session ID in lowercase hex. */
export type SessionId = string & { readonly __brand: 'SessionId' };

/** A parsed, validated account ID. */
export interface AccountId {
  readonly kind: AccountIdKind;
  readonly prefix: AccountIdPrefix;
  /** The 32 bytes after the prefix. */
  readonly publicKey: Uint8Array;
  /** The full 66-character lowercase hex form. */
  readonly hex: string;
  /** All 33 bytes. */
  readonly bytes: Uint8Array;
}

/** The outcome of parsing untrusted text as an account ID. */
export type AccountIdParseResult =
  | { readonly ok: true; readonly id: AccountId }
  | { readonly ok: false; readonly error: ProtocolError };

function invalid(message: string): AccountIdParseResult {
  return { ok: false, error: new ProtocolError('invalid-account-id', message) };
}

/** Options of `parseAccountId`. */
export interface AccountIdParseOptions {
  /**
   * Whether to check that the key is a valid prime-order curve point (default true). The check
   * costs about 90 µs (libsodium's subgroup check dominates), so hot paths that hand the key to
   * libsodium anyway, which rejects low-order points itself, may skip it; the format checks
   * always run.
   */
  readonly checkPoint?: boolean;
}

/**
 * Parses text as an account ID of any prefix in use, or of the `expected` kinds only.
 * Surrounding whitespace is ignored and hex may be in either case; the result is lowercase.
 */
export function parseAccountId(
  text: string,
  expected?: readonly AccountIdKind[],
  options: AccountIdParseOptions = {},
): AccountIdParseResult {
  if (typeof text !== 'string') return invalid(`account ID: expected a string, got ${typeof text}`);
  const trimmed = text.trim().toLowerCase();
  if (trimmed.length !== 66) {
    return invalid(`account ID: expected 66 hex characters, got ${trimmed.length}`);
  }
  if (!/^[0-9a-f]+$/.test(trimmed)) return invalid('account ID: not hex (only 0-9 and a-f)');
  const prefix = trimmed.slice(0, 2);
  if (!(prefix in ACCOUNT_ID_PREFIXES)) {
    return invalid(`account ID: unknown prefix ${prefix} (expected 05, 03, 15 or 25)`);
  }
  const p = prefix as AccountIdPrefix;
  const kind = ACCOUNT_ID_PREFIXES[p];
  if (expected !== undefined && !expected.includes(kind)) {
    return invalid(`account ID: expected a ${expected.join(' or ')} ID, got a ${kind} ID (${p})`);
  }
  const bytes = fromHex(trimmed);
  const publicKey = bytes.subarray(1);
  if (options.checkPoint === false) {
    return { ok: true, id: { kind, prefix: p, publicKey, hex: trimmed, bytes } };
  }
  const usable =
    kind === 'session'
      ? x25519ToEd25519Positive(publicKey) !== undefined
      : ed25519IsValidPoint(publicKey);
  if (!usable) return invalid(`account ID: the key of this ${kind} ID is not a valid curve point`);
  return { ok: true, id: { kind, prefix: p, publicKey, hex: trimmed, bytes } };
}

/** Like `parseAccountId`, but throws the `ProtocolError` instead of returning it. */
export function accountIdFromHex(
  text: string,
  expected?: readonly AccountIdKind[],
  options: AccountIdParseOptions = {},
): AccountId {
  const result = parseAccountId(text, expected, options);
  if (!result.ok) throw result.error;
  return result.id;
}

/** Parses a `05` Session ID, throwing `invalid-account-id` for anything else. */
export function parseSessionId(text: string): SessionId {
  return accountIdFromHex(text, ['session']).hex as SessionId;
}
