/**
 * The final node's answer to an onion request (network.md §2.4). Only the destination encrypts
 * it, once, with its own layer's key; relays pass the bytes back unchanged. The plaintext is
 *
 *     {"status": <http code>, "body": <the RPC result as a JSON string, or as an object if json=true>}
 *
 * encrypted with the layer cipher and then base64-encoded unless the layer said `base64: false`.
 * The outer HTTP status is 200 whatever `status` says.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`wrap_proxy_response`); session-foundation/session-desktop
 * `ts/session/apis/snode_api/onions.ts` (`decodeOnionResult`, `processOnionResponse`).
 */
import { fromUtf8, utf8 } from '../encoding/bytes.ts';
import { fromBase64, toBase64 } from '../encoding/base64.ts';
import type { Rng } from '../crypto/rng.ts';
import { openOnionLayer, sealOnionLayer, type OnionLayerKey } from './onion-cipher.ts';

/** What the destination answers: a status and either text or a JSON value. */
export type OnionResult =
  | { readonly status: number; readonly text: string }
  | { readonly status: number; readonly json: unknown };

/** How the final layer asked to be answered (its `json` and `base64` flags). */
export interface OnionResponseFormat {
  /** Embed a JSON result as an object (`json: true`) instead of a JSON string. */
  readonly json: boolean;
  /** Base64 the ciphertext (default true). */
  readonly base64: boolean;
}

/** The default format: JSON-in-a-string, base64 (upstream's `FinalDestinationInfo` defaults). */
export const DEFAULT_ONION_RESPONSE_FORMAT: OnionResponseFormat = { json: false, base64: true };

/** The plaintext `{"status", "body"}` of a final response, before encryption. */
export function onionResponsePlaintext(result: OnionResult, format: OnionResponseFormat): string {
  if ('text' in result) return JSON.stringify({ status: result.status, body: result.text });
  const body = format.json ? result.json : JSON.stringify(result.json);
  return JSON.stringify({ status: result.status, body });
}

/** Encrypts a final response with the layer's key: the bytes of the outer 200 response body. */
export function sealOnionResponse(
  key: OnionLayerKey,
  result: OnionResult,
  format: OnionResponseFormat,
  rng: Rng,
): Uint8Array {
  const sealed = sealOnionLayer(key, utf8(onionResponsePlaintext(result, format)), rng);
  return format.base64 ? utf8(toBase64(sealed)) : sealed;
}

/** Why a response could not be read. */
export type OnionResponseFailure = 'not-base64' | 'undecryptable' | 'not-json' | 'bad-shape';

/** A decrypted final response, or why not. `body` is the string or object the node sent. */
export type OpenedOnionResponse =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly reason: OnionResponseFailure };

/** Decrypts the destination's answer with the key the onion builder returned. */
export function openOnionResponse(
  key: OnionLayerKey,
  responseBody: Uint8Array,
  base64 = true,
): OpenedOnionResponse {
  let sealed = responseBody;
  if (base64) {
    try {
      sealed = fromBase64(fromUtf8(responseBody).trim());
    } catch {
      return { ok: false, reason: 'not-base64' };
    }
  }
  const plaintext = openOnionLayer(key, sealed);
  if (plaintext === undefined) return { ok: false, reason: 'undecryptable' };
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(plaintext));
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'bad-shape' };
  }
  const { status, body } = value as { status?: unknown; body?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    return { ok: false, reason: 'bad-shape' };
  }
  return { ok: true, status, body };
}
