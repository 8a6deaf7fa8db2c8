/**
 * `session-cli keys restore "WORDS"`: the account of a 13- or 25-word recovery password. The
 * words may also be given as separate arguments.
 */
import { seedFromRecoveryPassword } from '@session-ts/core';
import type { CommandImpl } from '../command.ts';
import { accountSummary } from './account-summary.ts';

export const keysRestore: CommandImpl = {
  options: {},
  positionals: [1, 25],
  run: ({ positionals }) => accountSummary(seedFromRecoveryPassword(positionals.join(' '))),
};
