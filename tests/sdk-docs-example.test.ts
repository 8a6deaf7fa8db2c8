/**
 * Keeps docs/sdk.md's usage example true: the fenced ```ts block that follows the marker
 * comment `<!-- sdk-example: tested by tests/sdk-docs-example.test.ts -->` is extracted exactly
 * as written, saved under `.docs-examples/` in the repository (git-ignored; inside the repo so
 * its `@session-ts/*` imports resolve as an app's would), and run with tsx in a child process.
 * The example starts its own in-process network, so this test passes only if the example
 * exits cleanly and prints what the docs say it prints: two accounts, a V2 PFS message each
 * way, a message request and its acceptance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = '<!-- sdk-example: tested by tests/sdk-docs-example.test.ts -->';

/** The code of the one ```ts block right after the marker (a blank line between is allowed). */
function extractExample(markdown: string): string {
  const at = markdown.indexOf(MARKER);
  if (at < 0) throw new Error(`docs/sdk.md: marker ${MARKER} not found`);
  if (markdown.indexOf(MARKER, at + MARKER.length) >= 0) {
    throw new Error('docs/sdk.md: the example marker appears twice');
  }
  const rest = markdown.slice(at + MARKER.length);
  const fence = /^\s*```ts\n([\s\S]*?)\n```\n/.exec(rest);
  if (fence?.[1] === undefined) throw new Error('docs/sdk.md: no ```ts block after the marker');
  return `${fence[1]}\n`;
}

test('extractExample takes the marked block only', () => {
  const md = `# x\n\n\`\`\`ts\nnot this\n\`\`\`\n\n${MARKER}\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\n`;
  assert.equal(extractExample(md), 'const a = 1;\n');
  assert.throws(() => extractExample('no marker'), /not found/);
  assert.throws(() => extractExample(`${MARKER}\n\ntext\n`), /no ```ts block/);
});

test("docs/sdk.md's usage example runs and prints what it promises", async () => {
  const code = extractExample(readFileSync(join(ROOT, 'docs', 'sdk.md'), 'utf8'));
  const base = join(ROOT, '.docs-examples');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'sdk-'));
  try {
    const file = join(dir, 'sdk-example.ts');
    writeFileSync(file, code);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', file],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 20 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the example failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    });
    // The example's logger prefixes bugs with `error:` (warnings are network weather).
    assert.doesNotMatch(stderr, /^error:/m, stderr);
    const lines = stdout.trim().split('\n');
    const id = (who: string): string => {
      const m = new RegExp(`^${who}: (05[0-9a-f]{64})$`).exec(
        lines.find((l) => l.startsWith(`${who}: 05`)) ?? '',
      );
      assert.ok(m?.[1] !== undefined, `${who}'s Session ID is printed:\n${stdout}`);
      return m[1];
    };
    const alice = id('alice');
    const bob = id('bob');
    assert.notEqual(alice, bob);
    const expected = [
      'alice: recovery password of 13 words',
      'alice sent: "Hello Bob!" (sent, pfs)',
      `bob: message request from ${alice}`,
      'bob received: "Hello Bob!" (pfs)',
      'bob poll: 1 handled, 0 undecryptable',
      'alice received: "Hi Alice, got it." (pfs)',
      'alice history: outgoing "Hello Bob!", incoming "Hi Alice, got it."',
      'done',
    ];
    for (const line of expected)
      assert.ok(lines.includes(line), `missing "${line}" in:\n${stdout}`);
    // Events arrive during the poll that finds them, before the poll returns.
    assert.ok(
      lines.indexOf('bob received: "Hello Bob!" (pfs)') <
        lines.indexOf('bob poll: 1 handled, 0 undecryptable'),
    );
    assert.equal(lines.at(-1), 'done');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
