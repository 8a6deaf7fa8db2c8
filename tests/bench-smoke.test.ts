/**
 * Keeps the benchmark code runnable: each pair runs once for a few milliseconds and must report
 * positive rates. No timing is asserted here; speed is measured by `npm run bench`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreCases } from '../bench/core-cases.ts';
import { deviceGroupCases } from '../bench/device-group-cases.ts';
import { formatTable, runPairs, runPairsAsync } from '../bench/harness.ts';
import { onionLatencyResults, onionRelayCases } from '../bench/onion-cases.ts';
import { sdkResults } from '../bench/sdk-cases.ts';
import { v2Cases } from '../bench/v2-cases.ts';

test('every benchmark pair runs and reports a rate', () => {
  const results = runPairs(coreCases(), { roundMs: 5, rounds: 1 });
  assert.ok(results.length >= 3);
  for (const r of results) {
    assert.ok(r.subjectOpsPerSec > 0 && r.baselineOpsPerSec > 0, r.name);
    assert.ok(Number.isFinite(r.ratio));
  }
  assert.match(formatTable(results), /V1 encrypt 1 KiB/);
});

test('the device-group benchmark pairs run and report a rate', () => {
  const results = runPairs(deviceGroupCases([1, 4]), { roundMs: 5, rounds: 1 });
  assert.equal(results.length, 3);
  for (const r of results) assert.ok(r.subjectOpsPerSec > 0 && r.baselineOpsPerSec > 0, r.name);
});

test('the V2 DM benchmark pairs (against libsignal) run and report a rate', async () => {
  const results = await runPairsAsync(await v2Cases(), { roundMs: 5, rounds: 1 });
  assert.equal(results.length, 4);
  for (const r of results) {
    assert.ok(r.subjectOpsPerSec > 0 && r.baselineOpsPerSec > 0, r.name);
    assert.ok(Number.isFinite(r.ratio));
  }
  assert.match(formatTable(results), /V2 DM send 1 KiB vs PQXDH handshake/);
});

test('the onion benchmarks run: relay vs raw crypto, and 3-hop vs direct latency', async () => {
  const results = [
    ...runPairs(onionRelayCases(), { roundMs: 5, rounds: 1 }),
    ...(await onionLatencyResults({ quick: true })),
  ];
  assert.equal(results.length, 3);
  for (const r of results) assert.ok(r.subjectOpsPerSec > 0 && r.baselineOpsPerSec > 0, r.name);
  assert.match(formatTable(results), /3-hop onion request vs direct/);
});

test('the SDK benchmarks run: receive throughput per store, and the 10-day catch-up', async () => {
  const results = await sdkResults({ quick: true });
  assert.equal(results.length, 3);
  for (const r of results) {
    assert.ok(r.subjectOpsPerSec > 0 && r.baselineOpsPerSec > 0, r.name);
    assert.ok(Number.isFinite(r.ratio));
  }
  const table = formatTable(results);
  assert.match(table, /SDK receive: .* memory store/);
  assert.match(table, /SDK receive: .* encrypted SQLite store/);
  assert.match(table, /SDK catch-up: 10 days offline, .* wall time \d+\.\d\d s/);
});
