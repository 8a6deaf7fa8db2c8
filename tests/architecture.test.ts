/**
 * The architecture test: the real tree keeps the layering rules of docs/architecture.md, and
 * the checker itself catches each kind of violation (so this test can fail).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkArchitecture, type SourceFile } from './architecture/check-architecture.ts';

const root = join(import.meta.dirname, '..');

function sources(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'gen') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        files.push({
          path: relative(root, full).split('\\').join('/'),
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  for (const top of ['packages', 'apps']) if (existsSync(join(root, top))) walk(join(root, top));
  return files;
}

test('the source tree keeps the layering rules', () => {
  const files = sources();
  assert.ok(files.length > 10, 'expected to find the workspace sources');
  assert.deepEqual(checkArchitecture(files), []);
});

test('every workspace package exposes only its index.ts', () => {
  for (const top of ['packages', 'apps']) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgPath = join(dir, name, 'package.json');
      if (!existsSync(pkgPath)) continue;
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
        exports?: unknown;
        license?: string;
      };
      assert.equal(pkg.license, 'Apache-2.0', `${top}/${name}: license`);
      if (top === 'packages')
        assert.deepEqual(pkg.exports, { '.': './src/index.ts' }, `${top}/${name}: exports`);
    }
  }
});

test('the checker catches each kind of violation', () => {
  const cases: [SourceFile, string][] = [
    [{ path: 'packages/core/src/a.ts', text: "import { x } from '@session-ts/net';" }, 'layer'],
    [
      {
        path: 'packages/net/src/a.ts',
        text: "import { x } from '@session-ts/core/src/errors.ts';",
      },
      'deep-import',
    ],
    [
      { path: 'packages/net/src/a.ts', text: "import { x } from '../../core/src/errors.ts';" },
      'relative-escape',
    ],
    [{ path: 'packages/sdk/src/a.ts', text: "export * from '@session-ts/service-node';" }, 'layer'],
    [
      { path: 'packages/sdk/src/a.ts', text: "const m = await import('@session-ts/testnet');" },
      'layer',
    ],
    [
      { path: 'packages/core/src/v1/a.ts', text: "import sodium from 'sodium-native';" },
      'crypto-library',
    ],
    [
      { path: 'packages/net/src/a.ts', text: "import { randomBytes } from 'node:crypto';" },
      'crypto-library',
    ],
    [
      { path: 'packages/core/src/a.ts', text: "import { readFileSync } from 'node:fs';" },
      'core-io',
    ],
    [
      { path: 'packages/core/src/a.ts', text: 'export const now = () => Date.now();' },
      'core-clock',
    ],
    [
      { path: 'packages/core/src/a.ts', text: 'export const r = () => Math.random();' },
      'core-randomness',
    ],
    [
      { path: 'packages/core/src/v1/b.ts', text: 'const rng = createSystemRng();' },
      'core-randomness',
    ],
    [
      { path: 'packages/net/src/a.ts', text: 'export const p = process.env.PORT;' },
      'ambient-config',
    ],
    [
      { path: 'packages/mystery/src/a.ts', text: "import { x } from '@session-ts/core';" },
      'unknown-layer',
    ],
  ];
  for (const [file, rule] of cases) {
    const found = checkArchitecture([file]).map((v) => v.rule);
    assert.ok(
      found.includes(rule),
      `${file.path}: expected ${rule}, got ${found.join(',') || 'nothing'}`,
    );
  }
  // the allowed shapes pass
  assert.deepEqual(
    checkArchitecture([
      {
        path: 'packages/net/src/a.ts',
        text: "import { x } from '@session-ts/core';\nimport { y } from './b.ts';",
      },
      { path: 'packages/net/src/main.ts', text: 'const p = process.env.PORT;' },
      {
        path: 'apps/cli/src/a.ts',
        text: "import { x } from '@session-ts/testnet'; const a = process.argv;",
      },
      {
        path: 'packages/core/src/a.test.ts',
        text: "import { readFileSync } from 'node:fs'; Date.now();",
      },
      { path: 'packages/core/src/a.ts', text: '// Date.now() is not called here\nexport {};' },
    ]),
    [],
  );
});
