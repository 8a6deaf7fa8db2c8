/**
 * The devnet's directory: what lives where, and the small JSON files that let a second process
 * (or a restart) find a devnet.
 *
 * ```
 * <dir>/devnet.json     the layout: sizes and fixed ports, written on first start, reused after
 * <dir>/network.json    {"seeds": [{url, pubkey}], "nodes": [{url, ed25519, x25519, swarm}]}
 * <dir>/devnet.pid      the supervising process (`session-cli devnet up`)
 * <dir>/seed/           the seed's data directory (key_ed25519, seed.db), daemon.pid, daemon.log
 * <dir>/node-1/ …       each service node's data directory (key_ed25519, storage.db), same files
 * ```
 *
 * `network.json` is what clients read to find the network; its shape is fixed (issue #7).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevnetError } from './devnet-error.ts';

/** The persisted layout of a devnet: sizes and the port of every process. */
export interface DevnetLayout {
  readonly version: 1;
  readonly swarmSize: number;
  readonly seed: { readonly port: number };
  /** Node `i` (0-based) is named `node-${i + 1}`. */
  readonly nodes: readonly { readonly port: number }[];
}

/** A seed as clients see it. */
export interface NetworkSeed {
  readonly url: string;
  readonly pubkey: string;
}

/** A service node as clients see it. */
export interface NetworkNode {
  readonly url: string;
  readonly ed25519: string;
  readonly x25519: string;
  /** Swarm id, 16 hex digits. */
  readonly swarm: string;
}

/** The contents of `network.json`. */
export interface NetworkFile {
  readonly seeds: readonly NetworkSeed[];
  readonly nodes: readonly NetworkNode[];
}

/** Paths inside a devnet directory. */
export const devnetPaths = {
  layout: (dir: string): string => join(dir, 'devnet.json'),
  network: (dir: string): string => join(dir, 'network.json'),
  supervisorPid: (dir: string): string => join(dir, 'devnet.pid'),
  seedDir: (dir: string): string => join(dir, 'seed'),
  nodeDir: (dir: string, index: number): string => join(dir, nodeName(index)),
  pidFile: (dataDir: string): string => join(dataDir, 'daemon.pid'),
  logFile: (dataDir: string): string => join(dataDir, 'daemon.log'),
};

/** The name of node `index` (0-based): `node-1`, `node-2`, … */
export function nodeName(index: number): string {
  return `node-${index + 1}`;
}

/** Writes a file atomically (write, then rename), so a reader never sees half of it. */
export function writeJsonFile(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, path);
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (cause) {
    throw new DevnetError('corrupt', `${path}: not readable JSON`, { cause });
  }
}

const isPort = (p: unknown): p is number => Number.isInteger(p) && (p as number) > 0;

/** The persisted layout, or undefined on a first start. */
export function readLayout(dir: string): DevnetLayout | undefined {
  const path = devnetPaths.layout(dir);
  if (!existsSync(path)) return undefined;
  const v = readJsonFile(path) as Partial<DevnetLayout> | null;
  const nodes = v?.nodes;
  if (
    v?.version !== 1 ||
    !Number.isInteger(v.swarmSize) ||
    !isPort(v.seed?.port) ||
    !Array.isArray(nodes) ||
    !nodes.every((n: { port?: unknown } | null) => isPort(n?.port))
  ) {
    throw new DevnetError('corrupt', `${path}: expected {version: 1, swarmSize, seed, nodes}`);
  }
  return v as DevnetLayout;
}

/** Saves the layout. */
export function writeLayout(dir: string, layout: DevnetLayout): void {
  mkdirSync(dir, { recursive: true });
  writeJsonFile(devnetPaths.layout(dir), layout);
}

/** `network.json`, or undefined when no devnet was ever ready in `dir`. */
export function readNetworkFile(dir: string): NetworkFile | undefined {
  const path = devnetPaths.network(dir);
  if (!existsSync(path)) return undefined;
  const v = readJsonFile(path) as Partial<NetworkFile> | null;
  if (!Array.isArray(v?.seeds) || !Array.isArray(v.nodes)) {
    throw new DevnetError('corrupt', `${path}: expected {seeds: [...], nodes: [...]}`);
  }
  return v as NetworkFile;
}

/** Writes `network.json` with exactly the documented fields. */
export function writeNetworkFile(dir: string, network: NetworkFile): void {
  writeJsonFile(devnetPaths.network(dir), {
    seeds: network.seeds.map(({ url, pubkey }) => ({ url, pubkey })),
    nodes: network.nodes.map(({ url, ed25519, x25519, swarm }) => ({
      url,
      ed25519,
      x25519,
      swarm,
    })),
  });
}

/** Records a process id. */
export function writePid(path: string, pid: number): void {
  writeFileSync(path, `${pid}\n`);
}

/** The recorded process id, or undefined. */
export function readPid(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Forgets a process id. */
export function removePid(path: string): void {
  rmSync(path, { force: true });
}
