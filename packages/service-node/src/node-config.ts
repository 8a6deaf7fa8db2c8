/**
 * The service node daemon's settings: each a flag with an environment fallback (server-kit
 * `readConfig`). `main.ts` and `session-cli node run` read them the same way.
 *
 * The node listens on `--host`:`--port` and tells the seed it is reachable at `--ip`:`--port`
 * (network.md §12.4: an address clients can reach, never 0.0.0.0). Upstream's HTTPS port is 22021
 * (§1.1); we serve plain HTTP there, as a local network may (§12.4).
 */
import { isAdvertisableIpv4, fromHexOfLength } from '@session-ts/core';
import { readConfig, type ConfigSpec } from '@session-ts/server-kit';

/** The node's settings. */
export const NODE_CONFIG = {
  data: {
    env: 'SESSION_NODE_DATA',
    kind: 'string',
    required: true,
    description: 'data directory (key_ed25519, storage.db)',
  },
  seed: {
    env: 'SESSION_NODE_SEED',
    kind: 'string',
    required: true,
    description: 'URL of the seed registry, e.g. http://127.0.0.1:22027',
  },
  'seed-pubkey': {
    env: 'SESSION_NODE_SEED_PUBKEY',
    kind: 'string',
    description: "the seed's Ed25519 key (hex) to pin; lists it did not sign are refused",
  },
  port: {
    env: 'SESSION_NODE_PORT',
    kind: 'integer',
    min: 0,
    max: 65535,
    default: 22021,
    description: 'TCP port of the storage RPC (0 picks a free one)',
  },
  host: {
    env: 'SESSION_NODE_HOST',
    kind: 'string',
    default: '127.0.0.1',
    description: 'interface to bind',
  },
  ip: {
    env: 'SESSION_NODE_IP',
    kind: 'string',
    description: 'IPv4 address to advertise (default: --host, or 127.0.0.1 when binding 0.0.0.0)',
  },
  'poll-ms': {
    env: 'SESSION_NODE_POLL_MS',
    kind: 'integer',
    min: 50,
    default: 5000,
    description: 'how often to poll the seed for a new node list',
  },
  'max-db-mb': {
    env: 'SESSION_NODE_MAX_DB_MB',
    kind: 'integer',
    min: 1,
    default: 3584,
    description: 'database size cap in MiB (upstream caps at 3.5 GiB)',
  },
} as const satisfies ConfigSpec;

/** The settings after checking. */
export interface NodeSettings {
  readonly dataDir: string;
  readonly seedUrl: string;
  readonly seedPubkey: Uint8Array | undefined;
  readonly host: string;
  readonly port: number;
  readonly ip: string;
  readonly pollMs: number;
  readonly maxDbBytes: number;
}

/** The node's settings from flags and environment, or why they are wrong. */
export function readNodeConfig(
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly ok: true; readonly settings: NodeSettings }
  | { readonly ok: false; readonly message: string } {
  const read = readConfig(NODE_CONFIG, flags, env);
  if (!read.ok) return read;
  const v = read.values;
  const host = v.host ?? '127.0.0.1';
  const ip: string = v.ip ?? (host === '0.0.0.0' ? '127.0.0.1' : host);
  if (!isAdvertisableIpv4(ip)) {
    const shown = v.ip ?? host;
    return {
      ok: false,
      message: `--ip: expected an IPv4 address other than 0.0.0.0, got "${shown}"`,
    };
  }
  const seedUrl = v.seed ?? '';
  try {
    const url = new URL(seedUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    return { ok: false, message: `--seed: expected an http(s) URL, got "${seedUrl.slice(0, 80)}"` };
  }
  let seedPubkey: Uint8Array | undefined;
  if (v['seed-pubkey'] !== undefined) {
    try {
      seedPubkey = fromHexOfLength(v['seed-pubkey'].toLowerCase(), 32, '--seed-pubkey');
    } catch {
      return { ok: false, message: '--seed-pubkey: expected 64 hex characters' };
    }
  }
  return {
    ok: true,
    settings: {
      dataDir: v.data ?? '',
      seedUrl,
      seedPubkey,
      host,
      port: v.port ?? 22021,
      ip,
      pollMs: v['poll-ms'] ?? 5000,
      maxDbBytes: (v['max-db-mb'] ?? 3584) * 1024 * 1024,
    },
  };
}
