/**
 * Storage-RPC params: turns the untrusted JSON `params` of each method into typed values once,
 * at the boundary, so the handlers trust their input (CONVENTIONS.md, habit 7). Every problem
 * is a 400 `HttpError` whose message names the field and what was expected; the dispatcher
 * prefixes upstream's "invalid request: ".
 *
 * Which fields each method takes, which are required and which combinations are refused follow
 * upstream's loaders (session-foundation/session-storage-server
 * `oxenss/rpc/client_rpc_endpoints.cpp`, the `load(…)` functions; network.md §1.3). Whether a
 * signature verifies, timestamps are current and the account is ours is the handlers' business.
 */
import {
  fromBase64,
  isMessageHash,
  isNoAuthRetrieveNamespace,
  MAX_MESSAGE_BASE64_CHARS,
  MAX_MESSAGE_BYTES,
  MAX_SUBACCOUNT_TOKENS,
  type AccountId,
  type Namespace,
  type NamespaceSelector,
  type SubaccountToken,
} from '@session-ts/core';
import {
  decodeSignature,
  decodeToken,
  describe,
  invalid,
  readAccount,
  readBool,
  readInt,
  readNamespace,
  readNamespaceSelector,
  readPubkeyEd25519,
  readString,
  readStringified,
  readStringList,
  readTimestamp,
  readTimestampList,
  required,
  type JsonObject,
} from './param-fields.ts';

export type { JsonObject } from './param-fields.ts';

/** A subaccount token with the account owner's signature over it. */
export interface SignedSubaccount {
  readonly token: SubaccountToken;
  readonly signature: Uint8Array;
}

/** The authentication fields common to signed requests. */
export interface RequestAuth {
  readonly account: AccountId;
  readonly signature: Uint8Array;
  /** For 05 accounts: the Ed25519 key whose X25519 form is the account key. */
  readonly pubkeyEd25519: Uint8Array | undefined;
  readonly subaccount: SignedSubaccount | undefined;
}

export interface StoreParams {
  readonly account: AccountId;
  readonly namespace: Namespace;
  readonly timestamp: number;
  readonly expiry: number;
  readonly data: Uint8Array;
  /** Present when the request is signed (required outside public inboxes). */
  readonly auth: (RequestAuth & { readonly sigTimestamp: number }) | undefined;
}

export interface RetrieveParams {
  readonly account: AccountId;
  readonly namespace: Namespace;
  readonly lastHash: string | undefined;
  readonly maxCount: number | undefined;
  readonly maxSize: number | undefined;
  readonly auth: (RequestAuth & { readonly timestamp: number }) | undefined;
}

export interface DeleteParams {
  readonly auth: RequestAuth;
  readonly messages: readonly string[];
  readonly required: boolean;
}

export interface DeleteAllParams {
  readonly auth: RequestAuth;
  readonly namespace: NamespaceSelector;
  readonly timestamp: number;
}

export interface DeleteBeforeParams {
  readonly auth: RequestAuth;
  readonly namespace: NamespaceSelector;
  readonly before: number;
}

export interface ExpireAllParams {
  readonly auth: RequestAuth;
  readonly namespace: NamespaceSelector;
  readonly expiry: number;
}

export interface ExpireParams {
  readonly auth: RequestAuth;
  readonly messages: readonly string[];
  /** One expiry for all messages, or one per message. */
  readonly expiries: readonly number[];
  readonly mode: 'shorten' | 'extend' | undefined;
}

export interface GetExpiriesParams {
  readonly auth: RequestAuth;
  readonly timestamp: number;
  /** As requested (signed as given); `["all"]` asks for every message. */
  readonly messages: readonly string[];
}

export interface RevokeParams {
  readonly auth: RequestAuth;
  readonly timestamp: number;
  readonly tokens: readonly SubaccountToken[];
}

export interface RevokedListParams {
  readonly auth: RequestAuth;
  readonly timestamp: number;
}

export interface GetSwarmParams {
  readonly account: AccountId;
}

export interface OxendRequestParams {
  readonly endpoint: 'get_service_nodes' | 'ons_resolve';
  readonly params: unknown;
}

/** The signature fields (`load_pk_signature` + `load_subaccount`). */
function readAuth(params: JsonObject, account: AccountId, allowSubaccount: boolean): RequestAuth {
  const pubkeyEd25519 = readPubkeyEd25519(params, account);
  const signature = decodeSignature(
    required('signature', readString(params, 'signature')),
    'signature',
  );
  let subaccount: SignedSubaccount | undefined;
  const token = allowSubaccount ? readString(params, 'subaccount') : undefined;
  if (token !== undefined && token !== '') {
    const sig = readString(params, 'subaccount_sig');
    if (sig === undefined) {
      throw invalid('invalid subaccount: subaccount_sig is required when using subaccount');
    }
    subaccount = {
      token: decodeToken(token, 'subaccount'),
      signature: decodeSignature(sig, 'subaccount signature'),
    };
  }
  return { account, signature, pubkeyEd25519, subaccount };
}

/** A non-empty list of valid message hashes. */
function readHashes(params: JsonObject, name: string): string[] {
  const list = required(name, readStringList(params, name));
  if (list.length === 0) throw invalid(`${name} does not contain any message hashes`);
  for (const h of list) {
    if (!isMessageHash(h)) {
      throw invalid(`invalid message hash: expected 43 base64 characters, got ${describe(h)}`);
    }
  }
  return list;
}

export function parseStore(params: JsonObject): StoreParams {
  const timestamp = required('timestamp', readStringified(params, 'timestamp', false));
  const ttl = readStringified(params, 'ttl', true);
  const expiryField = readTimestamp(params, 'expiry');
  if (ttl !== undefined && expiryField !== undefined) {
    throw invalid(`Cannot specify both 'expiry' and 'ttl'`);
  }
  if (ttl === undefined && expiryField === undefined) {
    throw invalid(`Required field 'expiry' or 'ttl' missing`);
  }
  const expiry = expiryField ?? timestamp + (ttl ?? 0);
  const account = readAccount(params, true);
  const namespace = readNamespace(params) ?? 0;
  let auth: StoreParams['auth'];
  if (readString(params, 'signature') !== undefined) {
    const sigTimestamp = readTimestamp(params, 'sig_timestamp') ?? timestamp;
    auth = { ...readAuth(params, account, true), sigTimestamp };
  }
  const text = required('data', readString(params, 'data'));
  if (text.length > MAX_MESSAGE_BASE64_CHARS) {
    throw invalid(
      `Message body exceeds maximum allowed length of ${MAX_MESSAGE_BYTES} bytes ` +
        `(${MAX_MESSAGE_BASE64_CHARS} base64 characters; got ${text.length})`,
    );
  }
  let data: Uint8Array;
  try {
    data = fromBase64(text);
  } catch {
    throw invalid(`Invalid 'data' value: not base64 encoded`);
  }
  return { account, namespace, timestamp, expiry, data, auth };
}

export function parseRetrieve(params: JsonObject): RetrieveParams {
  const account = readAccount(params, true);
  const explicitNs = readNamespace(params);
  const namespace = explicitNs ?? 0;
  const hasEd = readString(params, 'pubkey_ed25519') !== undefined;
  const hasSig = readString(params, 'signature') !== undefined;
  const timestamp = readTimestamp(params, 'timestamp');
  readBool(params, 'reverse_direction'); // accepted and ignored, as upstream's handler does
  let auth: RetrieveParams['auth'];
  // Upstream asks for a signature as soon as any auth field is given or a namespace that needs
  // one is named explicitly; an omitted namespace leaves the 401 to the handler (§12.5).
  if (
    hasEd ||
    hasSig ||
    timestamp !== undefined ||
    (explicitNs !== undefined && !isNoAuthRetrieveNamespace(explicitNs))
  ) {
    const base = readAuth(params, account, true);
    auth = { ...base, timestamp: required('timestamp', timestamp) };
  }
  const last = readString(params, 'last_hash');
  const lastAlias = readString(params, 'lastHash');
  if (last !== undefined && lastAlias !== undefined) {
    throw invalid(`Cannot specify both 'last_hash' and 'lastHash'`);
  }
  let lastHash = last ?? lastAlias;
  if (lastHash === '') lastHash = undefined;
  if (lastHash !== undefined) {
    if (lastHash.length !== 43) {
      throw invalid(`Invalid last_hash: expected base64 (43 chars), got ${describe(lastHash)}`);
    }
    if (!isMessageHash(lastHash)) throw invalid('Invalid last_hash: not base64');
  }
  return {
    account,
    namespace,
    lastHash,
    maxCount: readInt(params, 'max_count'),
    maxSize: readInt(params, 'max_size'),
    auth,
  };
}

export function parseDelete(params: JsonObject): DeleteParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const messages = readHashes(params, 'messages');
  return { auth, messages, required: readBool(params, 'required') ?? false };
}

export function parseDeleteAll(params: JsonObject): DeleteAllParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const timestamp = required('timestamp', readTimestamp(params, 'timestamp'));
  return { auth, namespace: readNamespaceSelector(params) ?? 0, timestamp };
}

export function parseDeleteBefore(params: JsonObject): DeleteBeforeParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const before = required('before', readTimestamp(params, 'before'));
  return { auth, namespace: readNamespaceSelector(params) ?? 0, before };
}

export function parseExpireAll(params: JsonObject): ExpireAllParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const expiry = required('expiry', readTimestamp(params, 'expiry'));
  return { auth, namespace: readNamespaceSelector(params) ?? 0, expiry };
}

export function parseExpire(params: JsonObject): ExpireParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const expiries = required('expiry', readTimestampList(params, 'expiry'));
  if (expiries.length === 0) throw invalid(`'expiry' does not contain any expiration timestamps`);
  const shorten = readBool(params, 'shorten') ?? false;
  const extend = readBool(params, 'extend') ?? false;
  if (shorten && extend) throw invalid(`cannot specify both 'shorten' and 'extend'`);
  const messages = readHashes(params, 'messages');
  if (expiries.length > 1 && expiries.length !== messages.length) {
    throw invalid(`'expiry' must be a single expiry, or the same length as 'messages'`);
  }
  return { auth, messages, expiries, mode: shorten ? 'shorten' : extend ? 'extend' : undefined };
}

export function parseGetExpiries(params: JsonObject): GetExpiriesParams {
  const auth = readAuth(params, readAccount(params, false), true);
  const timestamp = required('timestamp', readTimestamp(params, 'timestamp'));
  const messages = required('messages', readStringList(params, 'messages'));
  if (messages.length === 0) throw invalid('messages does not contain any message hashes');
  for (const h of messages) {
    if (h !== 'all' && !isMessageHash(h)) {
      throw invalid(
        `invalid message hash: expected 43 base64 characters or "all", got ${describe(h)}`,
      );
    }
  }
  return { auth, timestamp, messages };
}

function parseTokens(params: JsonObject, name: string, max: number | undefined): SubaccountToken[] {
  const list = required(name, readStringList(params, name));
  if (max !== undefined && list.length > max) {
    throw invalid(`invalid ${name}: cannot ${name} more than ${max} subaccounts at once`);
  }
  return list.map((t) => decodeToken(t, name));
}

export function parseRevoke(params: JsonObject): RevokeParams {
  const auth = readAuth(params, readAccount(params, false), false);
  const tokens = parseTokens(params, 'revoke', MAX_SUBACCOUNT_TOKENS);
  return { auth, tokens, timestamp: required('timestamp', readTimestamp(params, 'timestamp')) };
}

export function parseUnrevoke(params: JsonObject): RevokeParams {
  const auth = readAuth(params, readAccount(params, false), false);
  const timestamp = required('timestamp', readTimestamp(params, 'timestamp'));
  return { auth, timestamp, tokens: parseTokens(params, 'unrevoke', undefined) };
}

export function parseRevokedList(params: JsonObject): RevokedListParams {
  const auth = readAuth(params, readAccount(params, false), false);
  return { auth, timestamp: required('timestamp', readTimestamp(params, 'timestamp')) };
}

export function parseGetSwarm(params: JsonObject): GetSwarmParams {
  return { account: readAccount(params, true) };
}

export function parseOxendRequest(params: JsonObject): OxendRequestParams {
  const endpoint = required('endpoint', readString(params, 'endpoint'));
  if (endpoint !== 'get_service_nodes' && endpoint !== 'ons_resolve') {
    throw invalid(
      `Invalid oxend endpoint '${endpoint.slice(0, 64)}' (allowed: get_service_nodes, ons_resolve)`,
    );
  }
  const inner = Object.hasOwn(params, 'params') ? params['params'] : undefined;
  return { endpoint, params: inner ?? undefined };
}

/** `batch` / `sequence`: 1–20 `{method, params}` objects, checked here, parsed by the caller. */
export function parseRequestList(
  params: JsonObject,
  max: number,
): { method: string; params: JsonObject }[] {
  const list = params['requests'];
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid(`Invalid batch request: no valid "requests" field (expected a non-empty array)`);
  }
  if (list.length > max) {
    throw invalid(`Invalid batch request: subrequest limit exceeded (${list.length} > ${max})`);
  }
  return list.map((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalid(
        `Invalid batch request: requests must be objects (request ${i} is ${describe(item)})`,
      );
    }
    const r = item as JsonObject;
    const method = r['method'];
    const p = r['params'];
    if (typeof method !== 'string' || p === null || typeof p !== 'object' || Array.isArray(p)) {
      throw invalid(
        `Invalid batch request: subrequests must have method/params keys (request ${i})`,
      );
    }
    return { method, params: p as JsonObject };
  });
}
