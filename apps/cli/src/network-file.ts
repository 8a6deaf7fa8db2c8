/**
 * The network a client command talks to: `--network FILE`, else `./.devnet/network.json` when a
 * local devnet wrote one (`session-cli devnet up`). The file is the shape `devnet status --json`
 * prints: `{"seeds": [{"url", "pubkey"}], "nodes": [...]}`; only the seeds are needed, the
 * client learns the nodes from them. A missing or malformed file is bad input (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHttpTransport, createNetwork, type Network, type SeedNode } from '@session-ts/net';
import type { Rng } from '@session-ts/core';
import { CliError } from './cli-error.ts';

/** Where a devnet started in the current directory writes its description. */
export const DEVNET_NETWORK_FILE = join('.devnet', 'network.json');

/** Finds the network file: the option, else the devnet's file in `cwd`. */
export function resolveNetworkFile(option: string | undefined, cwd: string): string {
  if (option !== undefined) {
    const file = resolve(cwd, option);
    if (!existsSync(file)) throw new CliError('bad-input', `--network: no file at ${file}`);
    return file;
  }
  const devnet = resolve(cwd, DEVNET_NETWORK_FILE);
  if (!existsSync(devnet)) {
    throw new CliError(
      'bad-input',
      `no network: pass --network FILE or start a local one with 'npm start' (looked for ${devnet})`,
    );
  }
  return devnet;
}

/** What the CLI needs from a network file. */
export interface NetworkDescription {
  readonly seeds: readonly SeedNode[];
  /** How many service nodes the file lists, when it lists them. */
  readonly nodeCount?: number;
}

/** Reads a network file, checking its shape. */
export function readNetworkFile(file: string): NetworkDescription {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CliError('bad-input', `${file}: not a JSON network description`, { cause });
  }
  const { seeds, nodes } = (parsed ?? {}) as { seeds?: unknown; nodes?: unknown };
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new CliError('bad-input', `${file}: expected {"seeds": [{"url", "pubkey"}, ...]}`);
  }
  const checked = seeds.map((s: unknown, i): SeedNode => {
    const { url, pubkey } = (s ?? {}) as { url?: unknown; pubkey?: unknown };
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new CliError('bad-input', `${file}: seeds[${i}].url: expected an http(s) URL`);
    }
    if (pubkey === undefined) return { url };
    if (typeof pubkey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(pubkey)) {
      throw new CliError('bad-input', `${file}: seeds[${i}].pubkey: expected 64 hex characters`);
    }
    return { url, pubkey: pubkey.toLowerCase() };
  });
  return Array.isArray(nodes) ? { seeds: checked, nodeCount: nodes.length } : { seeds: checked };
}

/**
 * A client network over HTTP, sized for small local networks: a devnet has a handful of nodes,
 * fewer than the desktop's pool minimum (12) and refresh agreement (24), so the pool takes what
 * the seed knows (`minSize` 1) and one path is enough. A path must avoid its destination, so on
 * a network of N ≤ 3 nodes paths have N − 1 hops (fewer hops: less unlinkability, acceptable
 * only because such a network is a test bed); 3 hops otherwise (network.md "Paths").
 */
export function openNetwork(description: NetworkDescription, rng: Rng): Network {
  const n = description.nodeCount;
  const hops = n === undefined ? 3 : Math.max(1, Math.min(3, n - 1));
  return createNetwork({
    transport: createHttpTransport(),
    seeds: description.seeds,
    clock: { now: () => Date.now() },
    rng,
    pool: { minSize: 1, refreshAgreement: 1 },
    paths: { hops, guardsWanted: 1, guardsNeeded: 1 },
    timeouts: { requestMs: 10_000 },
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
  });
}
