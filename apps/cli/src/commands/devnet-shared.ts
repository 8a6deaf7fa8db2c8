/**
 * What the `devnet up|down|status` commands share: the binary they launch, the default
 * directory, option parsing and the status table.
 */
import { join, relative, resolve } from 'node:path';
import { isDevnetError, type DevnetStatus } from '@session-ts/testnet';
import { CliError } from '../cli-error.ts';

/** The `session-cli` binary the devnet runs its seed and nodes with. */
export const SESSION_CLI_BIN = join(import.meta.dirname, '..', '..', 'bin', 'session-cli.js');

/** Where a devnet lives unless `--dir` says otherwise (relative to the working directory). */
export const DEFAULT_DEVNET_DIR = '.devnet';

/** The `--dir` option, absolute. */
export function devnetDir(options: Readonly<Record<string, unknown>>): string {
  const dir = options['dir'];
  return resolve(typeof dir === 'string' && dir !== '' ? dir : DEFAULT_DEVNET_DIR);
}

/** An optional positive integer option, or a usage error naming it. */
export function intOption(
  options: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new CliError(
      'bad-input',
      `--${name}: expected an integer ≥ ${min}, got "${typeof raw === 'string' ? raw : typeof raw}"`,
    );
  }
  return n;
}

/** Maps the testnet layer's errors to the CLI's (bad sizes are bad input). */
export function toDevnetCliError(error: unknown): unknown {
  if (isDevnetError(error)) {
    const code = error.code === 'invalid-input' ? 'bad-input' : 'failure';
    return new CliError(code, error.message, { cause: error });
  }
  return error;
}

/** A path as a person would type it from here. */
export function shown(path: string): string {
  const rel = relative(resolve('.'), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** The table `devnet up` and `devnet status` print: node | swarm | port | status. */
export function statusTable(status: DevnetStatus): string {
  const rows = [
    ['node', 'swarm', 'port', 'status'],
    ...status.seeds.map((s) => [s.name, '(seed)', String(s.port), state(s)]),
    ...status.nodes.map((n) => [n.name, n.swarm, String(n.port), state(n)]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c] ?? 0) : cell)).join('  '))
    .join('\n');
}

function state(d: { running: boolean; pid: number | null }): string {
  if (d.running) return `running (pid ${d.pid})`;
  return d.pid === null ? 'stopped' : `not answering (pid ${d.pid})`;
}
