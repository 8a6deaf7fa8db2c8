/**
 * Looking into a network's swarms from outside any client, for tests that must check what the
 * service nodes themselves hold — e.g. that an expired disappearing message is gone from every
 * node of its recipient's swarm, not only from the clients' stores (issue #7). It asks each
 * node directly over plain HTTP (`POST /storage_rpc/v1`, no onion), signing `retrieve` as the
 * account owner does (core's signed strings; docs/service-node.md), with the key derived from
 * the account's recovery password.
 */
import {
  identityFromSeed,
  NAMESPACES,
  retrieveToSign,
  seedFromRecoveryPassword,
  signDetached,
  swarmForAccount,
  swarmIdFromHex,
  swarmIdToHex,
  toBase64,
  toHex,
  type Identity,
  type Namespace,
} from '@session-ts/core';
import type { NetworkFile, NetworkNode } from './devnet-files.ts';

/** One message as a node stores it. */
export interface StoredAtNode {
  readonly hash: string;
  /** Unix ms after which the node no longer serves it. */
  readonly expiration: number;
}

/** The nodes of the swarm `sessionId` belongs to, as the network description lists them. */
export function swarmNodesOf(network: NetworkFile, sessionId: string): NetworkNode[] {
  const ids = [...new Set(network.nodes.map((n) => n.swarm))].map(swarmIdFromHex);
  const swarm = swarmForAccount(sessionId, ids);
  if (swarm === undefined) return [];
  const hex = swarmIdToHex(swarm);
  return network.nodes.filter((n) => n.swarm === hex);
}

/** The account's identity (Session ID and Ed25519 keys) from its recovery password. */
export function identityFromRecoveryPassword(words: string): Identity {
  return identityFromSeed(seedFromRecoveryPassword(words));
}

/**
 * Every message `node` serves for the account in `namespace` (default 0, the inbox), following
 * `more`. Throws if the node does not answer 200 (a node outside the account's swarm answers
 * 421), so a missing message can never be mistaken for a node that did not look.
 */
export async function messagesAtNode(
  nodeUrl: string,
  account: Identity,
  options: { readonly namespace?: Namespace; readonly timeoutMs?: number } = {},
): Promise<StoredAtNode[]> {
  const namespace = options.namespace ?? NAMESPACES.DEFAULT;
  const out: StoredAtNode[] = [];
  let lastHash: string | undefined;
  // A page holds at most a few hundred messages; 100 pages is far beyond any test's inbox.
  for (let page = 0; page < 100; page++) {
    const timestamp = Date.now();
    const params = {
      pubkey: account.sessionId,
      pubkey_ed25519: toHex(account.ed25519PublicKey),
      namespace,
      timestamp,
      signature: toBase64(
        signDetached(account.ed25519SecretKey, retrieveToSign({ namespace, timestamp })),
      ),
      ...(lastHash === undefined ? {} : { last_hash: lastHash }),
    };
    const res = await fetch(`${nodeUrl}/storage_rpc/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'retrieve', params }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`retrieve at ${nodeUrl}: status ${res.status} ${text.slice(0, 160)}`);
    }
    const body = JSON.parse(text) as { messages?: unknown; more?: unknown };
    const list = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
    for (const m of list) {
      const hash = m['hash'];
      if (typeof hash !== 'string') continue;
      const expiration = typeof m['expiration'] === 'number' ? m['expiration'] : 0;
      out.push({ hash, expiration });
      lastHash = hash;
    }
    if (body.more !== true || list.length === 0) break;
  }
  return out;
}
