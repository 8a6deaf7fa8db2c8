/**
 * `get_n_service_nodes` (alias `get_service_nodes`): the node list in oxend's JSON-RPC shape, as
 * upstream seeds answer it (network.md §3, §12.8; session-foundation/session-desktop
 * `ts/session/apis/seed_node_api/SeedNodeAPI.ts`; the storage server's `parse_swarm_update` in
 * `oxenss/snode/service_node.cpp` reads the same reply from oxend).
 *
 * Params: `active_only` (every listed node is active), `fields` (`{name: true}` or a list of
 * names; absent means all), `limit` (a random sample of that many), `service_node_pubkeys`
 * (only those), `poll_block_hash` (answer `{unchanged: true}` when the list has not changed).
 *
 * The result's `height` is the registry's list version and `block_hash` its 64-hex form: our
 * stand-in for the block a node polls. `swarm_id` is written as a bare 64-bit JSON integer, as
 * oxend writes it (JavaScript's `JSON.parse` cannot hold it exactly, so each entry also has
 * `swarm`, the 16-hex form of §12.3, which our nodes read).
 */
import { swarmIdToHex, type Rng } from '@session-ts/core';
import type { RegistryEntry, RegistrySnapshot } from './registry-store.ts';

/** The hard fork our nodes report (`hf` [19, 4]: `MULTI_EXPIRY_HARDFORK`, network.md §1.3). */
export const SEED_HARDFORK = 19;
export const SEED_SNODE_REVISION = 4;

/** Parsed params of `get_n_service_nodes`. */
export interface ServiceNodeListQuery {
  /** Field names to include; undefined means all. */
  readonly fields: ReadonlySet<string> | undefined;
  readonly limit: number | undefined;
  readonly pubkeys: ReadonlySet<string> | undefined;
  readonly pollBlockHash: string | undefined;
}

/** Parsed params, or why they were refused (JSON-RPC "invalid params"). */
export type ServiceNodeListParse =
  | { readonly ok: true; readonly query: ServiceNodeListQuery }
  | { readonly ok: false; readonly message: string };

/** Parses JSON-RPC params (an object or absent). */
export function parseServiceNodeListQuery(params: unknown): ServiceNodeListParse {
  if (params === undefined || params === null) {
    const query = {
      fields: undefined,
      limit: undefined,
      pubkeys: undefined,
      pollBlockHash: undefined,
    };
    return { ok: true, query };
  }
  if (typeof params !== 'object' || Array.isArray(params)) {
    return { ok: false, message: 'params: expected an object' };
  }
  const p = params as Record<string, unknown>;
  let fields: Set<string> | undefined;
  const f = p['fields'];
  if (Array.isArray(f)) {
    fields = new Set(f.filter((x): x is string => typeof x === 'string'));
  } else if (f !== undefined && f !== null) {
    if (typeof f !== 'object')
      return { ok: false, message: 'fields: expected an object or a list' };
    fields = new Set(
      Object.entries(f as Record<string, unknown>)
        .filter(([, on]) => on === true)
        .map(([k]) => k),
    );
  }
  const limit = p['limit'];
  if (limit !== undefined && (!Number.isSafeInteger(limit) || (limit as number) < 0)) {
    return { ok: false, message: 'limit: expected a non-negative integer' };
  }
  const keys = p['service_node_pubkeys'];
  if (keys !== undefined && (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string'))) {
    return { ok: false, message: 'service_node_pubkeys: expected a list of hex strings' };
  }
  const poll = p['poll_block_hash'];
  if (poll !== undefined && poll !== null && typeof poll !== 'string') {
    return { ok: false, message: 'poll_block_hash: expected a hex string' };
  }
  const query: ServiceNodeListQuery = {
    fields,
    limit: typeof limit === 'number' && limit > 0 ? limit : undefined,
    pubkeys: Array.isArray(keys) ? new Set(keys.map((k) => String(k).toLowerCase())) : undefined,
    pollBlockHash: typeof poll === 'string' ? poll.toLowerCase() : undefined,
  };
  return { ok: true, query };
}

/** The `block_hash` standing for a list version: the version as 64 hex digits. */
export function listHash(version: number): string {
  return version.toString(16).padStart(64, '0');
}

/** One node as oxend lists it (every field; `select` picks the requested ones). */
function nodeState(e: RegistryEntry): Record<string, unknown> {
  return {
    service_node_pubkey: e.ed25519,
    pubkey_ed25519: e.ed25519,
    pubkey_x25519: e.x25519,
    public_ip: e.ip,
    storage_port: e.port,
    // We serve no OxenMQ/QUIC port (docs/service-node.md); 0 says so, as oxend does for nodes
    // without a proof.
    storage_lmq_port: 0,
    storage_server_version: [...e.version],
    swarm_id: e.swarmId,
    swarm: swarmIdToHex(e.swarmId),
    active: true,
    funded: true,
    requested_unlock_height: 0,
    last_uptime_proof: Math.floor(e.lastSeen / 1000),
  };
}

/** Builds the JSON-RPC `result` for a query (swarm ids stay bigints; see `stringifyJsonRpc`). */
export function serviceNodeListResult(
  snapshot: RegistrySnapshot,
  query: ServiceNodeListQuery,
  rng: Rng,
): Record<string, unknown> {
  const hash = listHash(snapshot.version);
  const head = {
    height: snapshot.version,
    block_hash: hash,
    hardfork: SEED_HARDFORK,
    snode_revision: SEED_SNODE_REVISION,
    status: 'OK',
  };
  if (query.pollBlockHash === hash) return { ...head, unchanged: true };
  let entries = [...snapshot.entries].sort((a, b) => (a.ed25519 < b.ed25519 ? -1 : 1));
  if (query.pubkeys !== undefined) {
    const wanted = query.pubkeys;
    entries = entries.filter((e) => wanted.has(e.ed25519));
  }
  if (query.limit !== undefined && query.limit < entries.length) {
    entries = sample(entries, query.limit, rng);
  }
  const states = entries.map((e) => {
    const all = nodeState(e);
    if (query.fields === undefined) return all;
    return Object.fromEntries(Object.entries(all).filter(([k]) => query.fields?.has(k)));
  });
  return { ...head, service_node_states: states };
}

/** A uniform random sample of `n` entries (partial Fisher–Yates). */
function sample<T>(items: readonly T[], n: number, rng: Rng): T[] {
  const out = [...items];
  for (let i = 0; i < n; i++) {
    const bytes = rng.randomBytes(4);
    const r = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const j = i + (r % (out.length - i));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.slice(0, n);
}

const U64_MARK = '\u0000u64:';

/**
 * JSON with bigints written as bare integers (oxend's u64s). Only bigints become numbers; the
 * marker cannot occur in our other strings, which are hex, IPs and fixed words.
 */
export function stringifyJsonRpc(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${U64_MARK}${v.toString()}` : v,
  );
  return text.replace(/"\\u0000u64:(\d+)"/g, '$1');
}
