/**
 * Readers for the fields of storage-RPC params: each takes the untrusted JSON object and a
 * field name and returns a typed value, `undefined` when the field is absent or `null`, or
 * throws a 400 `HttpError` saying what was expected and what came (CONVENTIONS.md, habit 7).
 * `params.ts` composes them into one parser per method.
 *
 * The accepted forms are upstream's (session-foundation/session-storage-server
 * `oxenss/rpc/client_rpc_endpoints.cpp`: `parse_field`, `parse_stringified`, `load_pk`,
 * `load_pk_signature`, `load_subaccount`): integers must be integers (unsigned where upstream
 * says so), a timestamp below 1,000,000 s is taken as seconds sent by mistake, string arrays
 * may be a single string, a signature is 86 or 88 (`==`) base64 characters, a subaccount token
 * is 48 base64 or 72 hex characters.
 */
import {
  fromBase64,
  fromHex,
  MIN_TIMESTAMP_MS,
  NAMESPACE_MAX,
  NAMESPACE_MIN,
  parseAccountId,
  subaccountTokenFromText,
  type AccountId,
  type Namespace,
  type NamespaceSelector,
  type SubaccountToken,
} from '@session-ts/core';
import { HttpError } from '@session-ts/server-kit';

/** Untrusted JSON params. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A parse failure: 400 with upstream's "invalid request: …" prefix added by the dispatcher. */
export function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid-params', message);
}

/** What a value is, for messages ("got a string", "got 1.5"). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : 'a non-finite number';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return `a ${typeof value}`;
}

function present(params: JsonObject, name: string): unknown {
  const v = Object.hasOwn(params, name) ? params[name] : undefined;
  return v === null ? undefined : v;
}

function wrong(name: string, expected: string, value: unknown): HttpError {
  return invalid(`Invalid value given for '${name}': expected ${expected}, got ${describe(value)}`);
}

/** Throws "Required field … missing" when `value` is undefined. */
export function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw invalid(`Required field '${name}' missing`);
  return value;
}

export function readString(params: JsonObject, name: string): string | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw wrong(name, 'string', v);
  return v;
}

export function readBool(params: JsonObject, name: string): boolean | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw wrong(name, 'boolean', v);
  return v;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** A signed integer (`int`). */
export function readInt(params: JsonObject, name: string): number | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (!isInt(v)) throw wrong(name, 'integer', v);
  return v;
}

/** A non-negative integer (`uint64_t`). */
export function readUnsigned(params: JsonObject, name: string): number | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (!isInt(v) || v < 0) throw wrong(name, 'positive integer', v);
  return v;
}

/** A timestamp in ms: a non-negative integer of at least 1,000,000 s. */
export function readTimestamp(params: JsonObject, name: string): number | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (!isInt(v) || v < 0) throw wrong(name, 'integer timestamp (in milliseconds)', v);
  if (v < MIN_TIMESTAMP_MS) {
    throw invalid(`Invalid timestamp for '${name}': timestamp must be in milliseconds, got ${v}`);
  }
  return v;
}

/** An integer that may also arrive as a decimal string (store's `timestamp` and `ttl`). */
export function readStringified(
  params: JsonObject,
  name: string,
  unsigned: boolean,
): number | undefined {
  const v = present(params, name);
  if (typeof v === 'string') {
    const n = /^-?[0-9]{1,16}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || (unsigned && n < 0)) {
      throw invalid(`Invalid value given for '${name}': ${JSON.stringify(v.slice(0, 40))}`);
    }
    return n;
  }
  return unsigned ? readUnsigned(params, name) : readInt(params, name);
}

/** One timestamp or an array of them (`expire`'s `expiry`). */
export function readTimestampList(params: JsonObject, name: string): number[] | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  const list: unknown[] = Array.isArray(v) ? v : [v];
  if (!list.every((x) => isInt(x) && x >= 0)) throw wrong(name, 'timestamp array', v);
  return list as number[];
}

/** One string or an array of strings. */
export function readStringList(params: JsonObject, name: string): string[] | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  const list: unknown[] = Array.isArray(v) ? v : [v];
  if (!list.every((x): x is string => typeof x === 'string')) throw wrong(name, 'string array', v);
  return list;
}

/** A 16-bit namespace. */
export function readNamespace(params: JsonObject, name = 'namespace'): Namespace | undefined {
  const v = present(params, name);
  if (v === undefined) return undefined;
  if (!isInt(v)) throw wrong(name, '16-bit integer', v);
  if (v < NAMESPACE_MIN || v > NAMESPACE_MAX) {
    throw invalid(`Invalid value given for '${name}': value out of range (${v})`);
  }
  return v === 0 ? 0 : v;
}

/** A namespace or `"all"`. */
export function readNamespaceSelector(
  params: JsonObject,
  name = 'namespace',
): NamespaceSelector | undefined {
  const v = present(params, name);
  if (v === 'all') return 'all';
  if (typeof v === 'string') throw wrong(name, 'integer or "all"', v);
  return readNamespace(params, name);
}

/**
 * The account: `pubkey`, or its alias `pubKey` where upstream allows it (store, retrieve,
 * get_swarm); exactly one of them.
 */
export function readAccount(params: JsonObject, allowAlias: boolean): AccountId {
  const main = readString(params, 'pubkey');
  const alias = allowAlias ? readString(params, 'pubKey') : undefined;
  if (main !== undefined && alias !== undefined) {
    throw invalid(`Cannot specify both 'pubkey' and 'pubKey'`);
  }
  const text = required('pubkey', main ?? alias);
  // The point check is left to signature verification (which fails for a bad key); a public
  // inbox store to a non-point is harmless, as upstream treats it.
  const parsed = parseAccountId(text, undefined, { checkPoint: false });
  if (!parsed.ok || text.length !== 66) {
    throw invalid(
      `Pubkey must be 66 hex digits (33 bytes) long with a 05, 03, 15 or 25 prefix, got ${describe(text)}`,
    );
  }
  return parsed.id;
}

/** A base64 Ed25519 signature: 86 characters, or 88 ending in `==`. */
export function decodeSignature(text: string, what: string): Uint8Array {
  const ok = text.length === 86 || (text.length === 88 && text.endsWith('=='));
  let bytes: Uint8Array | undefined;
  if (ok) {
    try {
      bytes = fromBase64(text);
    } catch {
      bytes = undefined;
    }
  }
  if (bytes?.length !== 64) {
    throw invalid(
      `invalid ${what}: expected base64 encoded Ed25519 signature (86 or 88 characters)`,
    );
  }
  return bytes;
}

/** `pubkey_ed25519` (64 hex characters), allowed only for `05` accounts. */
export function readPubkeyEd25519(params: JsonObject, account: AccountId): Uint8Array | undefined {
  const text = readString(params, 'pubkey_ed25519');
  if (text === undefined) return undefined;
  if (account.prefix !== '05') {
    throw invalid('pubkey_ed25519 is only permitted for 05[...] pubkeys');
  }
  if (text.length !== 64 || !/^[0-9a-fA-F]+$/.test(text)) {
    throw invalid(`Invalid pubkey_ed25519: expected 64 hex characters, got ${describe(text)}`);
  }
  return fromHex(text);
}

/** A subaccount token as JSON carries it, 48 base64 or 72 hex characters. */
export function decodeToken(text: string, what: string): SubaccountToken {
  try {
    return subaccountTokenFromText(text);
  } catch {
    throw invalid(`invalid ${what}: expected base64 (48) or hex (72) encoded subaccount token`);
  }
}
