/**
 * The session-cli process: the only place that reads argv and the environment, touches the real
 * stdout, stderr and exit code, and hears signals (SIGTERM and SIGINT stop a running daemon
 * through `signal`). Everything else is in `runCli`.
 */
import { runCli } from './cli.ts';

const stop = new AbortController();
const onSignal = (): void => stop.abort();
process.once('SIGTERM', onSignal);
process.once('SIGINT', onSignal);
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Built on use: importing core costs most of a start-up, and `--help` needs none of it.
  rng: async () => (await import('@session-ts/core')).createSystemRng(),
  env: process.env,
  signal: stop.signal,
  terminal: process.stderr.isTTY === true,
});
process.off('SIGTERM', onSignal);
process.off('SIGINT', onSignal);
process.exitCode = code;
