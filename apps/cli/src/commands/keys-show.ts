/**
 * `session-cli keys show --seed HEX`: the account of a 16- or 32-byte Ed25519 seed.
 */
import { fromHex } from '@session-ts/core';
import { CliError } from '../cli-error.ts';
import type { CommandImpl } from '../command.ts';
import { accountSummary } from './account-summary.ts';

export const keysShow: CommandImpl = {
  options: { seed: { type: 'string' } },
  positionals: [0, 0],
  run: ({ options }) => {
    const seedHex = options['seed'];
    if (typeof seedHex !== 'string' || seedHex.length === 0) {
      throw new CliError('bad-input', 'keys show: --seed HEX is required (16 or 32 bytes)');
    }
    const seed = fromHex(seedHex.trim(), 'seed');
    if (seed.length !== 16 && seed.length !== 32) {
      throw new CliError(
        'bad-input',
        `seed: expected 16 or 32 bytes (32 or 64 hex characters), got ${seed.length} bytes`,
      );
    }
    return accountSummary(seed);
  },
};
