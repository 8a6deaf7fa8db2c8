/**
 * `npm run bench`: runs every benchmark pair and prints a table, or one JSON object with
 * `--json`. `--quick` shortens the rounds (for a smoke run, not for numbers). `--only a,b` runs
 * only the named groups (core, device-group, v2, service-node, onion, sdk), e.g.
 * `npm run bench -- --only sdk`.
 */
import { coreCases } from './core-cases.ts';
import { deviceGroupCases } from './device-group-cases.ts';
import { formatTable, runPairs, runPairsAsync, type BenchResult } from './harness.ts';
import { onionLatencyResults, onionRelayCases } from './onion-cases.ts';
import { sdkResults } from './sdk-cases.ts';
import { serviceNodeResults } from './service-node-cases.ts';
import { v2Cases } from './v2-cases.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const options = quick ? { roundMs: 50, rounds: 1 } : { roundMs: 700, rounds: 5 };

// Each group runs only when selected, so `--only` skips the setup of the others too.
const groups: Record<string, () => Promise<BenchResult[]>> = {
  core: () => Promise.resolve(runPairs(coreCases(), options)),
  'device-group': () => Promise.resolve(runPairs(deviceGroupCases(), options)),
  v2: async () => runPairsAsync(await v2Cases(), options),
  'service-node': () => serviceNodeResults({ quick }),
  onion: async () => [
    ...runPairs(onionRelayCases(), options),
    ...(await onionLatencyResults({ quick })),
  ],
  sdk: () => sdkResults({ quick }),
};
const onlyAt = args.indexOf('--only');
const only = onlyAt < 0 ? Object.keys(groups) : (args[onlyAt + 1] ?? '').split(',');
const unknown = only.filter((g) => !(g in groups));
if (unknown.length > 0 || only.length === 0) {
  console.error(
    `--only: expected some of ${Object.keys(groups).join(', ')}; got ${unknown.join(', ')}`,
  );
  process.exit(2);
}
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(groups)) {
  if (only.includes(name)) results.push(...(await run()));
}
if (json) {
  console.log(
    JSON.stringify({
      node: process.version,
      cpus: (await import('node:os')).availableParallelism(),
      options,
      results,
    }),
  );
} else {
  console.log(
    `session-ts benchmarks (node ${process.version}; median of ${options.rounds} rounds)`,
  );
  console.log(formatTable(results));
}
