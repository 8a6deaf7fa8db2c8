/**
 * `session-cli mnemonic decode "WORDS" [--no-checksum]`: mnemonic words back to hex
 * (protocol-v1.md §2). The words may also be given as separate arguments.
 */
import { decodeMnemonic, toHex } from '@session-ts/core';
import type { CommandImpl } from '../command.ts';

export const mnemonicDecode: CommandImpl = {
  options: { 'no-checksum': { type: 'boolean' } },
  positionals: [1, 1000],
  run: ({ positionals, options }) => {
    const hex = toHex(
      decodeMnemonic(positionals.join(' '), { checksum: options['no-checksum'] !== true }),
    );
    return { json: { hex }, text: hex };
  },
};
