/**
 * The exact bytes signed in storage RPC: what a client signs to authenticate each method, and
 * what a service node signs over its result (network.md §1.2 "Signed strings", §1.3, §12.6).
 * Client and node both build them here so they agree byte for byte.
 *
 * Every string is a plain concatenation with integers in base 10 and no separators, except
 * `monitor`, whose namespaces are joined by commas. Revoke and unrevoke append the raw 36-byte
 * tokens, so every function returns bytes rather than a string.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`verify_signature` / `create_signature` call sites and `concatenate_sig_message_parts`),
 * `oxenss/rpc/client_rpc_endpoints.h` (documented formats, `signature_value`),
 * `oxenss/server/mqbase.cpp` (`MONITOR…`), `network-tests/test_expire.py`, `test_monitor.py`;
 * session-foundation/session-desktop `ts/session/apis/snode_api/signature/snodeSignatures.ts`
 * and `signatureShared.ts`.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, concatBytes, utf8 } from '../encoding/bytes.ts';
import { fromHexOfLength, toHex } from '../encoding/hex.ts';
import { MAX_SUBACCOUNT_TOKENS } from './limits.ts';
import { isMessageHash } from './message-hash.ts';
import {
  type Namespace,
  type NamespaceSelector,
  namespaceString,
  parseNamespace,
} from './namespaces.ts';
import { SUBACCOUNT_TOKEN_LENGTH } from './subaccount-token.ts';

/** `expire` may only shorten or only extend expiries; neither when omitted. */
export type ExpireMode = 'shorten' | 'extend';

/** Hashes a node reports for one namespace, or per namespace (`{"ns": [...]}`) for `all`. */
export type AffectedHashes = readonly string[] | Readonly<Record<string, readonly string[]>>;

/** An account ID: 33 bytes, or its 66 hex characters. */
export type AccountKey = Uint8Array | string;

// ---------------------------------------------------------------------------------------------
// What a client signs
// ---------------------------------------------------------------------------------------------

/** `"store" ‖ ns ‖ sig_timestamp` (needed only outside public-inbox namespaces). */
export function storeToSign(p: { namespace: Namespace; sigTimestamp: number }): Uint8Array {
  return ascii('store', single(p.namespace), decimal('sig_timestamp', p.sigTimestamp));
}

/** `"retrieve" ‖ ns ‖ timestamp`; ns 999 at 1234567890123 gives `retrieve9991234567890123`. */
export function retrieveToSign(p: { namespace: Namespace; timestamp: number }): Uint8Array {
  return ascii('retrieve', single(p.namespace), decimal('timestamp', p.timestamp));
}

/** `"delete" ‖ hash0 ‖ hash1 ‖ …` in request order; no timestamp. */
export function deleteToSign(p: { messages: readonly string[] }): Uint8Array {
  return ascii('delete', ...hashes('messages', p.messages, { nonEmpty: true }));
}

/** `"delete_all" ‖ ns ‖ timestamp`, ns being `all` for every namespace. */
export function deleteAllToSign(p: {
  namespace: NamespaceSelector;
  timestamp: number;
}): Uint8Array {
  return ascii('delete_all', namespaceString(p.namespace), decimal('timestamp', p.timestamp));
}

/** `"delete_before" ‖ ns ‖ before`. */
export function deleteBeforeToSign(p: {
  namespace: NamespaceSelector;
  before: number;
}): Uint8Array {
  return ascii('delete_before', namespaceString(p.namespace), decimal('before', p.before));
}

/**
 * `"expire" ‖ ("shorten" | "extend" | "") ‖ expiry ‖ hash0 ‖ …`. With per-message expiries
 * (an array as long as `messages`) the expiries are concatenated in place of the one value. The
 * requested expiry is signed, not the 30-day-capped one the node applies.
 */
export function expireToSign(p: {
  mode?: ExpireMode | undefined;
  expiry: number | readonly number[];
  messages: readonly string[];
}): Uint8Array {
  const messages = hashes('messages', p.messages, { nonEmpty: true });
  const expiries: readonly unknown[] | undefined =
    typeof p.expiry === 'number' ? [p.expiry] : isList(p.expiry) ? p.expiry : undefined;
  if (expiries === undefined || expiries.length === 0) {
    throw invalid('expiry', 'expected a timestamp or a non-empty array of timestamps');
  }
  if (expiries.length > 1 && expiries.length !== messages.length) {
    throw invalid(
      'expiry',
      `expected one expiry or one per message (${messages.length}), got ${expiries.length}`,
    );
  }
  return ascii('expire', mode(p.mode), ...expiries.map((e) => decimal('expiry', e)), ...messages);
}

/** `"expire_all" ‖ ns ‖ expiry`. */
export function expireAllToSign(p: { namespace: NamespaceSelector; expiry: number }): Uint8Array {
  return ascii('expire_all', namespaceString(p.namespace), decimal('expiry', p.expiry));
}

/** `"get_expiries" ‖ timestamp ‖ hash0 ‖ …`; `messages` may be `["all"]`. */
export function getExpiriesToSign(p: {
  timestamp: number;
  messages: readonly string[];
}): Uint8Array {
  const messages = hashes('messages', p.messages, { nonEmpty: true, allowAll: true });
  return ascii('get_expiries', decimal('timestamp', p.timestamp), ...messages);
}

/** `"revoke_subaccount" ‖ timestamp ‖ token0 bytes ‖ …` (at most 50 tokens). */
export function revokeSubaccountToSign(p: {
  timestamp: number;
  tokens: readonly Uint8Array[];
}): Uint8Array {
  const tokens = tokenList(p.tokens, MAX_SUBACCOUNT_TOKENS);
  return concatBytes(ascii('revoke_subaccount', decimal('timestamp', p.timestamp)), ...tokens);
}

/** `"unrevoke_subaccount" ‖ timestamp ‖ token0 bytes ‖ …`. */
export function unrevokeSubaccountToSign(p: {
  timestamp: number;
  tokens: readonly Uint8Array[];
}): Uint8Array {
  const tokens = tokenList(p.tokens);
  return concatBytes(ascii('unrevoke_subaccount', decimal('timestamp', p.timestamp)), ...tokens);
}

/** `"revoked_subaccounts" ‖ timestamp` (upstream's list-revocations method; account key only). */
export function revokedSubaccountsToSign(p: { timestamp: number }): Uint8Array {
  return ascii('revoked_subaccounts', decimal('timestamp', p.timestamp));
}

/**
 * `"MONITOR" ‖ hex(account) ‖ timestamp (seconds) ‖ ("0" | "1") ‖ ns0 "," ns1 …` for OMQ
 * `monitor.messages`. Namespaces are written in full, 0 included, and must be strictly ascending
 * (mqbase.cpp refuses others).
 */
export function monitorToSign(p: {
  account: AccountKey;
  timestampSeconds: number;
  wantData: boolean;
  namespaces: readonly Namespace[];
}): Uint8Array {
  if (!isList(p.namespaces) || p.namespaces.length === 0) {
    throw invalid('namespaces', 'expected a non-empty list of namespaces');
  }
  const list = p.namespaces.map((ns) => parseNamespace(ns));
  for (let i = 1; i < list.length; i++) {
    if ((list[i] ?? 0) <= (list[i - 1] ?? 0)) {
      throw invalid('namespaces', 'namespaces must be strictly ascending');
    }
  }
  const want = p.wantData ? '1' : '0';
  return ascii(
    'MONITOR',
    accountHex(p.account),
    decimal('timestamp', p.timestampSeconds),
    want,
    list.join(','),
  );
}

// ---------------------------------------------------------------------------------------------
// What a service node signs over its result
// ---------------------------------------------------------------------------------------------

/** A store result: the node signs the 43-character hash *string* (network.md §12.6). */
export function storeResultToSign(hash: string): Uint8Array {
  return ascii(...hashes('hash', [hash]));
}

/** `pubkey_hex ‖ requested… ‖ deleted…`, the deleted hashes sorted. */
export function deleteResultToSign(p: {
  account: AccountKey;
  requested: readonly string[];
  deleted: readonly string[];
}): Uint8Array {
  return ascii(
    accountHex(p.account),
    ...hashes('requested', p.requested),
    ...sorted(hashes('deleted', p.deleted)),
  );
}

/** `pubkey_hex ‖ timestamp ‖ deleted…`, all deleted hashes sorted together (also for `all`). */
export function deleteAllResultToSign(p: {
  account: AccountKey;
  timestamp: number;
  deleted: AffectedHashes;
}): Uint8Array {
  return ascii(
    accountHex(p.account),
    decimal('timestamp', p.timestamp),
    ...flatSorted('deleted', p.deleted),
  );
}

/** `pubkey_hex ‖ before ‖ deleted…`, sorted as for `delete_all`. */
export function deleteBeforeResultToSign(p: {
  account: AccountKey;
  before: number;
  deleted: AffectedHashes;
}): Uint8Array {
  return ascii(
    accountHex(p.account),
    decimal('before', p.before),
    ...flatSorted('deleted', p.deleted),
  );
}

/** `pubkey_hex ‖ expiry ‖ updated…`, sorted as for `delete_all`. */
export function expireAllResultToSign(p: {
  account: AccountKey;
  expiry: number;
  updated: AffectedHashes;
}): Uint8Array {
  return ascii(
    accountHex(p.account),
    decimal('expiry', p.expiry),
    ...flatSorted('updated', p.updated),
  );
}

/**
 * `pubkey_hex ‖ expiry ‖ requested… ‖ updated… ‖ (hash ‖ expiry of each unchanged)`.
 *
 * `expiry` is what the node reports: one applied value (after the 30-day cap) when the request
 * gave one expiry — signed even if nothing was updated — or, for per-message expiries, an array
 * matching `updated`, concatenated. Updated hashes (with their expiries) and unchanged entries are
 * sorted by hash.
 */
export function expireResultToSign(p: {
  account: AccountKey;
  expiry: number | readonly number[];
  requested: readonly string[];
  updated: readonly string[];
  unchanged?: Readonly<Record<string, number>> | undefined;
}): Uint8Array {
  const updated = hashes('updated', p.updated);
  let pairs: { hash: string; expiry: string | undefined }[];
  if (typeof p.expiry === 'number') {
    pairs = updated.map((hash) => ({ hash, expiry: undefined }));
  } else {
    const list: unknown = p.expiry;
    if (!isList(list) || list.length !== updated.length) {
      throw invalid('expiry', `expected one expiry per updated hash (${updated.length})`);
    }
    const exps = list.map((e) => decimal('expiry', e));
    pairs = updated.map((hash, i) => ({ hash, expiry: exps[i] }));
  }
  pairs.sort((a, b) => compare(a.hash, b.hash));
  const expiryPart =
    typeof p.expiry === 'number' ? [decimal('expiry', p.expiry)] : pairs.map((x) => x.expiry ?? '');
  const unchanged = Object.entries(p.unchanged ?? {}).sort(([a], [b]) => compare(a, b));
  const unchangedPart = unchanged.flatMap(([hash, exp]) => [
    ...hashes('unchanged', [hash]),
    decimal('unchanged expiry', exp),
  ]);
  return ascii(
    accountHex(p.account),
    ...expiryPart,
    ...hashes('requested', p.requested),
    ...pairs.map((x) => x.hash),
    ...unchangedPart,
  );
}

/** `pubkey_hex ‖ timestamp ‖ token bytes…` as requested (revoke). */
export function revokeSubaccountResultToSign(p: {
  account: AccountKey;
  timestamp: number;
  tokens: readonly Uint8Array[];
}): Uint8Array {
  const tokens = tokenList(p.tokens, MAX_SUBACCOUNT_TOKENS);
  return concatBytes(ascii(accountHex(p.account), decimal('timestamp', p.timestamp)), ...tokens);
}

/** `pubkey_hex ‖ timestamp ‖ token bytes…` as requested (unrevoke). */
export function unrevokeSubaccountResultToSign(p: {
  account: AccountKey;
  timestamp: number;
  tokens: readonly Uint8Array[];
}): Uint8Array {
  const tokens = tokenList(p.tokens);
  return concatBytes(ascii(accountHex(p.account), decimal('timestamp', p.timestamp)), ...tokens);
}

// ---------------------------------------------------------------------------------------------
// Checks and pieces
// ---------------------------------------------------------------------------------------------

function ascii(...parts: readonly string[]): Uint8Array {
  return utf8(parts.join(''));
}

/** A single namespace (store and retrieve have no "all"). */
function single(ns: Namespace): string {
  return namespaceString(parseNamespace(ns));
}

function invalid(what: string, expected: string): ProtocolError {
  return new ProtocolError('invalid-input', `${what}: ${expected}`, { subject: what });
}

/** A timestamp (ms; seconds for monitor) as upstream prints it: a base-10 integer. */
function decimal(what: string, value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(what, `expected a non-negative integer timestamp, got ${String(value)}`);
  }
  return String(value);
}

function mode(m: ExpireMode | undefined): string {
  if (m === undefined) return '';
  if (m === 'shorten' || m === 'extend') return m;
  throw invalid('expire mode', `expected "shorten", "extend" or nothing, got ${String(m)}`);
}

function hashes(
  what: string,
  list: readonly string[],
  opts: { nonEmpty?: boolean; allowAll?: boolean } = {},
): string[] {
  const items: unknown = list;
  if (!isList(items)) throw invalid(what, 'expected an array of message hashes');
  if (opts.nonEmpty === true && items.length === 0) {
    throw invalid(what, 'expected at least one message hash');
  }
  const out: string[] = [];
  for (const h of items) {
    if (!isMessageHash(h) && !(opts.allowAll === true && h === 'all')) {
      throw invalid(what, `expected 43-character base64 message hashes, got ${describe(h)}`);
    }
    out.push(h);
  }
  return out;
}

function flatSorted(what: string, affected: AffectedHashes): string[] {
  const all: readonly string[] = isList(affected) ? affected : Object.values(affected).flat();
  return sorted(hashes(what, all));
}

/** Byte order, as `std::sort` on `std::string` (hashes are ASCII, so code units agree). */
function sorted(list: string[]): string[] {
  return list.sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenList(tokens: readonly Uint8Array[], max?: number): Uint8Array[] {
  if (!isList(tokens)) throw invalid('tokens', 'expected an array of subaccount tokens');
  if (max !== undefined && tokens.length > max) {
    throw invalid('tokens', `expected at most ${max} tokens, got ${tokens.length}`);
  }
  return tokens.map((t, i) => {
    assertBytes(`subaccount token ${i}`, t, SUBACCOUNT_TOKEN_LENGTH);
    return t;
  });
}

/** The account as upstream's `prefixed_hex()`: 66 lowercase hex characters. */
function accountHex(account: AccountKey): string {
  if (typeof account === 'string') return toHex(fromHexOfLength(account, 33, 'account ID'));
  assertBytes('account ID', account, 33);
  return toHex(account);
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.slice(0, 50)}" (${value.length} characters)`;
  return value === null ? 'null' : typeof value;
}
