/**
 * `npm run sim -- [--seed S] [--messages N] [--rounds R] [--accounts A] [--max-devices D]
 * [--send-rate P] [--storage memory] [--scenario sync|dm|both]`: the long deterministic simulation.
 *
 * With `--messages N` it runs the conversation scenario (only) until N messages have been
 * sent. Prints one JSON line with the metrics of each scenario (plus wall time and messages/s)
 * and exits non-zero when an invariant is broken (config: undecryptable, divergent devices,
 * lost edits; conversations: dm-invariants.ts — lost, duplicated, undecryptable, missing sync
 * copies, reads after removal, send errors).
 */
import { parseArgs } from 'node:util';
import { QUICK_SIM, runSyncSimulation } from './sync-scenario.ts';
import { QUICK_DM_SIM, brokenInvariants, runDmSimulation } from './dm-scenario.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    messages: { type: 'string' },
    rounds: { type: 'string' },
    accounts: { type: 'string', default: '6' },
    'send-rate': { type: 'string', default: '0.3' },
    'max-devices': { type: 'string', default: '10' },
    storage: { type: 'string', default: 'sqlite' },
    scenario: { type: 'string' },
  },
});
const seed = Number(values.seed);
const messages = values.messages === undefined ? undefined : Number(values.messages);
const scenario = values.scenario ?? (messages === undefined ? 'both' : 'dm');
const accounts = Number(values.accounts);
const maxDevices = Number(values['max-devices']);
const storage = values.storage === 'memory' ? 'memory' : 'sqlite';
const HOUR = 3_600_000;
const out: Record<string, unknown> = { seed };
let broken = 0;
// A rejection nobody handled is a bug in the code under test: count it, keep its first
// stack, and fail the run rather than dying without the metrics.
const unhandled: string[] = [];
process.on('unhandledRejection', (error) => {
  unhandled.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
});

if (scenario !== 'dm') {
  const started = performance.now();
  // Hourly rounds: rates per round scaled from the quick run's 6-hour rounds.
  const m = await runSyncSimulation({
    ...QUICK_SIM,
    seed,
    rounds: Number(values.rounds ?? 240),
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
if (scenario !== 'sync') {
  const started = performance.now();
  // Hourly rounds; with a message target the round limit is only a backstop.
  const rounds = Number(values.rounds ?? (messages === undefined ? 240 : 1_000_000));
  let nextReport = 1000;
  const m = await runDmSimulation({
    ...QUICK_DM_SIM,
    seed,
    rounds,
    ...(messages === undefined ? {} : { messages }),
    accounts,
    maxDevices,
    storage,
    roundMs: HOUR,
    sendRate: Number(values['send-rate']),
    offlineRate: QUICK_DM_SIM.offlineRate / 6,
    crashRate: QUICK_DM_SIM.crashRate / 6,
    linkRate: QUICK_DM_SIM.linkRate / 6,
    // One removal per ~2,000 messages (at least 2), spread over the run.
    removals: Math.max(2, Math.floor((messages ?? 0) / 2000)),
    onRound: (p) => {
      // Progress on stderr, so a long run shows its pace; stdout stays one JSON line.
      if (p.sent >= nextReport) {
        nextReport += 1000;
        const s = Math.round((performance.now() - started) / 1000);
        process.stderr.write(`sent ${p.sent} round ${p.rounds} devices ${p.devices} ${s}s\n`);
      }
    },
  });
  const wallMs = Math.round(performance.now() - started);
  const perSecond = Math.round((m.sent / (wallMs / 1000)) * 10) / 10;
  out['dm'] = { ...m, wallMs, messagesPerSecond: perSecond };
  broken += brokenInvariants(m);
}
out['unhandledRejections'] = unhandled.length;
if (unhandled.length > 0) out['firstUnhandledRejection'] = unhandled[0]?.slice(0, 2000);
broken += unhandled.length;
console.log(JSON.stringify(out));
process.exitCode = broken === 0 ? 0 : 1;
