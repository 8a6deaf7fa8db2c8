/**
 * `npm run bench`: runs every benchmark pair and prints a table, or one JSON object with
 * `--json`. `--quick` shortens the rounds (for a smoke run, not for numbers).
 */
import { coreCases } from './core-cases.ts';
import { deviceGroupCases } from './device-group-cases.ts';
import { formatTable, runPairs, runPairsAsync } from './harness.ts';
import { onionLatencyResults, onionRelayCases } from './onion-cases.ts';
import { serviceNodeResults } from './service-node-cases.ts';
import { v2Cases } from './v2-cases.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const options = quick ? { roundMs: 50, rounds: 1 } : { roundMs: 700, rounds: 5 };

const results = [
  ...runPairs([...coreCases(), ...deviceGroupCases()], options),
  ...(await runPairsAsync(await v2Cases(), options)),
  ...(await serviceNodeResults({ quick })),
  ...runPairs(onionRelayCases(), options),
  ...(await onionLatencyResults({ quick })),
];
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
