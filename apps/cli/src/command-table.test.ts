/**
 * The command table and lazy loading (command.ts): every entry's `load` resolves to an
 * implementation, paths are unique, `--help` lists each command, and `COMMAND --help` answers
 * without loading it. In a fresh process, `--help` loads neither core's sodium nor the SDK's
 * SQLite driver, and `keys new` loads sodium but not SQLite: start-up pays only for what the
 * command uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, helpText } from './cli.ts';
import { COMMANDS } from './command-table.ts';

const execFileAsync = promisify(execFile);
const CLI = join(import.meta.dirname, 'cli.ts');

test('every table entry loads an implementation; paths are unique; help lists all', async () => {
  const paths = COMMANDS.map((c) => c.path.join(' '));
  assert.equal(new Set(paths).size, paths.length, 'unique paths');
  const help = helpText();
  for (const c of COMMANDS) {
    assert.ok(c.usage.startsWith(c.path.join(' ')), `${c.usage} starts with its path`);
    assert.ok(help.includes(c.usage), `--help lists ${c.usage}`);
    const impl = await c.load();
    assert.equal(typeof impl.run, 'function', `${c.path.join(' ')} has run`);
    assert.equal(typeof impl.options, 'object');
    const [min, max] = impl.positionals;
    assert.ok(min >= 0 && max >= min, `${c.path.join(' ')} positionals`);
  }
});

test('COMMAND --help prints its usage without loading or running it', async () => {
  for (const c of COMMANDS) {
    let out = '';
    const code = await runCli([...c.path, '--help'], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      rng: () => Promise.reject(new Error('no randomness for --help')),
    });
    assert.equal(code, 0, c.path.join(' '));
    assert.equal(out, `Usage: session-cli ${c.usage}\n${c.summary}\n`);
  }
});

/**
 * Runs `argv` through runCli in a fresh process and returns which of sodium-native (core) and
 * better-sqlite3 (the SDK's store) it loaded: both are CommonJS, so they show in require.cache.
 */
async function loadedBy(argv: readonly string[]): Promise<{ sodium: boolean; sqlite: boolean }> {
  const script = `
    import { createRequire } from 'node:module';
    const { runCli } = await import(${JSON.stringify(CLI)});
    const rng = async () => (await import('@session-ts/core')).createSystemRng();
    const code = await runCli(${JSON.stringify(argv)}, { stdout() {}, stderr() {}, rng });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      code,
      sodium: loaded.some((k) => k.includes('sodium-native')),
      sqlite: loaded.some((k) => k.includes('better-sqlite3')),
    }));`;
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: import.meta.dirname },
  );
  const r = JSON.parse(stdout) as { code: number; sodium: boolean; sqlite: boolean };
  assert.equal(r.code, 0, argv.join(' '));
  return { sodium: r.sodium, sqlite: r.sqlite };
}

test('start-up loads only what the command uses', async () => {
  assert.deepEqual(await loadedBy(['--help']), { sodium: false, sqlite: false });
  assert.deepEqual(await loadedBy(['keys', 'new', '--json']), { sodium: true, sqlite: false });
});
