/**
 * One run of the real `session-cli` binary as a child process, for tests and tools that drive
 * the network the way a person would (issue #7's end-to-end scenario, the devnet and README
 * tests, the network-namespace scenario). The exit code is part of the result rather than a
 * rejection, because exit codes 1 and 2 are documented outcomes a test asserts on.
 */
import { execFile } from 'node:child_process';

/** What one run printed and how it ended. */
export interface CliRun {
  /** 0 ok, 2 bad input, 1 failure (README "session-cli"); 1 also when killed by the timeout. */
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** How to run it. */
export interface CliRunOptions {
  /**
   * The child's whole environment (e.g. the caller's plus `SESSION_TS_HOME`); the caller's own
   * when omitted. Packages read no ambient environment, so the caller passes it.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Killed after this long (default 60 s: a client command on a busy 2-core machine). */
  readonly timeoutMs?: number;
  /** Prefix to run it under, e.g. `['ip', 'netns', 'exec', 'ns1']`; the binary runs directly when omitted. */
  readonly wrap?: readonly string[];
  readonly cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs `node binPath ...args`; never rejects. */
export function runCli(
  binPath: string,
  args: readonly string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const [file = process.execPath, ...argv] = [
    ...(options.wrap ?? []),
    process.execPath,
    binPath,
    ...args,
  ];
  return new Promise((resolve) => {
    execFile(
      file,
      argv,
      {
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        // error.code is the exit code when the child exited, a string (ENOENT…) when it never ran.
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

/** The JSON lines a `--json` command printed (`receive` prints one per event), in order. */
export function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
