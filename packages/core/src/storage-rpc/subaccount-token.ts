/**
 * Subaccount tokens: a 36-byte note by which an account owner lets another Ed25519 key act on
 * the account with limited rights (network.md §1.2, "Subaccounts").
 *
 * Layout (session-foundation/session-storage-server `oxenss/common/subaccount_token.h`):
 *
 * | bytes  | field                                                   |
 * |--------|---------------------------------------------------------|
 * | 0      | network prefix the token is for (`03` for a group)      |
 * | 1      | flags: Read 0x01, Write 0x02, Delete 0x04, AnyPrefix 0x08 |
 * | 2–3    | reserved (zero when we build; ignored when we parse)    |
 * | 4–35   | the subaccount's Ed25519 public key                     |
 *
 * A request made with a subaccount carries `subaccount` (the token; base64 or hex in JSON),
 * `subaccount_sig` (the account key's signature over the 36 token bytes) and a `signature` made
 * with the subaccount key. Parsing is as lenient as upstream's: unknown flag bits and reserved
 * bytes are kept, not refused, so a token another implementation issued still round-trips.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { fromBase64 } from '../encoding/base64.ts';
import { fromHex } from '../encoding/hex.ts';

/** Token length in bytes (`SUBACCOUNT_TOKEN_LENGTH`). */
export const SUBACCOUNT_TOKEN_LENGTH = 36;

/** Offsets of the token fields (`SUBACCOUNT_TOKEN_*_INDEX`). */
const PREFIX_INDEX = 0;
const FLAGS_INDEX = 1;
const PUBKEY_INDEX = 4;

/** The flag bits (`enum class subaccount_access`). */
export const SUBACCOUNT_FLAGS = {
  /** Retrieve, get_expiries, monitor. */
  read: 0x01,
  /** Store, and extend expiries. */
  write: 0x02,
  /** Delete, and shorten expiries. */
  delete: 0x04,
  /** Valid for every network prefix of the account's key, not only the token's prefix. */
  anyPrefix: 0x08,
} as const;

/** A named flag. */
export type SubaccountFlag = keyof typeof SUBACCOUNT_FLAGS;

/** A parsed token. */
export interface SubaccountToken {
  /** The network prefix byte the token was issued for. */
  readonly prefix: number;
  /** The raw flags byte, unknown bits included. */
  readonly flags: number;
  /** The subaccount's Ed25519 public key (32 bytes); it verifies the request signature. */
  readonly publicKey: Uint8Array;
  /** All 36 bytes, as signed by `subaccount_sig` and concatenated into revoke signatures. */
  readonly bytes: Uint8Array;
}

/** What a token to be built says. */
export interface SubaccountTokenFields {
  readonly prefix: number;
  /** The flags to set; unnamed bits stay clear. */
  readonly flags: readonly SubaccountFlag[];
  readonly publicKey: Uint8Array;
}

/** Builds the 36 token bytes, reserved bytes zero. */
export function buildSubaccountToken(fields: SubaccountTokenFields): Uint8Array {
  assertPrefix(fields.prefix);
  assertBytes('subaccount public key', fields.publicKey, 32);
  let flags = 0;
  for (const name of fields.flags) {
    if (!Object.hasOwn(SUBACCOUNT_FLAGS, name)) {
      throw new ProtocolError('invalid-input', `subaccount flag: unknown flag ${String(name)}`, {
        subject: 'subaccount flags',
      });
    }
    flags |= SUBACCOUNT_FLAGS[name];
  }
  const token = new Uint8Array(SUBACCOUNT_TOKEN_LENGTH);
  token[PREFIX_INDEX] = fields.prefix;
  token[FLAGS_INDEX] = flags;
  token.set(fields.publicKey, PUBKEY_INDEX);
  return token;
}

/** Parses 36 token bytes; any other length is an `invalid-length` error. */
export function parseSubaccountToken(bytes: Uint8Array): SubaccountToken {
  assertBytes('subaccount token', bytes, SUBACCOUNT_TOKEN_LENGTH);
  const copy = bytes.slice();
  return {
    prefix: copy[PREFIX_INDEX] ?? 0,
    flags: copy[FLAGS_INDEX] ?? 0,
    publicKey: copy.subarray(PUBKEY_INDEX),
    bytes: copy,
  };
}

/**
 * Parses a token as JSON carries it: 48 base64 characters or 72 hex characters, the two forms
 * upstream accepts (client_rpc_endpoints.cpp `load_subaccount`, `load(revoke_subaccount&)`).
 */
export function subaccountTokenFromText(text: string): SubaccountToken {
  if (typeof text !== 'string') {
    throw new ProtocolError(
      'invalid-input',
      `subaccount token: expected a base64 or hex string, got ${typeof text}`,
    );
  }
  // The lengths differ, so the form is unambiguous (36 bytes need no base64 padding).
  if (text.length === (SUBACCOUNT_TOKEN_LENGTH * 4) / 3) {
    return parseSubaccountToken(fromBase64(text, 'subaccount token'));
  }
  if (text.length === SUBACCOUNT_TOKEN_LENGTH * 2) {
    return parseSubaccountToken(fromHex(text, 'subaccount token'));
  }
  throw new ProtocolError(
    'invalid-length',
    `subaccount token: expected 48 base64 or 72 hex characters, got ${text.length}`,
  );
}

/** True when every named flag is set (`subaccount_token::has`). */
export function subaccountHas(
  token: SubaccountToken,
  ...flags: readonly SubaccountFlag[]
): boolean {
  let want = 0;
  for (const f of flags) want |= SUBACCOUNT_FLAGS[f];
  return (token.flags & want) === want;
}

/**
 * True when the token may act on an account with this prefix: the prefixes match or the token
 * has AnyPrefix (`subaccount_token::prefix_allowed`).
 */
export function subaccountPrefixAllowed(token: SubaccountToken, accountPrefix: number): boolean {
  return token.prefix === accountPrefix || subaccountHas(token, 'anyPrefix');
}

/**
 * The flags a subaccount needs per method (request_handler.cpp `verify_signature` calls and
 * mqbase.cpp for `monitor`). `null` means a subaccount may not make the request at all. Two
 * refinements sit in the handlers: a store to a public-outbox namespace also needs Delete (see
 * `namespaceRules`), and `expire` with only Write may extend but not shorten.
 */
export const SUBACCOUNT_METHOD_ACCESS = {
  store: ['write'],
  retrieve: ['read'],
  delete: ['delete'],
  delete_all: ['delete'],
  delete_before: ['delete'],
  expire: ['write'],
  expire_all: ['delete'],
  get_expiries: ['read'],
  monitor: ['read'],
  revoke_subaccount: null,
  unrevoke_subaccount: null,
  revoked_subaccounts: null,
} as const satisfies Record<string, readonly SubaccountFlag[] | null>;

function assertPrefix(prefix: number): void {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 0xff) {
    throw new ProtocolError(
      'invalid-input',
      `subaccount prefix: expected a byte (0-255), got ${prefix}`,
      { subject: 'subaccount prefix' },
    );
  }
}
