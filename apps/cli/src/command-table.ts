/**
 * Every command session-cli knows, in the order `--help` lists them: names, usage and summary
 * only. Each entry imports its module when the command runs (`load`), so start-up reads this
 * table and nothing else (see command.ts); nothing here may import a command module statically.
 */
import type { Command } from './command.ts';
import { CLIENT_COMMANDS } from './client-commands.ts';

export const COMMANDS: readonly Command[] = [
  {
    path: ['keys', 'new'],
    usage: 'keys new [--json]',
    summary: 'create a fresh account and print its Session ID and recovery password',
    load: () => import('./commands/keys-new.ts').then((m) => m.keysNew),
  },
  {
    path: ['keys', 'show'],
    usage: 'keys show --seed HEX [--json]',
    summary: 'show the account of a 16- or 32-byte seed given in hex',
    load: () => import('./commands/keys-show.ts').then((m) => m.keysShow),
  },
  {
    path: ['keys', 'restore'],
    usage: 'keys restore "WORDS" [--json]',
    summary: 'restore an account from its 13- or 25-word recovery password',
    load: () => import('./commands/keys-restore.ts').then((m) => m.keysRestore),
  },
  {
    path: ['mnemonic', 'encode'],
    usage: 'mnemonic encode HEX [--no-checksum] [--json]',
    summary: 'encode bytes (a multiple of 4) as mnemonic words',
    load: () => import('./commands/mnemonic-encode.ts').then((m) => m.mnemonicEncode),
  },
  {
    path: ['mnemonic', 'decode'],
    usage: 'mnemonic decode "WORDS" [--no-checksum] [--json]',
    summary: 'decode mnemonic words to hex',
    load: () => import('./commands/mnemonic-decode.ts').then((m) => m.mnemonicDecode),
  },
  {
    path: ['seed', 'run'],
    usage: 'seed run --data DIR [--port N] [--min-swarm-size N] [--json]',
    summary: 'run a seed registry (node list, swarm assignment) until SIGTERM',
    load: () => import('./commands/seed-run.ts').then((m) => m.seedRun),
  },
  {
    path: ['node', 'run'],
    usage: 'node run --data DIR --seed URL [--port N] [--ip A.B.C.D] [--json]',
    summary: 'run a service node in the network the seed describes, until SIGTERM',
    load: () => import('./commands/node-run.ts').then((m) => m.nodeRun),
  },
  {
    path: ['devnet', 'up'],
    usage: 'devnet up [--nodes N] [--swarm-size K] [--dir D] [--base-port P] [--json]',
    summary: 'run a local network (a seed and N service nodes) until Ctrl-C',
    load: () => import('./commands/devnet-up.ts').then((m) => m.devnetUp),
  },
  {
    path: ['devnet', 'down'],
    usage: 'devnet down [--dir D] [--json]',
    summary: 'stop the local network another process started',
    load: () => import('./commands/devnet-down.ts').then((m) => m.devnetDown),
  },
  {
    path: ['devnet', 'status'],
    usage: 'devnet status [--dir D] [--json]',
    summary: 'show the local network: each node, its swarm, port and state',
    load: () => import('./commands/devnet-status.ts').then((m) => m.devnetStatusCommand),
  },
  ...CLIENT_COMMANDS,
];
