/**
 * Generates the V2 known-answer vectors in `vectors/v2/` (dm.json, non-pfs-dm.json,
 * account-pubkeys.json, account-key-rotation.json) from the builders in
 * `src/test-support/v2-vectors.ts`. Upstream has no fixed V2 vectors (protocol-v2.md §0): these
 * derandomise every ephemeral with a seeded Rng, and record the draws and intermediates so a
 * libsession build can be checked against them. The tests in `src/v2/` rebuild each file and
 * compare byte for byte, so after an intended format change, rerun this and review the diff.
 *
 * Run from the repository root: `node --import tsx packages/core/scripts/generate-v2-vectors.ts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { v2VectorDocuments } from '../src/test-support/v2-vectors.ts';

const dir = new URL('../vectors/v2/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, document] of Object.entries(v2VectorDocuments())) {
  writeFileSync(new URL(name, dir), `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote vectors/v2/${name}\n`);
}
