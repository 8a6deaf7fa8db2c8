/**
 * The seed registry's node list as a client sees it (`get_n_service_nodes` over JSON-RPC, the
 * call upstream seeds answer; docs/service-node.md), and the wait until it has settled: a
 * network of fresh nodes is usable once the seed lists every node and its list has stopped
 * changing for long enough that every node has polled the final one and knows its swarm. The
 * devnet and the network-namespace scenario both start nodes and then wait here.
 */
import { DevnetError } from './devnet-error.ts';

/** One entry of the seed's list. */
export interface ListedNode {
  readonly pubkey_ed25519: string;
  /** Swarm ID, 16 hex characters. */
  readonly swarm: string;
}

/** How long a fresh network may take to settle before it counts as broken. */
const SETTLE_TIMEOUT_MS = 30_000;
/** How often the seed is asked while waiting. */
const ASK_EVERY_MS = 200;

/** The seed's current list and its height (which changes whenever the list does). */
export async function seedNodeList(
  seedUrl: string,
): Promise<{ height: number; nodes: ListedNode[] }> {
  const res = await fetch(`${seedUrl}/json_rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'get_n_service_nodes',
      params: { fields: { pubkey_ed25519: true, swarm: true } },
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    result?: { height?: number; service_node_states?: ListedNode[] };
  };
  return { height: body.result?.height ?? -1, nodes: body.result?.service_node_states ?? [] };
}

/**
 * Each node's swarm (by Ed25519 key, hex), once the seed lists all of `keys` and its list has
 * not changed for three of the nodes' poll intervals (`nodePollMs`), so every node has seen the
 * final list too. Throws `DevnetError` `start-failed` after 30 s.
 */
export async function settledSwarms(
  seedUrl: string,
  keys: readonly string[],
  nodePollMs: number,
): Promise<Map<string, string>> {
  const end = Date.now() + SETTLE_TIMEOUT_MS;
  let last: { height: number; since: number } | undefined;
  for (;;) {
    const list = await seedNodeList(seedUrl);
    const listed = new Map(list.nodes.map((n) => [n.pubkey_ed25519, n.swarm]));
    const now = Date.now();
    if (last?.height !== list.height) last = { height: list.height, since: now };
    if (keys.every((k) => listed.has(k)) && now - last.since >= 3 * nodePollMs) return listed;
    if (now > end) {
      throw new DevnetError(
        'start-failed',
        `the seed's node list did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`,
      );
    }
    await new Promise((r) => setTimeout(r, ASK_EVERY_MS));
  }
}
