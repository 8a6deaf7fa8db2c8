/**
 * The service node's side of the seed registry: registering (and re-registering) itself with a
 * signed entry, and polling the node list the way upstream nodes poll oxend — sending the last
 * `block_hash` as `poll_block_hash` so an unchanged list costs one short reply (network.md §1.7;
 * session-foundation/session-storage-server `oxenss/snode/service_node.cpp`,
 * `parse_swarm_update`). When the seed key is pinned, a list whose signature does not verify is
 * refused.
 *
 * Network weather (a seed that is down, slow or answers nonsense) is an outcome, not an
 * exception: the caller logs it and tries again on the next tick.
 */
import {
  SEED_SIGNATURE_HEADER,
  fromBase64,
  nodeRegistrationToSign,
  signDetached,
  swarmIdFromHex,
  toBase64,
  toHex,
  verifyDetached,
  type Clock,
  type Identity,
} from '@session-ts/core';
import type { NodeInfo } from '../swarm-port.ts';

/** The node list at one version. */
export interface NodeList {
  readonly version: number;
  readonly blockHash: string;
  readonly nodes: readonly NodeInfo[];
}

/** The outcome of a poll. */
export type ListPoll =
  | { readonly ok: true; readonly unchanged: true; readonly version: number }
  | { readonly ok: true; readonly unchanged: false; readonly list: NodeList }
  | { readonly ok: false; readonly reason: string };

/** The outcome of a registration. */
export type RegisterResult =
  | {
      readonly ok: true;
      readonly swarm: bigint;
      readonly version: number;
      readonly refreshMs: number;
    }
  | { readonly ok: false; readonly status?: number; readonly reason: string };

/** Where this node is reachable, as it registers itself. */
export interface SelfAddress {
  readonly ip: string;
  readonly port: number;
  readonly version: readonly [number, number, number];
}

/** Options of `createSeedClient`. */
export interface SeedClientOptions {
  /** The seed's base URL, e.g. `http://127.0.0.1:22027`. */
  readonly url: string;
  /** The seed's Ed25519 key, when pinned: unsigned or wrongly signed lists are refused. */
  readonly pinnedKey?: Uint8Array;
  readonly clock: Clock;
  /** Per-request timeout (default 5 s, the desktop's seed timeout, network.md §3). */
  readonly timeoutMs?: number;
}

/** Talks to one seed. */
export interface SeedClient {
  register(identity: Identity, self: SelfAddress): Promise<RegisterResult>;
  /** The list, or `unchanged` when its hash is still `lastHash`. */
  poll(lastHash?: string): Promise<ListPoll>;
}

const LIST_FIELDS = ['pubkey_ed25519', 'pubkey_x25519', 'public_ip', 'storage_port', 'swarm'];

/** A client for the seed at `options.url`. */
export function createSeedClient(options: SeedClientOptions): SeedClient {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const post = async (path: string, body: unknown): Promise<Response | string> => {
    try {
      return await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return `seed unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  return {
    async register(identity, self) {
      const fields = {
        ed25519: toHex(identity.ed25519PublicKey),
        ip: self.ip,
        port: self.port,
        version: self.version,
        timestamp: options.clock.now(),
      };
      const signature = signDetached(identity.ed25519SecretKey, nodeRegistrationToSign(fields));
      const res = await post('/seed/v1/register', {
        pubkey_ed25519: fields.ed25519,
        public_ip: fields.ip,
        storage_port: fields.port,
        storage_server_version: fields.version,
        timestamp: fields.timestamp,
        signature: toBase64(signature),
      });
      if (typeof res === 'string') return { ok: false, reason: res };
      const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!res.ok || body === undefined) {
        const reason = typeof body?.['message'] === 'string' ? body['message'] : res.statusText;
        return { ok: false, status: res.status, reason: `registration refused: ${reason}` };
      }
      try {
        return {
          ok: true,
          swarm: swarmIdFromHex(String(body['swarm'])),
          version: Number(body['version']),
          refreshMs: Number(body['refresh_ms']),
        };
      } catch {
        return { ok: false, reason: 'registration reply is malformed' };
      }
    },

    async poll(lastHash) {
      const res = await post('/json_rpc', {
        jsonrpc: '2.0',
        id: 0,
        method: 'get_n_service_nodes',
        params: {
          active_only: true,
          fields: LIST_FIELDS,
          ...(lastHash === undefined ? {} : { poll_block_hash: lastHash }),
        },
      });
      if (typeof res === 'string') return { ok: false, reason: res };
      if (res.status !== 200) return { ok: false, reason: `seed answered ${res.status}` };
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch {
        return { ok: false, reason: 'seed connection broke while reading the list' };
      }
      if (options.pinnedKey !== undefined) {
        let signature: Uint8Array;
        try {
          signature = fromBase64(res.headers.get(SEED_SIGNATURE_HEADER) ?? '');
        } catch {
          return { ok: false, reason: 'seed list is not signed' };
        }
        if (!verifyDetached(signature, bytes, options.pinnedKey)) {
          return { ok: false, reason: 'seed list signature does not match the pinned seed key' };
        }
      }
      return parseList(bytes);
    },
  };
}

/** Parses a `get_n_service_nodes` reply (only the fields we asked for are read). */
export function parseList(bytes: Uint8Array): ListPoll {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, reason: 'seed list is not JSON' };
  }
  const result = (json as { result?: unknown } | null)?.result as
    Record<string, unknown> | undefined;
  if (result === undefined || result === null || typeof result !== 'object') {
    return { ok: false, reason: 'seed list has no result' };
  }
  const version = Number(result['height']);
  const blockHash = typeof result['block_hash'] === 'string' ? result['block_hash'] : '';
  if (!Number.isSafeInteger(version)) return { ok: false, reason: 'seed list has no height' };
  if (result['unchanged'] === true) return { ok: true, unchanged: true, version };
  const states = result['service_node_states'];
  if (!Array.isArray(states)) return { ok: false, reason: 'seed list has no service_node_states' };
  const nodes: NodeInfo[] = [];
  for (const s of states as Record<string, unknown>[]) {
    const ed = s['pubkey_ed25519'];
    const x = s['pubkey_x25519'];
    const ip = s['public_ip'];
    const port = s['storage_port'];
    const swarm = s['swarm'];
    if (
      typeof ed !== 'string' ||
      !/^[0-9a-f]{64}$/.test(ed) ||
      typeof x !== 'string' ||
      !/^[0-9a-f]{64}$/.test(x) ||
      typeof ip !== 'string' ||
      ip === '' ||
      ip === '0.0.0.0' ||
      !Number.isInteger(port) ||
      typeof swarm !== 'string' ||
      !/^[0-9a-f]{1,16}$/.test(swarm)
    ) {
      continue; // upstream skips nodes whose contact details are missing
    }
    nodes.push({
      pubkeyEd25519: ed,
      pubkeyX25519: x,
      ip,
      port: port as number,
      swarmId: swarmIdFromHex(swarm),
    });
  }
  return { ok: true, unchanged: false, list: { version, blockHash, nodes } };
}
