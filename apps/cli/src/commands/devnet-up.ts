/**
 * `session-cli devnet up [--nodes N] [--swarm-size K] [--dir D] [--base-port P] [--json]`: the
 * one-command local network (`npm start`, docs/devnet.md). Starts a seed and N service nodes as
 * child processes (default 9 in swarms of 3, data in `./.devnet`), prints a table of them and
 * how to use the network — with `--json`, the status object as one line — and stays in the
 * foreground until Ctrl-C (SIGINT) or SIGTERM, which stop every child. A child that exits on
 * its own is reported on stderr.
 */
import { startDevnet, type DevnetEvent, type DevnetStatus } from '@session-ts/testnet';
import type { CommandImpl } from '../command.ts';
import {
  SESSION_CLI_BIN,
  devnetDir,
  intOption,
  shown,
  statusTable,
  toDevnetCliError,
} from './devnet-shared.ts';
import { runUntilStopped } from './run-until-stopped.ts';

export const devnetUp: CommandImpl = {
  options: {
    nodes: { type: 'string' },
    'swarm-size': { type: 'string' },
    dir: { type: 'string' },
    'base-port': { type: 'string' },
  },
  positionals: [0, 0],
  async run({ options, signal, log }) {
    const json = options['json'] === true;
    const dir = devnetDir(options);
    const nodes = intOption(options, 'nodes', 1);
    const swarmSize = intOption(options, 'swarm-size', 1);
    const basePort = intOption(options, 'base-port', 0);
    const onStatus = (event: DevnetEvent): void => {
      if (json) {
        if (event.type === 'crashed') log(JSON.stringify({ event: 'crashed', ...event }) + '\n');
        return;
      }
      const line = describe(event);
      if (line !== undefined) log(`devnet: ${line}\n`);
    };
    let devnet;
    try {
      devnet = await startDevnet({
        dir,
        binPath: SESSION_CLI_BIN,
        onStatus,
        ...(nodes === undefined ? {} : { nodes }),
        ...(swarmSize === undefined ? {} : { swarmSize }),
        ...(basePort === undefined ? {} : { basePort }),
      });
    } catch (error) {
      throw toDevnetCliError(error);
    }
    const status = await devnet.status();
    return {
      json: { ...status },
      text: readyText(status),
      running: runUntilStopped(devnet, signal),
    };
  },
};

function describe(event: DevnetEvent): string | undefined {
  switch (event.type) {
    case 'starting':
      return `starting ${event.name} on port ${event.port}`;
    case 'ready':
      return undefined;
    case 'settled':
      return `all ready, ${event.swarms} swarm${event.swarms === 1 ? '' : 's'}`;
    case 'crashed':
      return `${event.name} exited unexpectedly (${event.signal ?? `code ${event.code}`}); see ${shown(event.log)}`;
    case 'stopping':
      return 'stopping…';
    case 'stopped':
      return 'stopped';
  }
}

function readyText(status: DevnetStatus): string {
  const swarms = new Set(status.nodes.map((n) => n.swarm)).size;
  const dir = shown(status.dir);
  const flag = dir === '.devnet' ? '' : ` --dir ${dir}`;
  return [
    `Session devnet: 1 seed and ${status.nodes.length} service nodes in ${swarms} swarms on 127.0.0.1`,
    '',
    statusTable(status),
    '',
    `Data, keys and logs: ${dir}/ (seed/, node-1/, …; each has daemon.log)`,
    `Network description for clients: ${dir}/network.json`,
    `Seed: ${status.seeds[0]?.url ?? '?'} (pubkey ${status.seeds[0]?.pubkey ?? '?'})`,
    '',
    'In another terminal:',
    `  npx session-cli devnet status${flag}     # which processes are up`,
    `  npx session-cli devnet status${flag} --json`,
    `  npx session-cli devnet down${flag}       # stop it from elsewhere`,
    '',
    'Ctrl-C stops the network; starting it again resumes with the same keys, data and ports.',
  ].join('\n');
}
