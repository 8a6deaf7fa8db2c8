/**
 * The seed's settings: each a flag with an environment fallback (server-kit `readConfig`).
 * `main.ts` and `session-cli seed run` read them the same way.
 *
 * Swarm sizing defaults to oxen-core's (min 5, ideal/new 7, max 10, buffer 5; network.md §1.6);
 * a local network of a handful of nodes sets e.g. `--min-swarm-size 1 --ideal-swarm-size 3`.
 */
import { DEFAULT_SWARM_SIZING, checkSwarmSizing, isProtocolError } from '@session-ts/core';
import { readConfig, type ConfigSpec } from '@session-ts/server-kit';
import type { SeedDaemonConfig } from './daemon.ts';

/** The seed's settings. */
export const SEED_CONFIG = {
  data: {
    env: 'SESSION_SEED_DATA',
    kind: 'string',
    required: true,
    description: 'data directory (key_ed25519, seed.db)',
  },
  port: {
    env: 'SESSION_SEED_PORT',
    kind: 'integer',
    min: 0,
    max: 65535,
    default: 22027,
    description: 'TCP port (0 picks a free one)',
  },
  host: {
    env: 'SESSION_SEED_HOST',
    kind: 'string',
    default: '127.0.0.1',
    description: 'interface to bind',
  },
  'min-swarm-size': {
    env: 'SESSION_MIN_SWARM_SIZE',
    kind: 'integer',
    min: 1,
    default: DEFAULT_SWARM_SIZING.minSize,
    description: 'swarms below this are dissolved',
  },
  'ideal-swarm-size': {
    env: 'SESSION_IDEAL_SWARM_SIZE',
    kind: 'integer',
    min: 1,
    default: DEFAULT_SWARM_SIZING.idealSize,
    description: 'size swarms are filled towards (new swarms start at it)',
  },
  'max-swarm-size': {
    env: 'SESSION_MAX_SWARM_SIZE',
    kind: 'integer',
    min: 1,
    description: `a swarm above this is split once the excess allows (default ${DEFAULT_SWARM_SIZING.maxSize}, or the ideal size if larger)`,
  },
  'swarm-buffer': {
    env: 'SESSION_SWARM_BUFFER',
    kind: 'integer',
    min: 0,
    default: DEFAULT_SWARM_SIZING.buffer,
    description: 'extra nodes needed before an oversized swarm is split',
  },
  'refresh-ms': {
    env: 'SESSION_SEED_REFRESH_MS',
    kind: 'integer',
    min: 100,
    default: 10_000,
    description: 'how often nodes re-register',
  },
  'entry-ttl-ms': {
    env: 'SESSION_SEED_ENTRY_TTL_MS',
    kind: 'integer',
    min: 100,
    description: 'drop a node not refreshed for this long (default 6 refresh intervals)',
  },
} as const satisfies ConfigSpec;

/** The daemon settings from flags and environment, or why they are wrong. */
export function readSeedConfig(
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly ok: true; readonly config: Omit<SeedDaemonConfig, 'clock' | 'rng' | 'logger'> }
  | { readonly ok: false; readonly message: string } {
  const read = readConfig(SEED_CONFIG, flags, env);
  if (!read.ok) return read;
  const v = read.values;
  const ideal = v['ideal-swarm-size'] ?? DEFAULT_SWARM_SIZING.idealSize;
  const sizing = {
    minSize: v['min-swarm-size'] ?? DEFAULT_SWARM_SIZING.minSize,
    idealSize: ideal,
    newSwarmSize: ideal,
    maxSize: v['max-swarm-size'] ?? Math.max(DEFAULT_SWARM_SIZING.maxSize, ideal),
    buffer: v['swarm-buffer'] ?? DEFAULT_SWARM_SIZING.buffer,
  };
  try {
    checkSwarmSizing(sizing);
  } catch (error) {
    if (isProtocolError(error)) return { ok: false, message: error.message };
    throw error;
  }
  return {
    ok: true,
    config: {
      dataDir: v.data ?? '',
      host: v.host ?? '127.0.0.1',
      port: v.port ?? 22027,
      sizing,
      refreshIntervalMs: v['refresh-ms'] ?? 10_000,
      ...(v['entry-ttl-ms'] === undefined ? {} : { entryTtlMs: v['entry-ttl-ms'] }),
    },
  };
}
