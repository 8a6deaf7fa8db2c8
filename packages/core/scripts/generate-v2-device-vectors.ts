/**
 * Generates the device-group, link-request and SAS known-answer vectors in `vectors/v2/`
 * (device-group-1.json, device-group-5-with-removal.json, link-request.json, sas.json) from the
 * builders in `src/test-support/v2-device-vectors.ts`. Upstream has no fixed vectors for these
 * (protocol-v2.md §0): every ephemeral, KEM coin, key_base and shuffle is derandomised with a
 * seeded Rng. The tests rebuild each file and compare byte for byte, so after an intended
 * format change, rerun this and review the diff.
 *
 * Run from the repository root:
 * `node --import tsx packages/core/scripts/generate-v2-device-vectors.ts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { v2DeviceVectorDocuments } from '../src/test-support/v2-device-vectors.ts';

const dir = new URL('../vectors/v2/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, document] of Object.entries(v2DeviceVectorDocuments())) {
  writeFileSync(new URL(name, dir), `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote vectors/v2/${name}\n`);
}
