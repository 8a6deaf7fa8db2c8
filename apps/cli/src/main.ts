/**
 * The session-cli process: the only place that reads argv and touches the real stdout, stderr
 * and exit code. Everything else is in `runCli`.
 */
import { createSystemRng } from '@session-ts/core';
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  rng: createSystemRng(),
});
process.exitCode = code;
