/**
 * Fetching the node list from a seed node (network.md §3, §12.8): `POST <seed>/json_rpc` with the
 * JSON-RPC 2.0 method `get_n_service_nodes`, `active_only: true` and the fields the desktop asks
 * for, 5 s timeout; the answer is `{"result": {"service_node_states": [...]}}`.
 *
 * The desktop pins the seeds' TLS certificates. Our seeds sign each answer instead
 * (`x-session-seed-signature`, core's `SEED_SIGNATURE_HEADER`): when a seed is configured with
 * its Ed25519 `pubkey`, an answer whose signature does not verify is refused.
 *
 * Upstream: session-foundation/session-desktop `ts/session/apis/seed_node_api/SeedNodeAPI.ts`.
 */
import {
  SEED_SIGNATURE_HEADER,
  fromBase64,
  fromHexOfLength,
  verifyDetached,
} from '@session-ts/core';
import { NetworkError } from './network-error.ts';
import { parseServiceNodeStates, type NodeInfo } from './node-info.ts';
import { responseJson, type Transport } from './transport.ts';

/** A seed node: its URL and, to pin it, its Ed25519 public key (hex). */
export interface SeedNode {
  readonly url: string;
  readonly pubkey?: string;
}

/** The seed request timeout (SeedNodeAPI.ts). */
export const SEED_TIMEOUT_MS = 5_000;

/** The fields asked of the seed: the desktop's, plus our seeds' `swarm` (§12.3). */
const FIELDS = [
  'public_ip',
  'storage_port',
  'pubkey_x25519',
  'pubkey_ed25519',
  'requested_unlock_height',
  'height',
  'swarm',
];

/** Asks one seed for the node list. Rejects with a `NetworkError` when it gives none. */
export async function fetchNodesFromSeed(
  transport: Transport,
  seed: SeedNode,
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<NodeInfo[]> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'get_n_service_nodes',
    params: { active_only: true, fields: Object.fromEntries(FIELDS.map((f) => [f, true])) },
  });
  const res = await transport.request({ url: seed.url }, body, {
    path: '/json_rpc',
    headers: { 'content-type': 'application/json' },
    timeoutMs: options.timeoutMs ?? SEED_TIMEOUT_MS,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (res.status !== 200) {
    throw new NetworkError('seed-failed', `seed ${seed.url} answered ${res.status}`);
  }
  if (seed.pubkey !== undefined && !signedBy(seed.pubkey, res.headers, res.body)) {
    throw new NetworkError('seed-failed', `seed ${seed.url}: the list is not signed by its key`);
  }
  const json = responseJson(res) as { result?: { service_node_states?: unknown } } | undefined;
  const states = json?.result?.service_node_states;
  if (!Array.isArray(states)) {
    throw new NetworkError('seed-failed', `seed ${seed.url}: no service_node_states in the answer`);
  }
  return parseServiceNodeStates(states);
}

function signedBy(pubkeyHex: string, headers: Headers, body: Uint8Array): boolean {
  const sig = headers.get(SEED_SIGNATURE_HEADER);
  if (sig === null) return false;
  try {
    return verifyDetached(fromBase64(sig), body, fromHexOfLength(pubkeyHex, 32, 'seed pubkey'));
  } catch {
    return false;
  }
}
