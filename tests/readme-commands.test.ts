/**
 * README commands cannot rot (issue #7). Every shell command in README.md's code blocks — the
 * lines of ```sh blocks and the `$ ` lines of ```console transcripts — must match a row of
 * `COVERAGE` below, which says how it is kept true:
 *
 * - `run`: an offline command, run here for real (the README's exact words, through the real
 *   binary) and its exit code and output shape checked;
 * - `tested`: a network command, exercised in the named test file, which must contain the given
 *   text (the arguments as that test passes them; whitespace does not count);
 * - `npm`: an npm command; its script must exist in package.json (`npm ci`: the lock file).
 *
 * A README command no row matches fails (add a row, and the test that backs it); a row no README
 * command matches fails too, so the table cannot keep describing commands that are gone. Every
 * session-cli command the README shows must also be one `session-cli --help` lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliRun } from '@session-ts/testnet';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'apps', 'cli', 'bin', 'session-cli.js');
const E2E = 'tests/e2e-scenario.test.ts';
const CLIENT = 'apps/cli/src/client-commands.test.ts';
const DAEMONS = 'apps/cli/src/daemons.test.ts';
const DEVNET = 'apps/cli/src/devnet.test.ts';

/** One command as the README shows it. */
interface ReadmeCommand {
  readonly line: number;
  /** Without `npx ` and without a trailing comment. */
  readonly command: string;
  /** The `# …` after it, if any. */
  readonly comment: string | undefined;
}

type Coverage =
  | { readonly run: (r: CliRun, c: ReadmeCommand) => void }
  | { readonly tested: string; readonly shows: string }
  | { readonly npm: true };

const SESSION_ID = /05[0-9a-f]{64}/;

/** How each README command is kept true; the first matching row counts. */
const COVERAGE: readonly (readonly [RegExp, Coverage])[] = [
  [
    /^session-cli --help$/,
    {
      run: (r) => {
        assert.match(r.out, /^Usage:$/m);
        assert.match(r.out, /Exit codes: 0 ok, 2 bad input, 1 failure/);
      },
    },
  ],
  [
    /^session-cli keys new$/,
    {
      run: (r) => {
        assert.match(r.out, new RegExp(`^Session ID: +${SESSION_ID.source}$`, 'm'));
        assert.match(r.out, /^Recovery password: +([a-z]+ ){12}[a-z]+$/m);
      },
    },
  ],
  [
    /^session-cli keys restore "[a-z ]+" --json$/,
    {
      run: (r, c) => {
        const j = JSON.parse(r.out) as { sessionId: string; recoveryPassword: string };
        assert.match(j.sessionId, new RegExp(`^${SESSION_ID.source}$`));
        assert.equal(`"${j.recoveryPassword}"`, /"[a-z ]+"/.exec(c.command)?.[0]);
      },
    },
  ],
  [
    /^session-cli mnemonic (en|de)code /,
    // The README's comment is the output it promises.
    { run: (r, c) => assert.equal(r.out.trim(), c.comment) },
  ],
  [/^session-cli seed run /, { tested: DAEMONS, shows: "'seed', 'run'" }],
  [/^session-cli node run /, { tested: DAEMONS, shows: "'node', 'run'" }],
  [/^session-cli account create /, { tested: E2E, shows: "'account', 'create'" }],
  [/^session-cli account restore /, { tested: E2E, shows: "'account', 'restore'" }],
  [/^session-cli account show /, { tested: E2E, shows: "'account', 'show'" }],
  [/^session-cli profile set /, { tested: E2E, shows: "'profile', 'set', '--name'" }],
  [/^session-cli send /, { tested: E2E, shows: "'send', " }],
  [/^session-cli receive .*--follow/, { tested: CLIENT, shows: "'receive', '--follow'" }],
  [/^session-cli receive /, { tested: E2E, shows: "'receive'" }],
  [/^session-cli requests list /, { tested: E2E, shows: "'requests', 'list'" }],
  [/^session-cli requests accept /, { tested: E2E, shows: "'requests', 'accept'" }],
  [/^session-cli conversations /, { tested: E2E, shows: "'conversations'" }],
  [/^session-cli contacts /, { tested: E2E, shows: "'contacts'" }],
  [/^session-cli disappearing set /, { tested: E2E, shows: "'disappearing', 'set'" }],
  [
    /^session-cli devices link --confirm /,
    { tested: E2E, shows: "'devices', 'link', '--confirm'" },
  ],
  [/^session-cli devices list /, { tested: E2E, shows: "'devices', 'list'" }],
  [/^session-cli devices remove /, { tested: E2E, shows: "'devices', 'remove'" }],
  [
    /^session-cli devices require-approval /,
    { tested: E2E, shows: "'devices', 'require-approval', 'on'" },
  ],
  [/^session-cli devices approve /, { tested: E2E, shows: "'devices', 'approve'" }],
  [/^npm start$/, { tested: DEVNET, shows: 'npm start runs devnet up' }],
  [/^npm (ci|test)$|^npm run [a-z:]+( -- .*)?$/, { npm: true }],
];

/** The shell commands of README.md's code blocks. */
function readmeCommands(markdown: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  let fence: string | undefined;
  for (const [i, raw] of markdown.split('\n').entries()) {
    const open = /^```(\w*)/.exec(raw);
    if (open !== null) {
      fence = fence === undefined ? open[1] || 'text' : undefined;
      continue;
    }
    let text: string;
    if (fence === 'sh' || fence === 'bash' || fence === 'shell') text = raw.trim();
    else if (fence === 'console' && raw.startsWith('$ ')) text = raw.slice(2).trim();
    else continue;
    if (text === '' || text.startsWith('#')) continue;
    const { command, comment } = splitComment(text);
    for (const part of command.split(' && ')) {
      out.push({ line: i + 1, command: part.trim().replace(/^npx /, ''), comment });
    }
  }
  return out;
}

/** Splits `cmd   # comment` at the first `#` outside quotes that follows a space. */
function splitComment(text: string): { command: string; comment: string | undefined } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && text[i - 1] === ' ') {
      return { command: text.slice(0, i).trim(), comment: text.slice(i + 1).trim() };
    }
  }
  return { command: text, comment: undefined };
}

const squash = (text: string): string => text.replace(/\s+/g, '');

/** Shell words: whitespace-separated, with "…" and '…' quoting. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return words;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(readme);
const rowOf = (c: ReadmeCommand) => COVERAGE.find(([pattern]) => pattern.test(c.command));

test('the README has commands, and every one of them is covered by a row', () => {
  assert.ok(commands.length >= 20, `found only ${commands.length} commands in README.md`);
  const uncovered = commands.filter((c) => rowOf(c) === undefined);
  assert.deepEqual(
    uncovered.map((c) => `README.md:${c.line}: ${c.command}`),
    [],
    'README commands with no test: add a row to COVERAGE (and the test behind it)',
  );
  const unused = COVERAGE.filter((row) => !commands.some((c) => rowOf(c) === row));
  assert.deepEqual(
    unused.map(([p]) => String(p)),
    [],
    'rows that match no README command: remove them',
  );
});

test('every session-cli command in the README is one session-cli --help lists', async () => {
  const help = await runCli(BIN, ['--help']);
  assert.equal(help.code, 0, help.err);
  const listed = new Set(
    [...help.out.matchAll(/^ {2}session-cli ((?:[a-z][a-z-]* ?)+)/gm)].map((m) =>
      (m[1] ?? '').trim(),
    ),
  );
  for (const c of commands.filter((x) => x.command.startsWith('session-cli '))) {
    const words = shellWords(c.command).slice(1);
    if (words[0] === '--help') continue;
    const path = [words[0], words[1]].filter((w) => w !== undefined && /^[a-z][a-z-]*$/.test(w));
    const known = listed.has(path.join(' ')) || listed.has(path[0] ?? '');
    assert.ok(known, `README.md:${c.line}: "${c.command}" is not a session-cli command`);
  }
});

test('offline README commands run as the README says', async () => {
  const offline = commands.filter((c) => {
    const row = rowOf(c);
    return row !== undefined && 'run' in row[1];
  });
  assert.ok(offline.length >= 3, 'the README shows offline commands');
  for (const c of offline) {
    const how = rowOf(c)?.[1];
    assert.ok(how !== undefined && 'run' in how);
    const r = await runCli(BIN, shellWords(c.command).slice(1));
    assert.equal(r.code, 0, `README.md:${c.line}: ${c.command} → ${r.code}: ${r.err}`);
    how.run(r, c);
  }
});

test('network README commands are exercised where the table says', () => {
  for (const c of commands) {
    const how = rowOf(c)?.[1];
    if (how === undefined || !('tested' in how)) continue;
    const path = join(ROOT, how.tested);
    assert.ok(existsSync(path), `${how.tested} exists`);
    assert.ok(
      // Whitespace aside: Prettier breaks long argument lists over lines.
      squash(readFileSync(path, 'utf8')).includes(squash(how.shows)),
      `README.md:${c.line}: "${c.command}" — ${how.tested} should contain ${how.shows}`,
    );
  }
});

test('npm commands in the README are scripts package.json has', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const c of commands.filter((x) => x.command.startsWith('npm '))) {
    const words = shellWords(c.command);
    if (words[1] === 'ci') {
      assert.ok(existsSync(join(ROOT, 'package-lock.json')), 'npm ci needs package-lock.json');
      continue;
    }
    const script = words[1] === 'run' ? words[2] : words[1];
    assert.ok(
      script !== undefined && pkg.scripts[script] !== undefined,
      `README.md:${c.line}: "${c.command}" — package.json has no script "${script}"`,
    );
  }
});
