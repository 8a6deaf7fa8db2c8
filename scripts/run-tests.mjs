#!/usr/bin/env node
// Runs every *.test.ts of the workspaces with Node's own test runner (through tsx), because
// Node 20's `--test` takes no glob patterns. Extra arguments are passed to `node --test`
// (e.g. `npm test -- --test-name-pattern=mnemonic`); a path argument narrows the search.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const roots = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const searchRoots = roots.length > 0 ? roots : ['packages', 'apps', 'tests'];
const files = searchRoots.flatMap((r) => walk(join(root, r), [])).sort();
if (files.length === 0) {
  console.error('run-tests: no *.test.ts files found under ' + searchRoots.join(', '));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
