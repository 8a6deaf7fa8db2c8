/**
 * The service node process: `node --import tsx packages/service-node/src/main.ts --data DIR
 * --seed URL [--port N] ...` (or `session-cli node run`, which does the same). The only file of
 * the package that reads argv and the environment. Prints one JSON line
 * `{"url", "ed25519", "x25519", "swarm"}` on stdout once the node is in a swarm, writes JSON logs
 * on stderr (no keys or message data), and stops cleanly on SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { createSystemRng } from '@session-ts/core';
import { configFlags, configHelp, createJsonLogger } from '@session-ts/server-kit';
import { startServiceNodeDaemon } from './daemon.ts';
import { NODE_CONFIG, readNodeConfig } from './node-config.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { ...configFlags(NODE_CONFIG), help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help === true) {
  const usage = 'Usage: service-node --data DIR --seed URL [options]';
  process.stdout.write([usage, ...configHelp(NODE_CONFIG)].join('\n') + '\n');
  process.exit(0);
}
const read = readNodeConfig(values, process.env);
if (!read.ok) {
  process.stderr.write(`service-node: ${read.message}\n`);
  process.exit(2);
}
const clock = { now: () => Date.now() };
const daemon = await startServiceNodeDaemon({
  ...read.settings,
  clock,
  rng: createSystemRng(),
  logger: createJsonLogger({ write: (line) => process.stderr.write(line), clock }),
});
const { url, ed25519, x25519, swarm } = daemon;
process.stdout.write(JSON.stringify({ url, ed25519, x25519, swarm }) + '\n');
const stop = (): void => void daemon.stop();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
