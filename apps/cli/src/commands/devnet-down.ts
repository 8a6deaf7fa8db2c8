/**
 * `session-cli devnet down [--dir D] [--json]`: stops the devnet in D (default `./.devnet`)
 * that another process started, through its pid files: SIGTERM to `devnet up`, which stops its
 * children, then to any child left. Keys, data and ports stay for the next `devnet up`.
 */
import { stopDevnet } from '@session-ts/testnet';
import type { CommandImpl } from '../command.ts';
import { devnetDir, shown, toDevnetCliError } from './devnet-shared.ts';

export const devnetDown: CommandImpl = {
  options: { dir: { type: 'string' } },
  positionals: [0, 0],
  async run({ options }) {
    const dir = devnetDir(options);
    let stopped: string[];
    try {
      ({ stopped } = await stopDevnet(dir));
    } catch (error) {
      throw toDevnetCliError(error);
    }
    return {
      json: { dir, stopped },
      text:
        stopped.length === 0
          ? `no devnet was running in ${shown(dir)}`
          : `stopped the devnet in ${shown(dir)}`,
    };
  },
};
