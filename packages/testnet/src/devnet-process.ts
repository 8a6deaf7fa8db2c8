/**
 * `session-cli devnet up --json` as a child process, the way a person starts the devnet with
 * `npm start` (docs/devnet.md), for tests that need real processes and real HTTP: resolves with
 * the status line `devnet up` prints once the network has settled, and stops it as Ctrl-C would
 * (SIGTERM to `devnet up`, which stops its children), killing what outlives that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { isOurs, waitForExitAll } from './daemon-process.ts';
import type { DevnetStatus } from './devnet.ts';

/** How to start it. */
export interface DevnetProcessOptions {
  /** Path of `session-cli.js`. */
  readonly binPath: string;
  readonly dir: string;
  /** `--nodes` and `--swarm-size`; devnet up's own defaults (9 and 3) when omitted. */
  readonly nodes?: number;
  readonly swarmSize?: number;
  /** `--base-port`; default 0, so parallel runs never collide on the fixed 22100… ports. */
  readonly basePort?: number;
  /** How long to wait for the status line (default 90 s: 9 cold tsx starts on 2 busy cores). */
  readonly readyTimeoutMs?: number;
}

/** A running `devnet up`. */
export interface DevnetProcess {
  readonly child: ChildProcess;
  /** The status line: every process with its pid, url and swarm. */
  readonly status: DevnetStatus;
  /** The pids of the seed and the nodes. */
  readonly pids: readonly number[];
  /** Settles with `devnet up`'s exit code. */
  readonly exited: Promise<number | null>;
  /**
   * SIGTERM to `devnet up` (it stops the nodes, then the seed), then SIGKILL to anything of it
   * still alive after `graceMs` (default 15 s). Safe to call more than once.
   */
  stop(graceMs?: number): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 90_000;

/** Spawns `devnet up --json`; resolves once it printed its status line. */
export function startDevnetProcess(options: DevnetProcessOptions): Promise<DevnetProcess> {
  const sizes = [
    ...(options.nodes === undefined ? [] : ['--nodes', String(options.nodes)]),
    ...(options.swarmSize === undefined ? [] : ['--swarm-size', String(options.swarmSize)]),
  ];
  const child = spawn(
    process.execPath,
    [
      options.binPath,
      ...['devnet', 'up', ...sizes, '--dir', options.dir],
      ...['--base-port', String(options.basePort ?? 0), '--json'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // SIGTERM: devnet up stops the children it already started.
      child.kill('SIGTERM');
      reject(new Error(`devnet up ${why}: ${stderr.trim().slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`printed no status line in ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => fail(`exited with ${code}`));
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    // The first stdout line is the status; later ones (crash reports) are read and dropped so
    // the child never blocks on a full pipe.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (settled) return;
      let status: DevnetStatus;
      try {
        status = JSON.parse(line) as DevnetStatus;
      } catch {
        return fail(`printed a line that is not JSON: ${line.slice(0, 200)}`);
      }
      settled = true;
      clearTimeout(timer);
      const pids = [...status.seeds, ...status.nodes].map((d) => d.pid ?? -1).filter((p) => p > 0);
      resolve({
        child,
        status,
        pids,
        exited,
        stop: stopper(child, exited, pids, resolvePath(options.dir)),
      });
    });
  });
}

function stopper(
  child: ChildProcess,
  exited: Promise<number | null>,
  pids: readonly number[],
  dir: string,
): (graceMs?: number) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (graceMs = 15_000) =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      await waitForExitAll(pids, 5_000);
      // Only a process whose command line names the devnet directory: never a recycled pid.
      for (const pid of pids) if (isOurs(pid, dir)) process.kill(pid, 'SIGKILL');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    })());
}
