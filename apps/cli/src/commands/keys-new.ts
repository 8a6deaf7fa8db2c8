/**
 * `session-cli keys new`: a fresh account from 16 random bytes, the entropy of a 13-word
 * recovery password (protocol-v1.md §2, as upstream clients create accounts).
 */
import type { CommandImpl } from '../command.ts';
import { accountSummary } from './account-summary.ts';

/** Entropy of a standard (13-word) Session account. */
const NEW_ACCOUNT_ENTROPY_BYTES = 16;

export const keysNew: CommandImpl = {
  options: {},
  positionals: [0, 0],
  run: ({ rng }) => accountSummary(rng.randomBytes(NEW_ACCOUNT_ENTROPY_BYTES)),
};
