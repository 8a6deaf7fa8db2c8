/**
 * `session-cli node run --data DIR --port N --seed URL [--json]`: runs a service node (storage
 * RPC, swarm membership through the seed, replication, `/metrics`) until SIGTERM or SIGINT.
 * Prints one line once the node is in a swarm — with `--json`,
 * `{"url", "ed25519", "x25519", "swarm"}` — and writes structured JSON logs on stderr. Settings
 * fall back to environment variables (`SESSION_NODE_DATA`, `SESSION_NODE_SEED`, …).
 */
import { configFlags, createJsonLogger } from '@session-ts/server-kit';
import { NODE_CONFIG, readNodeConfig, startServiceNodeDaemon } from '@session-ts/service-node';
import { CliError } from '../cli-error.ts';
import type { CommandImpl } from '../command.ts';
import { runUntilStopped } from './run-until-stopped.ts';

export const nodeRun: CommandImpl = {
  options: configFlags(NODE_CONFIG),
  positionals: [0, 0],
  async run({ options, env, rng, signal, log }) {
    const read = readNodeConfig(options, env);
    if (!read.ok) throw new CliError('bad-input', `node run: ${read.message}`);
    const clock = { now: () => Date.now() };
    const daemon = await startServiceNodeDaemon({
      ...read.settings,
      clock,
      rng,
      logger: createJsonLogger({ write: log, clock }),
    });
    const { url, ed25519, x25519, swarm } = daemon;
    return {
      json: { url, ed25519, x25519, swarm },
      text: [
        `service node listening on ${url}`,
        `ed25519: ${ed25519}`,
        `x25519:  ${x25519}`,
        `swarm:   ${swarm}`,
      ].join('\n'),
      running: runUntilStopped(daemon, signal),
    };
  },
};
