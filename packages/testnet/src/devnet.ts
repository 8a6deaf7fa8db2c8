/**
 * The devnet: a whole Session network on one machine (issue #7, docs/devnet.md). A seed registry
 * and N service nodes run as separate child processes of the real `session-cli` binary on
 * loopback, each with its own data directory (keys, SQLite) under one devnet directory.
 *
 * The seed is sized so that swarms hold exactly `swarmSize` nodes (min = ideal = max =
 * `swarmSize`, buffer 0; see packages/seed `swarm-assignment.ts`): 9 nodes form 3 swarms of 3.
 * Ports are chosen on the first start and kept in `devnet.json`, so a restart resumes with the
 * same keys, data and ports. Once every process printed its ready line and the seed's node list
 * has settled, `network.json` says where everything is.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAlive, isOurs, spawnDaemon, waitForExit, type DaemonProcess } from './daemon-process.ts';
import { DevnetError } from './devnet-error.ts';
import {
  devnetPaths,
  nodeName,
  readLayout,
  readNetworkFile,
  readPid,
  removePid,
  writeLayout,
  writeNetworkFile,
  writePid,
  type DevnetLayout,
  type NetworkFile,
  type NetworkNode,
  type NetworkSeed,
} from './devnet-files.ts';
import { choosePorts, isPortFree } from './ports.ts';
import { settledSwarms } from './seed-node-list.ts';

/** Defaults of `startDevnet`: 9 nodes in swarms of 3. */
export const DEVNET_DEFAULTS = { nodes: 9, swarmSize: 3 } as const;

/**
 * How often devnet nodes poll the seed, and how often they re-register. Much faster than a real
 * network's (5 s and 10 s, docs/service-node.md) so that a fresh devnet settles in seconds.
 */
const NODE_POLL_MS = 500;
const SEED_REFRESH_MS = 5_000;
/** How long a daemon may take to print its ready line (cold tsx start on a busy machine). */
const READY_TIMEOUT_MS = 60_000;
/** How long a stopped daemon may take to exit before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** Progress and trouble, as they happen. */
export type DevnetEvent =
  | { readonly type: 'starting'; readonly name: string; readonly port: number }
  | { readonly type: 'ready'; readonly name: string; readonly url: string }
  | { readonly type: 'settled'; readonly swarms: number }
  | {
      readonly type: 'crashed';
      readonly name: string;
      readonly code: number | null;
      readonly signal: string | null;
      readonly log: string;
    }
  | { readonly type: 'stopping' }
  | { readonly type: 'stopped' };

/** How to start a devnet. */
export interface DevnetOptions {
  /** The devnet directory (created if missing). */
  readonly dir: string;
  /** Service nodes (default 9, or as many as last time). */
  readonly nodes?: number;
  /** Nodes per swarm (default 3, or as last time). */
  readonly swarmSize?: number;
  /**
   * First start only: the seed's port; node `i` gets `basePort + i`. 0 lets the system pick
   * every port. Default: 22100… if free, else system-picked ports.
   */
  readonly basePort?: number;
  /** Path of the `session-cli` binary (apps/cli/bin/session-cli.js). */
  readonly binPath: string;
  readonly onStatus?: (event: DevnetEvent) => void;
}

/** One process of the devnet and whether it is up. */
export interface DaemonState {
  /** `seed`, `node-1`, … */
  readonly name: string;
  readonly port: number;
  readonly pid: number | null;
  /** Its process is alive and answers HTTP. */
  readonly running: boolean;
}

/** What `status` reports: `network.json` plus each process's state. */
export interface DevnetStatus {
  readonly dir: string;
  /** The process supervising the devnet (`session-cli devnet up`), when alive. */
  readonly supervisor: number | null;
  readonly running: boolean;
  readonly seeds: readonly (NetworkSeed & DaemonState)[];
  readonly nodes: readonly (NetworkNode & DaemonState)[];
}

/** A running devnet. */
export interface Devnet {
  readonly dir: string;
  readonly network: NetworkFile;
  status(): Promise<DevnetStatus>;
  /** Stops every process (nodes first, then the seed); resolves when all have exited. */
  stop(): Promise<void>;
}

function checkCount(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DevnetError('invalid-input', `${what}: expected an integer ≥ ${min}, got ${value}`);
  }
}

/** The layout to run: last time's, extended or newly chosen. */
async function planLayout(dir: string, options: DevnetOptions): Promise<DevnetLayout> {
  const saved = readLayout(dir);
  const nodes = options.nodes ?? saved?.nodes.length ?? DEVNET_DEFAULTS.nodes;
  const swarmSize = options.swarmSize ?? saved?.swarmSize ?? DEVNET_DEFAULTS.swarmSize;
  checkCount(nodes, 'nodes', 1);
  checkCount(swarmSize, 'swarm size', 1);
  if (saved === undefined) {
    const ports = await choosePorts(nodes + 1, options.basePort);
    const [seedPort = 0, ...nodePorts] = ports;
    return {
      version: 1,
      swarmSize,
      seed: { port: seedPort },
      nodes: nodePorts.map((port) => ({ port })),
    };
  }
  const kept = saved.nodes.slice(0, nodes);
  if (kept.length < nodes) {
    // New nodes take the ports after the highest one in use, if free, else system-picked ones.
    const count = nodes - kept.length;
    const last = Math.max(saved.seed.port, ...saved.nodes.map((n) => n.port));
    const next = Array.from({ length: count }, (_, i) => last + 1 + i);
    const free = (await Promise.all(next.map(isPortFree))).every(Boolean);
    const extra = free ? next : await choosePorts(count, 0);
    kept.push(...extra.map((port) => ({ port })));
  }
  // Nodes beyond `nodes` keep their ports (and data) for a later, larger start.
  const all = [...kept, ...saved.nodes.slice(kept.length)];
  writeLayout(dir, { ...saved, swarmSize, nodes: all });
  return { ...saved, swarmSize, nodes: kept };
}

/** Throws if processes of a devnet in `dir` are still alive. */
function assertNotRunning(dir: string, layout: DevnetLayout): void {
  const supervisor = readPid(devnetPaths.supervisorPid(dir));
  if (supervisor !== undefined && supervisor !== process.pid && isAlive(supervisor)) {
    throw new DevnetError(
      'already-running',
      `a devnet is already running in ${dir} (pid ${supervisor}); stop it with: session-cli devnet down --dir ${dir}`,
    );
  }
  const dataDirs = [
    devnetPaths.seedDir(dir),
    ...layout.nodes.map((_, i) => devnetPaths.nodeDir(dir, i)),
  ];
  for (const dataDir of dataDirs) {
    const pid = readPid(devnetPaths.pidFile(dataDir));
    if (pid !== undefined && isOurs(pid, dataDir)) {
      throw new DevnetError(
        'already-running',
        `a devnet process (pid ${pid}) still runs in ${dataDir}; stop it with: session-cli devnet down --dir ${dir}`,
      );
    }
  }
}

/** Starts (or resumes) the devnet in `options.dir`; resolves once every node is ready. */
export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const dir = resolve(options.dir);
  const emit = options.onStatus ?? (() => undefined);
  mkdirSync(dir, { recursive: true });
  const saved = readLayout(dir);
  if (saved !== undefined) assertNotRunning(dir, saved);
  const layout = await planLayout(dir, options);
  if (saved === undefined) writeLayout(dir, layout);
  writePid(devnetPaths.supervisorPid(dir), process.pid);

  const running: DaemonProcess[] = [];
  let stopping: Promise<void> | undefined;
  const start = async (name: string, dataDir: string, port: number, args: string[]) => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    emit({ type: 'starting', name, port });
    const daemon = await spawnDaemon({
      name,
      binPath: options.binPath,
      args: [...args, '--data', dataDir, '--host', '127.0.0.1', '--port', String(port)],
      logPath: devnetPaths.logFile(dataDir),
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    running.push(daemon);
    const pidFile = devnetPaths.pidFile(dataDir);
    writePid(pidFile, daemon.pid);
    void daemon.exited.then(({ code, signal }) => {
      removePid(pidFile);
      if (stopping === undefined) {
        emit({ type: 'crashed', name, code, signal, log: devnetPaths.logFile(dataDir) });
      }
    });
    emit({ type: 'ready', name, url: daemon.ready['url'] ?? '' });
    return daemon;
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      emit({ type: 'stopping' });
      const seed = running.find((d) => d.name === 'seed');
      await stopAll(running.filter((d) => d !== seed));
      if (seed !== undefined) await stopAll([seed]);
      if (readPid(devnetPaths.supervisorPid(dir)) === process.pid) {
        removePid(devnetPaths.supervisorPid(dir));
      }
      emit({ type: 'stopped' });
    })();
    return stopping;
  };

  try {
    const seed = await start('seed', devnetPaths.seedDir(dir), layout.seed.port, [
      'seed',
      'run',
      ...['--min-swarm-size', '--ideal-swarm-size', '--max-swarm-size'].flatMap((flag) => [
        flag,
        String(layout.swarmSize),
      ]),
      ...['--swarm-buffer', '0', '--refresh-ms', String(SEED_REFRESH_MS)],
    ]);
    const seedInfo: NetworkSeed = {
      url: seed.ready['url'] ?? '',
      pubkey: seed.ready['pubkey'] ?? '',
    };
    const nodes = await Promise.all(
      layout.nodes.map((n, i) =>
        start(nodeName(i), devnetPaths.nodeDir(dir, i), n.port, [
          ...['node', 'run', '--seed', seedInfo.url, '--seed-pubkey', seedInfo.pubkey],
          ...['--poll-ms', String(NODE_POLL_MS)],
        ]),
      ),
    );
    const swarms = await settledSwarms(
      seedInfo.url,
      nodes.map((n) => n.ready['ed25519'] ?? ''),
      NODE_POLL_MS,
    );
    const network: NetworkFile = {
      seeds: [seedInfo],
      nodes: nodes.map((n) => {
        const ed25519 = n.ready['ed25519'] ?? '';
        return {
          url: n.ready['url'] ?? '',
          ed25519,
          x25519: n.ready['x25519'] ?? '',
          swarm: swarms.get(ed25519) ?? n.ready['swarm'] ?? '',
        };
      }),
    };
    writeNetworkFile(dir, network);
    emit({ type: 'settled', swarms: new Set(swarms.values()).size });
    return { dir, network, status: () => devnetStatus(dir), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM to each, then wait; SIGKILL what has not exited in time. */
async function stopAll(daemons: readonly DaemonProcess[]): Promise<void> {
  await Promise.all(
    daemons.map(async (d) => {
      if (d.child.exitCode !== null || d.child.signalCode !== null) return;
      d.child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((r) =>
        setTimeout(r, STOP_TIMEOUT_MS, 'timeout').unref(),
      );
      if ((await Promise.race([d.exited, timeout])) === 'timeout') {
        d.child.kill('SIGKILL');
        await d.exited;
      }
    }),
  );
}

/** True if `url + path` answers 2xx within a second. */
async function answers(url: string, path: string): Promise<boolean> {
  try {
    const res = await fetch(url + path, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The state of the devnet in `dir`, from its files and pid files, asking each process over HTTP
 * (`/seed/v1/info`, `/get_stats/v1`). Works from any process.
 */
export async function devnetStatus(dirPath: string): Promise<DevnetStatus> {
  const dir = resolve(dirPath);
  const network = readNetworkFile(dir);
  const layout = readLayout(dir);
  if (network === undefined || layout === undefined) {
    throw new DevnetError(
      'not-found',
      `no devnet in ${dir} (start one with: session-cli devnet up --dir ${dir})`,
    );
  }
  const state = async (name: string, dataDir: string, url: string, path: string) => {
    const pid = readPid(devnetPaths.pidFile(dataDir));
    const alive = pid !== undefined && isOurs(pid, dataDir);
    return {
      name,
      port: Number(new URL(url).port),
      pid: alive ? pid : null,
      running: alive && (await answers(url, path)),
    };
  };
  const seeds = await Promise.all(
    network.seeds.map(async (s) => ({
      ...s,
      ...(await state('seed', devnetPaths.seedDir(dir), s.url, '/seed/v1/info')),
    })),
  );
  const nodes = await Promise.all(
    network.nodes.map(async (n, i) => ({
      ...n,
      ...(await state(nodeName(i), devnetPaths.nodeDir(dir, i), n.url, '/get_stats/v1')),
    })),
  );
  const supervisor = readPid(devnetPaths.supervisorPid(dir));
  return {
    dir,
    supervisor: supervisor !== undefined && isAlive(supervisor) ? supervisor : null,
    running: [...seeds, ...nodes].every((d) => d.running),
    seeds,
    nodes,
  };
}

/**
 * Stops the devnet in `dir` from any process: SIGTERM to its supervisor (which stops its
 * children), then to any child still alive; SIGKILL after a timeout. Resolves with the names of
 * the processes that were running.
 */
export async function stopDevnet(dirPath: string): Promise<{ stopped: string[] }> {
  const dir = resolve(dirPath);
  const layout = readLayout(dir);
  if (layout === undefined) {
    throw new DevnetError('not-found', `no devnet in ${dir}`);
  }
  const stopped: string[] = [];
  const supervisorFile = devnetPaths.supervisorPid(dir);
  const supervisor = readPid(supervisorFile);
  if (supervisor !== undefined && supervisor !== process.pid && isAlive(supervisor)) {
    stopped.push('supervisor');
    process.kill(supervisor, 'SIGTERM');
    await waitForExit(supervisor, 2 * STOP_TIMEOUT_MS);
  }
  removePid(supervisorFile);
  const children = [
    ...layout.nodes.map((_, i) => ({ name: nodeName(i), dataDir: devnetPaths.nodeDir(dir, i) })),
    { name: 'seed', dataDir: devnetPaths.seedDir(dir) },
  ];
  for (const { name, dataDir } of children) {
    const pidFile = devnetPaths.pidFile(dataDir);
    const pid = readPid(pidFile);
    if (pid !== undefined && isOurs(pid, dataDir)) {
      stopped.push(name);
      process.kill(pid, 'SIGTERM');
      if (!(await waitForExit(pid, STOP_TIMEOUT_MS)) && isOurs(pid, dataDir)) {
        process.kill(pid, 'SIGKILL');
        await waitForExit(pid, STOP_TIMEOUT_MS);
      }
    }
    removePid(pidFile);
  }
  return { stopped };
}
