/**
 * `npm run sim -- [--seed S] [--rounds N] [--accounts A] [--max-devices D] [--storage memory]
 * [--scenario sync|dm|both]`: the long deterministic simulation. Prints one JSON line with the
 * metrics of each scenario and exits non-zero when an invariant is broken (config:
 * undecryptable, divergent devices, lost edits; DMs: lost, duplicated, missing sync copies).
 */
import { parseArgs } from 'node:util';
import { QUICK_SIM, runSyncSimulation } from './sync-scenario.ts';
import { QUICK_DM_SIM, runDmSimulation } from './dm-scenario.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '240' },
    accounts: { type: 'string', default: '6' },
    'max-devices': { type: 'string', default: '10' },
    storage: { type: 'string', default: 'sqlite' },
    scenario: { type: 'string', default: 'both' },
  },
});
const seed = Number(values.seed);
const rounds = Number(values.rounds);
const accounts = Number(values.accounts);
const maxDevices = Number(values['max-devices']);
const storage = values.storage === 'memory' ? 'memory' : 'sqlite';
const HOUR = 3_600_000;
const out: Record<string, unknown> = { seed };
let broken = 0;

if (values.scenario !== 'dm') {
  const started = performance.now();
  // Hourly rounds: rates per round scaled from the quick run's 6-hour rounds.
  const m = await runSyncSimulation({
    ...QUICK_SIM,
    seed,
    rounds,
    accounts,
    maxDevices,
    storage,
    roundMs: HOUR,
    offlineRate: QUICK_SIM.offlineRate / 6,
    crashRate: QUICK_SIM.crashRate / 6,
    editRate: 0.1,
  });
  out['sync'] = { ...m, wallMs: Math.round(performance.now() - started) };
  broken += m.undecryptable + m.divergentDevices + m.lostEdits;
}
if (values.scenario !== 'sync') {
  const started = performance.now();
  const m = await runDmSimulation({
    ...QUICK_DM_SIM,
    seed,
    rounds,
    accounts,
    maxDevices,
    storage,
    roundMs: HOUR,
    sendRate: 0.1,
    offlineRate: QUICK_DM_SIM.offlineRate / 6,
    crashRate: QUICK_DM_SIM.crashRate / 6,
    linkRate: QUICK_DM_SIM.linkRate / 6,
  });
  out['dm'] = { ...m, wallMs: Math.round(performance.now() - started) };
  broken += m.lost + m.duplicated + m.syncMissing;
}
console.log(JSON.stringify(out));
process.exitCode = broken === 0 ? 0 : 1;
