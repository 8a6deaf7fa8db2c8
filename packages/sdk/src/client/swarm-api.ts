/**
 * The client's port to the swarms (CONVENTIONS.md habit 2): one storage-RPC call to an
 * account's swarm, and the network time requests are signed with. A `Network` from
 * `@session-ts/net` satisfies it through `swarmApiFromNetwork`; tests may back it directly with
 * service-node code.
 */
import type { Network } from '@session-ts/net';

/** One node's answer. */
export interface SwarmAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The answering node's Ed25519 key, hex; the per-node `last_hash` is kept under it. */
  readonly node?: string;
}

/** What the client needs from the network. */
export interface SwarmApi {
  /** Sends one storage-RPC request to a node of `account`'s swarm. */
  storageRpc(
    account: string,
    method: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<SwarmAnswer>;
  /** Network time, unix ms (what signatures and storage timestamps use). */
  now(): number;
}

/** Adapts a `Network` to the port. */
export function swarmApiFromNetwork(network: Network): SwarmApi {
  return {
    async storageRpc(account, method, params) {
      const answer = await network.storageRpc(account, method, params);
      return { status: answer.status, body: answer.body, node: answer.node.pubkeyEd25519 };
    },
    now: () => network.clock.now(),
  };
}
