/**
 * Node-to-node authentication: every request one service node sends another (a forwarded write,
 * a replication push) carries the sender's Ed25519 key, a timestamp and the sender's signature
 * over the route, the timestamp and the exact body bytes:
 *
 *     signed = utf8(route + "|" + timestamp_ms + "|") ‖ body
 *     headers: x-session-node = ed25519 hex, x-session-timestamp = ms,
 *              x-session-signature = base64(signature)
 *
 * Upstream authenticates peers by their OxenMQ CurveZMQ connection key instead (`sn.storage_cc`
 * and `sn.data` accept only registered nodes, session-foundation/session-storage-server
 * `oxenss/server/omq.cpp`); over plain HTTP the signature does that job. The receiver accepts
 * a signature within `SIGNATURE_TOLERANCE_FORWARDED_MS` (±70 s, network.md §1.2) of its clock and
 * only once (`createReplayGuard`), and decides separately whether the key may call the route.
 */
import {
  SIGNATURE_TOLERANCE_FORWARDED_MS,
  concatBytes,
  fromBase64,
  fromHexOfLength,
  signDetached,
  toBase64,
  toHex,
  utf8,
  verifyDetached,
  type Identity,
} from '@session-ts/core';

/** The headers of an authenticated node-to-node request. */
export const PEER_HEADERS = {
  node: 'x-session-node',
  timestamp: 'x-session-timestamp',
  signature: 'x-session-signature',
} as const;

function signedBytes(route: string, timestamp: number, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${route}|${timestamp}|`), body);
}

/** The headers that authenticate `body` sent to `route` by `identity` at `timestamp`. */
export function signPeerRequest(
  identity: Identity,
  route: string,
  timestamp: number,
  body: Uint8Array,
): Record<string, string> {
  const signature = signDetached(identity.ed25519SecretKey, signedBytes(route, timestamp, body));
  return {
    [PEER_HEADERS.node]: toHex(identity.ed25519PublicKey),
    [PEER_HEADERS.timestamp]: String(timestamp),
    [PEER_HEADERS.signature]: toBase64(signature),
  };
}

/** The outcome of checking a peer request. */
export type PeerCheck =
  | { readonly ok: true; readonly node: string }
  | { readonly ok: false; readonly status: 401 | 406; readonly reason: string };

/** Remembers signatures seen within the window, so none is accepted twice. */
export interface ReplayGuard {
  /** True the first time a signature is seen (within its lifetime). */
  firstSeen(signature: string, now: number): boolean;
}

/** A replay guard that forgets a signature once its timestamp has left the window. */
export function createReplayGuard(windowMs = SIGNATURE_TOLERANCE_FORWARDED_MS): ReplayGuard {
  const seen = new Map<string, number>();
  let nextPrune = 0;
  return {
    firstSeen(signature, now) {
      if (now >= nextPrune) {
        for (const [sig, expires] of seen) if (expires < now) seen.delete(sig);
        nextPrune = now + windowMs;
      }
      if (seen.has(signature)) return false;
      seen.set(signature, now + 2 * windowMs);
      return true;
    },
  };
}

/** Checks the signature headers of a request to `route` with `body`. */
export function checkPeerRequest(
  headers: Headers,
  route: string,
  body: Uint8Array,
  now: number,
  guard: ReplayGuard,
): PeerCheck {
  const node = headers.get(PEER_HEADERS.node) ?? '';
  const timestampText = headers.get(PEER_HEADERS.timestamp) ?? '';
  const signatureText = headers.get(PEER_HEADERS.signature) ?? '';
  let key: Uint8Array;
  let signature: Uint8Array;
  try {
    key = fromHexOfLength(node.toLowerCase(), 32, PEER_HEADERS.node);
    signature = fromBase64(signatureText, PEER_HEADERS.signature);
  } catch {
    return { ok: false, status: 401, reason: 'missing or malformed node authentication headers' };
  }
  const timestamp = /^\d{1,16}$/.test(timestampText) ? Number(timestampText) : NaN;
  if (!Number.isSafeInteger(timestamp)) {
    return { ok: false, status: 401, reason: `${PEER_HEADERS.timestamp}: expected milliseconds` };
  }
  if (!verifyDetached(signature, signedBytes(route, timestamp, body), key)) {
    return { ok: false, status: 401, reason: 'node signature does not verify' };
  }
  if (Math.abs(timestamp - now) > SIGNATURE_TOLERANCE_FORWARDED_MS) {
    return { ok: false, status: 406, reason: 'node request timestamp out of range; check clocks' };
  }
  if (!guard.firstSeen(signatureText, now)) {
    return { ok: false, status: 401, reason: 'node request replayed' };
  }
  return { ok: true, node: node.toLowerCase() };
}
