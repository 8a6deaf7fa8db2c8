/**
 * What a node does with one onion layer (network.md §2.2, §2.4): decrypt it with its X25519 key
 * and the layer's ephemeral key, then read the inner frame's JSON to learn its role:
 *
 * | the JSON has                    | role          | the node then…                                  |
 * | ------------------------------- | ------------- | ----------------------------------------------- |
 * | `headers` (any value)           | final node    | runs the RPC body, answers once, encrypted      |
 * | `host` (+ `target`, …)          | proxy         | POSTs the whole decrypted layer to the server   |
 * | otherwise `destination`, `ephemeral_key` | relay | forwards the inner ciphertext to the next node  |
 *
 * Every outcome is a value: `undecryptable` (upstream answers a plain 400 "Invalid ciphertext"),
 * `invalid` (decrypted but malformed: upstream answers an *encrypted* 400 "Invalid json"), or the
 * role with what it needs. Pure: no I/O; the endpoint that acts on it is
 * `@session-ts/server-kit`'s `createOnionEndpoint`.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/onion_processing.cpp`
 * (`process_inner_request`, `process_ciphertext_v2`, `is_onion_url_target_allowed`).
 */
import { ProtocolError } from '../errors.ts';
import { fromHexOfLength } from '../encoding/hex.ts';
import type { SecretKey } from '../crypto/secret-key.ts';
import {
  DEFAULT_ONION_ENC_TYPE,
  nodeLayerKey,
  openOnionLayer,
  parseOnionEncType,
  type OnionEncType,
  type OnionLayerKey,
} from './onion-cipher.ts';
import type { OnionEnvelope } from './onion-envelope.ts';
import { decodeOnionFrame, type OnionJson } from './onion-frame.ts';

/** A node's X25519 keys (the conversion of its Ed25519 identity, network.md §12.1). */
export interface OnionNodeKeys {
  readonly x25519SecretKey: SecretKey<'x25519-secret-key'>;
  readonly x25519PublicKey: Uint8Array;
}

/** Where a proxying node sends the layer (the `host` form of §2.2). */
export interface OnionProxyTarget {
  readonly host: string;
  readonly port: number;
  readonly protocol: string;
  readonly target: string;
  readonly method: string;
}

/** What one layer told the node to do. */
export type PeeledOnionLayer =
  | { readonly kind: 'undecryptable' }
  | { readonly kind: 'invalid'; readonly key: OnionLayerKey; readonly message: string }
  | {
      readonly kind: 'final';
      readonly key: OnionLayerKey;
      /** The RPC body `{"method", "params"}` as sent (JSON bytes). */
      readonly body: Uint8Array;
      /** Put the RPC result in the response as an object rather than a string. */
      readonly json: boolean;
      /** Base64 the encrypted response (the default). */
      readonly base64: boolean;
    }
  | {
      readonly kind: 'relay';
      /** The next node's Ed25519 public key (32 bytes). */
      readonly next: Uint8Array;
      /** The layer for the next node (its `hopNo` is left to the caller: usually ours + 1). */
      readonly layer: Omit<OnionEnvelope, 'hopNo'>;
    }
  | {
      readonly kind: 'proxy';
      readonly key: OnionLayerKey;
      readonly target: OnionProxyTarget;
      /** Upstream's rule: `http(s)`, `/oxen/` or `/loki/` … `/lsrpc`, no `?`. */
      readonly allowed: boolean;
      /** The whole decrypted layer `[N][blob]{json}`: what the server receives. */
      readonly payload: Uint8Array;
    };

/** Decrypts a received layer; `undefined` when it does not decrypt. */
export function openOnionEnvelope(
  keys: OnionNodeKeys,
  layer: Pick<OnionEnvelope, 'ciphertext' | 'ephemeralKey' | 'encType'>,
): { readonly key: OnionLayerKey; readonly plaintext: Uint8Array } | undefined {
  const key = nodeLayerKey(
    layer.encType,
    keys.x25519SecretKey,
    keys.x25519PublicKey,
    layer.ephemeralKey,
  );
  if (key === undefined) return undefined;
  const plaintext = openOnionLayer(key, layer.ciphertext);
  return plaintext === undefined ? undefined : { key, plaintext };
}

/** Decrypts a layer and reads its role. */
export function peelOnionLayer(
  keys: OnionNodeKeys,
  layer: Pick<OnionEnvelope, 'ciphertext' | 'ephemeralKey' | 'encType'>,
): PeeledOnionLayer {
  const opened = openOnionEnvelope(keys, layer);
  if (opened === undefined) return { kind: 'undecryptable' };
  const { key, plaintext } = opened;
  try {
    return classify(key, plaintext);
  } catch (error) {
    const message = error instanceof ProtocolError ? error.message : 'malformed onion layer';
    return { kind: 'invalid', key, message };
  }
}

/** True for a proxy target upstream allows: `/oxen/` or `/loki/` … `/lsrpc`, with no `?`. */
export function isOnionProxyTargetAllowed(target: string): boolean {
  return (
    (target.startsWith('/loki/') || target.startsWith('/oxen/')) &&
    target.endsWith('/lsrpc') &&
    !target.includes('?')
  );
}

function classify(key: OnionLayerKey, plaintext: Uint8Array): PeeledOnionLayer {
  const { ciphertext, json } = decodeOnionFrame(plaintext);
  if ('headers' in json) {
    return {
      kind: 'final',
      key,
      body: ciphertext,
      json: optionalBool(json, 'json', false),
      base64: optionalBool(json, 'base64', true),
    };
  }
  if ('host' in json) {
    const target = proxyTarget(json);
    const allowed =
      (target.protocol === 'http' || target.protocol === 'https') &&
      isOnionProxyTargetAllowed(target.target);
    return { kind: 'proxy', key, target, allowed, payload: plaintext };
  }
  const destination = json['destination'];
  const eph = json['ephemeral_key'];
  if (typeof destination !== 'string' || typeof eph !== 'string') {
    throw new ProtocolError(
      'invalid-input',
      'onion layer: expected "headers", "host", or "destination" and "ephemeral_key"',
    );
  }
  const rawType = json['enc_type'];
  const encType: OnionEncType | undefined =
    rawType === undefined ? DEFAULT_ONION_ENC_TYPE : parseOnionEncType(rawType);
  if (encType === undefined) {
    throw new ProtocolError('invalid-input', 'onion layer: unknown "enc_type"');
  }
  return {
    kind: 'relay',
    next: fromHexOfLength(destination, 32, 'onion layer "destination"'),
    layer: {
      ciphertext,
      ephemeralKey: fromHexOfLength(eph, 32, 'onion layer "ephemeral_key"'),
      encType,
    },
  };
}

function proxyTarget(json: OnionJson): OnionProxyTarget {
  const host = json['host'];
  const target = json['target'];
  if (typeof host !== 'string' || typeof target !== 'string') {
    throw new ProtocolError('invalid-input', 'onion layer: "host" and "target" must be strings');
  }
  const port = json['port'] ?? 443;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ProtocolError('invalid-input', 'onion layer: "port" must be an integer 0–65535');
  }
  const protocol = json['protocol'] ?? 'https';
  const method = json['method'] ?? 'POST';
  if (typeof protocol !== 'string' || typeof method !== 'string') {
    throw new ProtocolError(
      'invalid-input',
      'onion layer: "protocol" and "method" must be strings',
    );
  }
  return { host, port, protocol, target, method };
}

function optionalBool(json: OnionJson, name: string, fallback: boolean): boolean {
  const v = json[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    throw new ProtocolError('invalid-input', `onion layer: "${name}" must be a boolean`);
  }
  return v;
}
