/**
 * `session-cli devnet status [--dir D] [--json]`: the devnet in D (default `./.devnet`) as
 * `network.json` describes it — `{"seeds": [{url, pubkey}], "nodes": [{url, ed25519, x25519,
 * swarm}]}` — with each process's name, port, pid and whether it runs and answers HTTP. Works
 * from any process; exit 1 when no devnet was ever started there.
 */
import { devnetStatus } from '@session-ts/testnet';
import type { CommandImpl } from '../command.ts';
import { devnetDir, shown, statusTable, toDevnetCliError } from './devnet-shared.ts';

export const devnetStatusCommand: CommandImpl = {
  options: { dir: { type: 'string' } },
  positionals: [0, 0],
  async run({ options }) {
    let status;
    try {
      status = await devnetStatus(devnetDir(options));
    } catch (error) {
      throw toDevnetCliError(error);
    }
    const up = [...status.seeds, ...status.nodes].filter((d) => d.running).length;
    const total = status.seeds.length + status.nodes.length;
    const summary = status.running
      ? `devnet in ${shown(status.dir)}: running (${total} processes)`
      : `devnet in ${shown(status.dir)}: ${up} of ${total} processes running`;
    return { json: { ...status }, text: `${summary}\n\n${statusTable(status)}` };
  },
};
