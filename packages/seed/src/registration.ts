/**
 * A node's signed registration as it arrives at `POST /seed/v1/register`: parsed once at the
 * boundary (CONVENTIONS.md, habit 7) and checked against the node's own key and the seed's
 * clock. The signed string is core's `nodeRegistrationToSign` (shared with the nodes).
 *
 * Wire form (JSON):
 *
 *     {"pubkey_ed25519": hex, "public_ip": "a.b.c.d", "storage_port": n,
 *      "storage_server_version": [maj, min, patch], "timestamp": ms, "signature": base64}
 *
 * Field names follow oxend's `get_service_nodes` entries, so a registration reads like the
 * entry it becomes.
 */
import {
  checkNodeRegistration,
  fromBase64,
  fromHexOfLength,
  isProtocolError,
  nodeRegistrationToSign,
  sessionIdFromEd25519,
  verifyDetached,
  type NodeRegistrationFields,
} from '@session-ts/core';
import { HttpError } from '@session-ts/server-kit';

/** A registration whose shape has been checked (not yet its signature). */
export interface NodeRegistration extends NodeRegistrationFields {
  /** The 64-byte Ed25519 signature. */
  readonly signature: Uint8Array;
}

/** Why a well-formed registration was refused. */
export type RegistrationRefusal =
  | { readonly reason: 'bad-signature'; readonly message: string }
  | { readonly reason: 'clock'; readonly message: string }
  | { readonly reason: 'replay'; readonly message: string };

/** Parses the JSON body of a registration, or throws a 400 `HttpError` naming the field. */
export function parseRegistration(body: unknown): NodeRegistration {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-registration', 'registration: expected a JSON object');
  }
  const b = body as Record<string, unknown>;
  const version = b['storage_server_version'];
  const fields = {
    ed25519: b['pubkey_ed25519'],
    ip: b['public_ip'],
    port: b['storage_port'],
    version: Array.isArray(version) ? [version[0], version[1], version[2]] : version,
    timestamp: b['timestamp'],
  } as NodeRegistrationFields;
  if (Array.isArray(version) && version.length !== 3) {
    throw new HttpError(
      400,
      'invalid-registration',
      'registration storage_server_version: expected [major, minor, patch]',
    );
  }
  try {
    checkNodeRegistration(fields);
  } catch (cause) {
    if (!isProtocolError(cause)) throw cause;
    throw new HttpError(400, 'invalid-registration', cause.message, { cause });
  }
  const signatureText = b['signature'];
  let signature: Uint8Array;
  try {
    if (typeof signatureText !== 'string') throw new TypeError('not a string');
    signature = fromBase64(signatureText, 'registration signature');
  } catch (cause) {
    throw new HttpError(
      400,
      'invalid-registration',
      'registration signature: expected 64 bytes in base64',
      { cause },
    );
  }
  if (signature.length !== 64) {
    throw new HttpError(
      400,
      'invalid-registration',
      `registration signature: expected 64 bytes, got ${signature.length}`,
    );
  }
  return { ...fields, signature };
}

/**
 * Checks a registration: the signature must be the node's own, the timestamp within
 * `windowMs` of `now`, and newer than `lastTimestamp` (the last one accepted from this node).
 * Returns the refusal, or `undefined` when it is acceptable.
 */
export function checkRegistration(
  registration: NodeRegistration,
  now: number,
  windowMs: number,
  lastTimestamp: number | undefined,
): RegistrationRefusal | undefined {
  const key = fromHexOfLength(registration.ed25519, 32, 'pubkey_ed25519');
  if (!verifyDetached(registration.signature, nodeRegistrationToSign(registration), key)) {
    return {
      reason: 'bad-signature',
      message: 'registration signature does not verify with pubkey_ed25519',
    };
  }
  if (Math.abs(registration.timestamp - now) > windowMs) {
    return {
      reason: 'clock',
      message: `registration timestamp is more than ${windowMs / 1000} s from the seed's time (${now}); check your clock`,
    };
  }
  if (lastTimestamp !== undefined && registration.timestamp <= lastTimestamp) {
    return {
      reason: 'replay',
      message: 'registration timestamp is not newer than the last one accepted from this node',
    };
  }
  return undefined;
}

/** The node's X25519 key (hex), converted from its Ed25519 key (network.md §12.1). */
export function x25519Of(ed25519: string): string {
  return sessionIdFromEd25519(fromHexOfLength(ed25519, 32, 'pubkey_ed25519')).slice(2);
}
