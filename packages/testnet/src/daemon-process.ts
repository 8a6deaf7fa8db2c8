/**
 * One devnet daemon as a child process of the real `session-cli` binary (`seed run` or
 * `node run` with `--json`): spawned with its logs appended to `daemon.log` in its data
 * directory, ready when it prints its one JSON line, stopped with SIGTERM. Also the helpers that
 * find and stop such a process from another process through its pid file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DevnetError } from './devnet-error.ts';

/** A started daemon. */
export interface DaemonProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its ready line, parsed. */
  readonly ready: Readonly<Record<string, string>>;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How to spawn one daemon. */
export interface SpawnDaemonOptions {
  readonly name: string;
  /** Path of `session-cli.js`. */
  readonly binPath: string;
  /** Arguments after the binary, without `--json`. */
  readonly args: readonly string[];
  /** Where its stderr (JSON logs) is appended. */
  readonly logPath: string;
  /** How long to wait for the ready line. */
  readonly readyTimeoutMs: number;
  /**
   * A command the daemon runs under, e.g. `['ip', 'netns', 'exec', 'ns1']` to start it in a
   * network namespace; it must exec the daemon (so the pid is the daemon's own).
   */
  readonly wrap?: readonly string[];
}

/** Spawns the binary and resolves once it printed its ready line. */
export function spawnDaemon(options: SpawnDaemonOptions): Promise<DaemonProcess> {
  const log = openSync(options.logPath, 'a');
  let child: ChildProcess;
  try {
    const [file = process.execPath, ...argv] = [
      ...(options.wrap ?? []),
      process.execPath,
      options.binPath,
      ...options.args,
      '--json',
    ];
    child = spawn(file, argv, { stdio: ['ignore', 'pipe', log] });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise<DaemonProcess>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(
        new DevnetError('start-failed', `${options.name} ${why}; see ${options.logPath}`, {
          cause: lastLogLine(options.logPath),
        }),
      );
    };
    const timer = setTimeout(
      () => fail(`printed no ready line within ${options.readyTimeoutMs} ms`),
      options.readyTimeoutMs,
    );
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then(({ code, signal }) => {
      const last = lastLogLine(options.logPath);
      fail(`exited (${signal ?? `code ${code}`}) before it was ready${last ? `: ${last}` : ''}`);
    });
    if (child.stdout === null) return fail('has no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      if (settled) return;
      let ready: Record<string, string>;
      try {
        ready = JSON.parse(line) as Record<string, string>;
      } catch {
        return fail(`printed a ready line that is not JSON: ${line.slice(0, 120)}`);
      }
      settled = true;
      clearTimeout(timer);
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout?.resume();
      resolve({ name: options.name, child, pid: child.pid ?? 0, ready, exited });
    });
  });
}

/** The last log line's message, to say why a daemon failed. */
function lastLogLine(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const last = lines.at(-1) ?? '';
    try {
      const entry = JSON.parse(last) as { msg?: unknown; error?: unknown };
      return [entry.msg, entry.error].filter((x) => typeof x === 'string').join(': ');
    } catch {
      return last.slice(0, 200);
    }
  } catch {
    return '';
  }
}

/** True if a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True if `pid` is alive and, where `/proc` can tell, its command line mentions `marker` (the
 * data directory), so a recycled pid is never taken for one of ours.
 */
export function isOurs(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
  return cmdline.split('\0').some((arg) => arg.includes(marker));
}

/** Waits until `pid` is gone, up to `timeoutMs`; true if it is. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Waits until every pid is gone, up to `timeoutMs` in all; true if they are. */
export async function waitForExitAll(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (const pid of pids) {
    if (!(await waitForExit(pid, Math.max(0, end - Date.now())))) return false;
  }
  return true;
}
