/**
 * The seam between a service node's RPC layer and its swarm layer. The RPC methods
 * (`rpc/`) ask the swarm layer which accounts this node serves (to answer 421 with the right
 * swarm, network.md §1.1) and hand it write requests to forward to every swarm peer
 * (network.md §1.7). The swarm layer (`swarm/`) fills this from the seed registry; a
 * single-node view serves tests and a one-node network.
 */

/** A service node as the network advertises it (the `get_swarm` / `get_n_service_nodes` shape). */
export interface NodeInfo {
  /** 64 hex characters. */
  readonly pubkeyEd25519: string;
  /** 64 hex characters (always the conversion of the Ed25519 key, network.md §12.1). */
  readonly pubkeyX25519: string;
  /** A reachable IP address, never 0.0.0.0 (network.md §12.4). */
  readonly ip: string;
  /** The port serving `/storage_rpc/v1` and `/onion_req/v2` (plain HTTP on a local network). */
  readonly port: number;
  /** The swarm this node belongs to, or undefined when it is not in one yet. */
  readonly swarmId: bigint | undefined;
}

/** A swarm: its id and members. */
export interface SwarmInfo {
  readonly id: bigint;
  readonly nodes: readonly NodeInfo[];
}

/** What the RPC layer needs to know about swarms. */
export interface SwarmView {
  /** This node's swarm id; undefined while the node has no swarm (it then answers 503). */
  mySwarmId(): bigint | undefined;
  /** The swarm responsible for a 33-byte account key; undefined when no swarms are known. */
  swarmFor(account: Uint8Array): SwarmInfo | undefined;
  /** The other members of this node's swarm (write requests are forwarded to them). */
  peers(): readonly NodeInfo[];
  /**
   * Every node known (for `oxend_request` `get_service_nodes`); when absent the RPC lists the
   * peers only.
   */
  nodes?(): readonly NodeInfo[];
}

/** One peer's answer to a forwarded write. */
export type PeerResult =
  | { readonly ok: true; readonly body: unknown }
  | {
      readonly ok: false;
      readonly timeout?: boolean;
      readonly code?: number;
      readonly reason?: string;
    };

/** Sends a write request to a swarm peer, authenticated with this node's key. */
export interface PeerForwarder {
  forward(
    peer: NodeInfo,
    method: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<PeerResult>;
}

/** A view in which this node is alone in swarm 0 and serves every account. */
export function createSingleNodeSwarmView(self: NodeInfo): SwarmView {
  const me: NodeInfo = { ...self, swarmId: 0n };
  return {
    mySwarmId: () => 0n,
    swarmFor: () => ({ id: 0n, nodes: [me] }),
    peers: () => [],
    nodes: () => [me],
  };
}

/** A forwarder for a node with no peers (never called). */
export const NO_PEERS: PeerForwarder = {
  forward: () => Promise.resolve({ ok: false, reason: 'no peers' }),
};
