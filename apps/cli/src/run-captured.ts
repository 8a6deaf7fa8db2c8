/**
 * `runCli` with its output captured: what the in-process CLI tests assert on (exit code, stdout,
 * stderr). Test support, kept beside `cli.ts` because apps have no test-support package.
 */
import { runCli, type CliIo } from './cli.ts';

/** One captured run. */
export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `argv` in-process with `io` (less stdout/stderr, which are captured). */
export async function runCaptured(
  argv: readonly string[],
  io: Omit<CliIo, 'stdout' | 'stderr'>,
): Promise<CapturedRun> {
  let out = '';
  let err = '';
  const code = await runCli([...argv], {
    ...io,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}
