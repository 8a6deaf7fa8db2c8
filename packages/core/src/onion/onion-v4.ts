/**
 * Onion v4 requests and responses to HTTP servers (network.md §2.5): the plaintext a client
 * encrypts to a file, community or push server, and what the server encrypts back. Both are a
 * bencoded list of byte strings:
 *
 *     request:  l <len>:<{"method", "endpoint", "headers"}> [<len>:<body>] e   (body only for POST/PUT)
 *     response: l <len>:<{"code", "headers"}> <len>:<body> e                    (always two parts)
 *
 * The endpoint starts with `/`; response header names are lower case and carry no
 * `content-length` (the body part has its length). Decoding is strict (core's canonical bt
 * decoder) and throws a `ProtocolError` naming the problem; input over 10 MiB is refused
 * (libsession `onionreq/parser.hpp` `DEFAULT_MAX_SIZE`).
 *
 * Upstream: session-foundation/session-file-server `fileserver/onion_req.py`
 * (`handle_v4_onionreq_plaintext`); session-foundation/session-desktop
 * `ts/session/onions/onionv4.ts`; session-foundation/libsession-util
 * `src/onionreq/builder.cpp` (`_generate_payload`).
 */
import { ProtocolError } from '../errors.ts';
import { fromUtf8, utf8 } from '../encoding/bytes.ts';
import { isBtBytes, isBtList } from '../encoding/bencode.ts';
import { decodeBencode } from '../encoding/bencode-decode.ts';
import { encodeBencode } from '../encoding/bencode-encode.ts';
import { ONION_MAX_BYTES } from './onion-frame.ts';

/** An HTTP request carried to a server inside an onion. */
export interface OnionV4Request {
  readonly method: string;
  /** Starts with `/`. */
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Present for POST/PUT. */
  readonly body?: Uint8Array;
}

/** A server's answer inside an onion. */
export interface OnionV4Response {
  readonly code: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Encodes a v4 request. */
export function encodeOnionV4Request(request: OnionV4Request): Uint8Array {
  if (!request.endpoint.startsWith('/')) {
    throw new ProtocolError('invalid-input', 'onion v4 request: endpoint must start with "/"');
  }
  const meta = utf8(
    JSON.stringify({
      method: request.method,
      endpoint: request.endpoint,
      headers: request.headers,
    }),
  );
  return encodeBencode(request.body === undefined ? [meta] : [meta, request.body]);
}

/** Decodes a v4 request, or throws a `ProtocolError` saying what was wrong. */
export function decodeOnionV4Request(bytes: Uint8Array): OnionV4Request {
  const parts = parts1or2(bytes, 'request', 1);
  const meta = metaObject(parts[0] as Uint8Array, 'request');
  const { method, endpoint } = meta;
  if (typeof method !== 'string' || method.length === 0) {
    throw new ProtocolError('invalid-input', 'onion v4 request: "method" must be a string');
  }
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
    throw new ProtocolError('invalid-input', 'onion v4 request: "endpoint" must start with "/"');
  }
  const headers = headerObject(meta['headers'] ?? {}, 'request');
  const body = parts[1];
  return body === undefined ? { method, endpoint, headers } : { method, endpoint, headers, body };
}

/** Encodes a v4 response: header names lower-cased, `content-length` dropped. */
export function encodeOnionV4Response(response: OnionV4Response): Uint8Array {
  if (!Number.isInteger(response.code) || response.code < 100 || response.code > 599) {
    throw new ProtocolError('invalid-input', `onion v4 response: bad status ${response.code}`);
  }
  // fromEntries defines own properties, so even a header named "__proto__" stays a header.
  const headers = Object.fromEntries(
    Object.entries(response.headers)
      .map(([k, v]) => [k.toLowerCase(), v] as const)
      .filter(([k]) => k !== 'content-length'),
  );
  const meta = utf8(JSON.stringify({ code: response.code, headers }));
  return encodeBencode([meta, response.body]);
}

/** Decodes a v4 response, or throws a `ProtocolError` saying what was wrong. */
export function decodeOnionV4Response(bytes: Uint8Array): OnionV4Response {
  const parts = parts1or2(bytes, 'response', 2);
  const meta = metaObject(parts[0] as Uint8Array, 'response');
  const code = meta['code'];
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new ProtocolError('invalid-input', 'onion v4 response: "code" must be an integer');
  }
  const headers = headerObject(meta['headers'] ?? {}, 'response');
  return { code, headers, body: parts[1] as Uint8Array };
}

function parts1or2(bytes: Uint8Array, what: string, min: 1 | 2): Uint8Array[] {
  if (bytes.length > ONION_MAX_BYTES) {
    throw new ProtocolError('too-large', `onion v4 ${what}: over ${ONION_MAX_BYTES} bytes`);
  }
  const value = decodeBencode(bytes, { maxDepth: 1 });
  if (!isBtList(value) || value.length < min || value.length > 2 || !value.every(isBtBytes)) {
    throw new ProtocolError(
      'invalid-input',
      `onion v4 ${what}: expected a bencoded list of ${min === 1 ? '1 or 2' : '2'} byte strings`,
    );
  }
  return value as Uint8Array[];
}

function metaObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new ProtocolError('invalid-input', `onion v4 ${what}: metadata is not JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError('invalid-input', `onion v4 ${what}: metadata must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function headerObject(value: unknown, what: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError('invalid-input', `onion v4 ${what}: "headers" must be an object`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [, v] of entries) {
    if (typeof v !== 'string') {
      throw new ProtocolError('invalid-input', `onion v4 ${what}: header values must be strings`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
