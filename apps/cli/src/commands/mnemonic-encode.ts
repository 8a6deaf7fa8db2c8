/**
 * `session-cli mnemonic encode HEX [--no-checksum]`: any multiple of 4 bytes as Session
 * mnemonic words (protocol-v1.md §2).
 */
import { encodeMnemonic, fromHex } from '@session-ts/core';
import type { CommandImpl } from '../command.ts';

export const mnemonicEncode: CommandImpl = {
  options: { 'no-checksum': { type: 'boolean' } },
  positionals: [1, 1],
  run: ({ positionals, options }) => {
    const bytes = fromHex((positionals[0] ?? '').trim(), 'HEX');
    const words = encodeMnemonic(bytes, { checksum: options['no-checksum'] !== true }).join(' ');
    return { json: { words }, text: words };
  },
};
