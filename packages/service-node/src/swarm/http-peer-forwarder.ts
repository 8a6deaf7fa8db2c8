/**
 * Sending authenticated requests to swarm peers over HTTP: the `PeerForwarder` the RPC layer
 * uses for recursive writes (`sn.storage_cc` upstream, network.md §1.1, §1.7; 5 s timeout,
 * `distribute_command`), and the replication pushes (`sn.data` upstream). Each request is signed
 * with this node's key (`peer-auth.ts`) and sent to `http://<ip>:<port>` of the peer as listed
 * (plain HTTP on a local network, network.md §12.4).
 *
 * A peer that times out, refuses or answers non-2xx is a `PeerResult` with `ok: false` and what
 * went wrong (`timeout`, `code`, `reason`), which the RPC layer reports per node.
 */
import { utf8, type Clock, type Identity } from '@session-ts/core';
import type { NodeInfo, PeerForwarder, PeerResult } from '../swarm-port.ts';
import { signPeerRequest } from './peer-auth.ts';

/** Where peers serve forwarded writes and replication pushes. */
export const PEER_ROUTES = {
  storageCc: '/swarm/v1/storage_cc',
  push: '/swarm/v1/push',
} as const;

/** Upstream's swarm forward timeout (`distribute_command`, network.md §9). */
export const PEER_TIMEOUT_MS = 5000;

/** Options of the peer client. */
export interface PeerClientOptions {
  readonly identity: Identity;
  readonly clock: Clock;
  readonly timeoutMs?: number;
}

/** Signed HTTP calls to peers. */
export interface PeerClient extends PeerForwarder {
  /** POSTs `body` (JSON) to `route` on `peer`; the answer as a `PeerResult`. */
  call(peer: NodeInfo, route: string, body: unknown, timeoutMs?: number): Promise<PeerResult>;
}

/** Creates the peer client (and forwarder). */
export function createPeerClient(options: PeerClientOptions): PeerClient {
  const call = async (
    peer: NodeInfo,
    route: string,
    body: unknown,
    timeoutMs = options.timeoutMs ?? PEER_TIMEOUT_MS,
  ): Promise<PeerResult> => {
    const bytes = utf8(JSON.stringify(body));
    const headers = {
      'content-type': 'application/json',
      ...signPeerRequest(options.identity, route, options.clock.now(), bytes),
    };
    let res: Response;
    try {
      res = await fetch(`http://${peer.ip}:${peer.port}${route}`, {
        method: 'POST',
        headers,
        body: bytes,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, timeout: true };
      return {
        ok: false,
        reason: `peer unreachable: ${(error as Error).message ?? String(error)}`,
      };
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) return { ok: false, code: res.status, reason: text.slice(0, 200) };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, code: res.status, reason: 'peer answered with invalid JSON' };
    }
  };
  return {
    call,
    forward: (peer, method, params) => call(peer, PEER_ROUTES.storageCc, { method, params }),
  };
}
