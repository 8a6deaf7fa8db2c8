/**
 * The seed process: `node --import tsx packages/seed/src/main.ts --data DIR [--port N] ...`
 * (or `session-cli seed run`, which does the same). The only file of the package that reads
 * argv and the environment. Prints one JSON line `{"url", "pubkey"}` on stdout when ready,
 * writes JSON logs on stderr, and stops cleanly on SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { createSystemRng } from '@session-ts/core';
import { configFlags, configHelp, createJsonLogger } from '@session-ts/server-kit';
import { startSeedDaemon } from './daemon.ts';
import { SEED_CONFIG, readSeedConfig } from './seed-config.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { ...configFlags(SEED_CONFIG), help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help === true) {
  process.stdout.write(
    ['Usage: seed --data DIR [options]', ...configHelp(SEED_CONFIG)].join('\n') + '\n',
  );
  process.exit(0);
}
const read = readSeedConfig(values, process.env);
if (!read.ok) {
  process.stderr.write(`seed: ${read.message}\n`);
  process.exit(2);
}
const clock = { now: () => Date.now() };
const daemon = await startSeedDaemon({
  ...read.config,
  clock,
  rng: createSystemRng(),
  logger: createJsonLogger({ write: (line) => process.stderr.write(line), clock }),
});
process.stdout.write(JSON.stringify({ url: daemon.url, pubkey: daemon.pubkey }) + '\n');
const stop = (): void => void daemon.stop();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
