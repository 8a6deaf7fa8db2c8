/**
 * Generates the onion-request vectors in `vectors/onion/` (framing.json, layer-ciphers.json,
 * onion-3-hop-aes-gcm.json, onion-3-hop-xchacha20.json, onion-v4.json) from the builders in
 * `src/test-support/onion-vectors.ts`. Upstream has no fixed onion vectors: these derandomise
 * every ephemeral key and IV with a seeded Rng and record the draws and intermediates. The tests
 * in `src/onion/` rebuild each file and compare byte for byte, so after an intended format
 * change, rerun this and review the diff.
 *
 * Run from the repository root: `node --import tsx packages/core/scripts/generate-onion-vectors.ts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { onionVectorDocuments } from '../src/test-support/onion-vectors.ts';

const dir = new URL('../vectors/onion/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, document] of Object.entries(onionVectorDocuments())) {
  writeFileSync(new URL(name, dir), `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote vectors/onion/${name}\n`);
}
