/**
 * The client's onion builder (network.md §2.2, §12.2). Given a path of relay nodes and a
 * destination, it encrypts the payload to the destination, then wraps it once per hop from the
 * last hop back to the first, each layer with a fresh ephemeral X25519 key pair:
 *
 *     destination node:  D = seal_D([len][rpc body]{"headers": {}})
 *     destination server: D = seal_S(v4 request)
 *     last hop i = n−1:  L = seal_i([len][D]{"destination": D.ed25519, "ephemeral_key", "enc_type"})
 *                        (for a server: {"host", "target", "method", "protocol", "port", "ephemeral_key", "enc_type"})
 *     hop i < n−1:       L = seal_i([len][L_{i+1}]{"destination": hop_{i+1}.ed25519, "ephemeral_key", "enc_type"})
 *     sent to hop 0:     [len][L_0]{"ephemeral_key", "enc_type"[, "hop_no"]}
 *
 * so a 3-hop request to a service node carries 4 layers. The destination answers with the key of
 * its own layer (`responseKey`), which the client keeps to read the answer.
 *
 * Randomness, drawn from the injected `Rng` in this order (so a seeded Rng reproduces an onion
 * byte for byte): the destination layer's ephemeral secret (32) and IV/nonce, then for each hop
 * from the last to the first its ephemeral secret and IV/nonce.
 *
 * Upstream: session-foundation/libsession-util `src/onionreq/builder.cpp` (`Builder::build`,
 * `_generate_payload`); session-foundation/session-desktop `ts/session/apis/snode_api/onions.ts`
 * (`buildOnionCtxs`, `buildOnionGuardNodePayload`).
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { toHex } from '../encoding/hex.ts';
import { ed25519PublicKeyToX25519, x25519PublicKey } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import {
  clientLayerKey,
  DEFAULT_ONION_ENC_TYPE,
  sealOnionLayer,
  type OnionEncType,
  type OnionLayerKey,
} from './onion-cipher.ts';
import { encodeOnionEnvelope, MAX_ONION_HOPS } from './onion-envelope.ts';
import { encodeOnionFrame, type OnionJson } from './onion-frame.ts';
import { DEFAULT_ONION_RESPONSE_FORMAT, type OnionResponseFormat } from './onion-response.ts';

/** A relay node or a destination node: its Ed25519 identity and the X25519 key converted from it. */
export interface OnionHop {
  readonly ed25519: Uint8Array;
  readonly x25519: Uint8Array;
}

/** A service node as destination: the final layer is `{"headers": {}}` and an RPC body. */
export interface OnionNodeDestination extends OnionHop {
  readonly kind: 'node';
}

/** An HTTP server (file, community, push) as destination, reached by the last hop's proxy. */
export interface OnionServerDestination {
  readonly kind: 'server';
  readonly host: string;
  /** Default: 443 for https, 80 for http. */
  readonly port?: number;
  /** Default `https`. */
  readonly protocol?: 'http' | 'https';
  /** Default `/oxen/v4/lsrpc` (libsession: "all servers support V4 onion requests"). */
  readonly target?: string;
  /** Default `POST`. */
  readonly method?: string;
  /** The server's X25519 public key. */
  readonly x25519: Uint8Array;
}

export type OnionDestination = OnionNodeDestination | OnionServerDestination;

/** Inputs of `buildOnion`. */
export interface BuildOnionOptions {
  /** Relay nodes, entry first (1 to 15; Session uses 3). */
  readonly path: readonly OnionHop[];
  readonly destination: OnionDestination;
  /** For a node: the RPC body JSON bytes. For a server: the v4 request (`encodeOnionV4Request`). */
  readonly payload: Uint8Array;
  /** Default `aes-gcm` (the storage server's default and the desktop's choice). */
  readonly encType?: OnionEncType;
  /** The final node's `json`/`base64` flags (node destinations only). */
  readonly format?: OnionResponseFormat;
  /** A starting `hop_no` for the entry node (default 0: omitted). */
  readonly hopNo?: number;
  readonly rng: Rng;
}

/** A built onion: the entry node's request body and the key that opens the answer. */
export interface BuiltOnion {
  /** POST this to the entry node's `/onion_req/v2`. */
  readonly body: Uint8Array;
  /** The destination layer's key: `openOnionResponse(responseKey, …)` reads the answer. */
  readonly responseKey: OnionLayerKey;
}

/** A hop from its Ed25519 key, converting it to X25519 as libsession does (network.md §12.1). */
export function onionHop(ed25519: Uint8Array): OnionHop {
  assertBytes('node Ed25519 public key', ed25519, 32);
  const x25519 = ed25519PublicKeyToX25519(ed25519);
  if (x25519 === undefined) {
    throw new ProtocolError('invalid-key', 'node Ed25519 public key is not a valid point');
  }
  return { ed25519, x25519 };
}

interface Sealed {
  readonly ciphertext: Uint8Array;
  readonly ephemeralPublic: Uint8Array;
  readonly key: OnionLayerKey;
}

function sealTo(
  encType: OnionEncType,
  x25519: Uint8Array,
  plaintext: Uint8Array,
  rng: Rng,
): Sealed {
  assertBytes('onion hop X25519 public key', x25519, 32);
  const secret = rng.randomBytes(32);
  const ephemeralPublic = x25519PublicKey(secret);
  const key = clientLayerKey(encType, secret, ephemeralPublic, x25519);
  secret.fill(0);
  if (key === undefined) {
    throw new ProtocolError('invalid-key', 'onion hop X25519 key is of small order');
  }
  return { ciphertext: sealOnionLayer(key, plaintext, rng), ephemeralPublic, key };
}

/** The JSON the last hop reads to reach a server (§2.2, `host` form). */
function serverRoute(d: OnionServerDestination): Record<string, unknown> {
  const protocol = d.protocol ?? 'https';
  return {
    host: d.host,
    target: d.target ?? '/oxen/v4/lsrpc',
    method: d.method ?? 'POST',
    protocol,
    port: d.port ?? (protocol === 'https' ? 443 : 80),
  };
}

/** Builds an onion request. */
export function buildOnion(options: BuildOnionOptions): BuiltOnion {
  const { path, destination, payload, rng } = options;
  const encType = options.encType ?? DEFAULT_ONION_ENC_TYPE;
  if (path.length < 1 || path.length > MAX_ONION_HOPS) {
    throw new ProtocolError(
      'invalid-input',
      `onion path: expected 1 to ${MAX_ONION_HOPS} hops, got ${path.length}`,
    );
  }
  let inner: Sealed;
  let route: Record<string, unknown>;
  if (destination.kind === 'node') {
    const format = options.format ?? DEFAULT_ONION_RESPONSE_FORMAT;
    const control: Record<string, unknown> = { headers: {} };
    if (format.json) control['json'] = true;
    if (!format.base64) control['base64'] = false;
    inner = sealTo(encType, destination.x25519, encodeOnionFrame(payload, control), rng);
    route = { destination: toHex(destination.ed25519) };
  } else {
    inner = sealTo(encType, destination.x25519, payload, rng);
    route = serverRoute(destination);
  }
  const responseKey = inner.key;
  let layer = inner;
  for (let i = path.length - 1; i >= 0; i--) {
    const hop = path[i] as OnionHop;
    const json: OnionJson = {
      ...route,
      ephemeral_key: toHex(layer.ephemeralPublic),
      enc_type: encType,
    };
    layer = sealTo(encType, hop.x25519, encodeOnionFrame(layer.ciphertext, json), rng);
    route = { destination: toHex(hop.ed25519) };
  }
  const body = encodeOnionEnvelope({
    ciphertext: layer.ciphertext,
    ephemeralKey: layer.ephemeralPublic,
    encType,
    hopNo: options.hopNo ?? 0,
  });
  return { body, responseKey };
}
