/**
 * Every command session-cli knows, in the order `--help` lists them.
 */
import type { Command } from './command.ts';
import { CLIENT_COMMANDS } from './client-commands.ts';
import { devnetDown } from './commands/devnet-down.ts';
import { devnetStatusCommand } from './commands/devnet-status.ts';
import { devnetUp } from './commands/devnet-up.ts';
import { keysNew } from './commands/keys-new.ts';
import { keysRestore } from './commands/keys-restore.ts';
import { keysShow } from './commands/keys-show.ts';
import { mnemonicDecode } from './commands/mnemonic-decode.ts';
import { mnemonicEncode } from './commands/mnemonic-encode.ts';
import { nodeRun } from './commands/node-run.ts';
import { seedRun } from './commands/seed-run.ts';

export const COMMANDS: readonly Command[] = [
  keysNew,
  keysShow,
  keysRestore,
  mnemonicEncode,
  mnemonicDecode,
  seedRun,
  nodeRun,
  devnetUp,
  devnetDown,
  devnetStatusCommand,
  ...CLIENT_COMMANDS,
];
