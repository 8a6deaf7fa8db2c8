/**
 * Service nodes as the network advertises them, parsed once at the boundary (CONVENTIONS.md,
 * habit 7) from the two shapes upstream uses:
 *
 * - a `get_swarm` entry (network.md §1.3): `pubkey_ed25519`, `pubkey_x25519`, `ip`, `port_https`
 *   (or the deprecated string `port`);
 * - a `get_n_service_nodes` / `get_service_nodes` state (§3, §12.8): `pubkey_ed25519`,
 *   `pubkey_x25519`, `public_ip`, `storage_port`, and with our seeds `swarm` (16 hex, §12.3).
 *
 * Entries with an empty or `0.0.0.0` IP are dropped, as the desktop does since its hotfix (pull
 * 1430, network.md §10); so are entries with malformed keys or ports. The `NodeInfo` shape is the
 * one `@session-ts/service-node` uses, so either side can pass its nodes to the other.
 */
import { isAdvertisableIpv4, swarmIdFromHex } from '@session-ts/core';

/** A service node. */
export interface NodeInfo {
  /** 64 lowercase hex characters. */
  readonly pubkeyEd25519: string;
  /** 64 lowercase hex characters (the conversion of the Ed25519 key, network.md §12.1). */
  readonly pubkeyX25519: string;
  /** A reachable IPv4 address. */
  readonly ip: string;
  /** The port serving `/storage_rpc/v1` and `/onion_req/v2`. */
  readonly port: number;
  /** The node's swarm, when the list said. */
  readonly swarmId: bigint | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hex64(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return HEX64.test(lower) ? lower : undefined;
}

function port(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
}

function swarm(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return swarmIdFromHex(value);
  } catch {
    return undefined;
  }
}

function build(
  ed: unknown,
  x: unknown,
  ip: unknown,
  p: unknown,
  swarmHex: unknown,
): NodeInfo | undefined {
  const pubkeyEd25519 = hex64(ed);
  const pubkeyX25519 = hex64(x);
  const portNumber = port(p);
  if (pubkeyEd25519 === undefined || pubkeyX25519 === undefined || portNumber === undefined) {
    return undefined;
  }
  if (!isAdvertisableIpv4(ip)) return undefined;
  return { pubkeyEd25519, pubkeyX25519, ip, port: portNumber, swarmId: swarm(swarmHex) };
}

function entries(list: unknown): Record<string, unknown>[] {
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is Record<string, unknown> => e !== null && typeof e === 'object' && !Array.isArray(e),
  );
}

/** Nodes from a `get_swarm` result's `snodes` list (also the body of a 421). */
export function parseSwarmNodes(snodes: unknown, swarmHex?: unknown): NodeInfo[] {
  return dedupe(
    entries(snodes).map((e) =>
      build(
        e['pubkey_ed25519'],
        e['pubkey_x25519'],
        e['ip'],
        e['port_https'] ?? e['port'],
        swarmHex,
      ),
    ),
  );
}

/** Nodes from a `service_node_states` list (seed or `oxend_request` answer). */
export function parseServiceNodeStates(states: unknown): NodeInfo[] {
  return dedupe(
    entries(states).map((e) =>
      build(e['pubkey_ed25519'], e['pubkey_x25519'], e['public_ip'], e['storage_port'], e['swarm']),
    ),
  );
}

function dedupe(nodes: readonly (NodeInfo | undefined)[]): NodeInfo[] {
  const seen = new Set<string>();
  const out: NodeInfo[] = [];
  for (const n of nodes) {
    if (n === undefined || seen.has(n.pubkeyEd25519)) continue;
    seen.add(n.pubkeyEd25519);
    out.push(n);
  }
  return out;
}

/** A node as a `get_swarm` entry (what fake nodes and 421 bodies carry). */
export function swarmNodeJson(node: NodeInfo): Record<string, unknown> {
  return {
    pubkey_ed25519: node.pubkeyEd25519,
    pubkey_x25519: node.pubkeyX25519,
    ip: node.ip,
    port: String(node.port),
    port_https: node.port,
  };
}
