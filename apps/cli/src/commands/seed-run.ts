/**
 * `session-cli seed run --data DIR --port N [--json]`: runs a seed registry (the stand-in for
 * on-chain staking, docs/service-node.md) until SIGTERM or SIGINT. Prints one line when ready —
 * with `--json`, `{"url", "pubkey"}` — and writes structured JSON logs on stderr. Settings fall
 * back to environment variables (`SESSION_SEED_DATA`, `SESSION_SEED_PORT`, …; see `--help`).
 */
import { configFlags } from '@session-ts/server-kit';
import { SEED_CONFIG, readSeedConfig, startSeedDaemon } from '@session-ts/seed';
import { createJsonLogger } from '@session-ts/server-kit';
import { CliError } from '../cli-error.ts';
import type { CommandImpl } from '../command.ts';
import { runUntilStopped } from './run-until-stopped.ts';

export const seedRun: CommandImpl = {
  options: configFlags(SEED_CONFIG),
  positionals: [0, 0],
  async run({ options, env, rng, signal, log }) {
    const read = readSeedConfig(options, env);
    if (!read.ok) throw new CliError('bad-input', `seed run: ${read.message}`);
    const clock = { now: () => Date.now() };
    const daemon = await startSeedDaemon({
      ...read.config,
      clock,
      rng,
      logger: createJsonLogger({ write: log, clock }),
    });
    return {
      json: { url: daemon.url, pubkey: daemon.pubkey },
      text: `seed listening on ${daemon.url}\npubkey: ${daemon.pubkey}`,
      running: runUntilStopped(daemon, signal),
    };
  },
};
