/**
 * The short deterministic simulation that runs with `npm test` (the long one is
 * `npm run sim`, docs/simulation.md): real service nodes, many devices per account, weather,
 * the invariants of sync-scenario.ts and dm-invariants.ts at zero, and one seed giving one run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QUICK_SIM, runSyncSimulation } from './sync-scenario.ts';
import { createSimRng } from './sim-rng.ts';
import { QUICK_DM_SIM, brokenInvariants, runDmSimulation } from './dm-scenario.ts';

test('config sync converges across devices under delays, loss, crashes, skew and offline spells', async () => {
  const m = await runSyncSimulation(QUICK_SIM);
  assert.ok(m.accounts >= 5 && m.devices >= 5, JSON.stringify(m));
  assert.ok(
    m.edits > 50 && m.crashes > 0 && m.offlineSpells > 0 && m.restores > 0,
    JSON.stringify(m),
  );
  assert.equal(m.removals, 1);
  assert.equal(m.undecryptable, 0, JSON.stringify(m));
  assert.equal(m.divergentDevices, 0, JSON.stringify(m));
  assert.equal(m.lostEdits, 0, JSON.stringify(m));
});

test('the same seed gives the same run; a memory-store network works too', async () => {
  const small = { ...QUICK_SIM, seed: 7, rounds: 15, maxDevices: 4 };
  const a = await runSyncSimulation(small);
  const b = await runSyncSimulation(small);
  assert.deepEqual(a, b);
  const mem = await runSyncSimulation({ ...small, storage: 'memory' });
  assert.equal(mem.undecryptable + mem.divergentDevices + mem.lostEdits, 0, JSON.stringify(mem));
});

test('the seeded generator is deterministic and spread', () => {
  const r1 = createSimRng(42);
  const r2 = createSimRng(42);
  const xs = Array.from({ length: 1000 }, () => r1.int(10));
  assert.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => r2.int(10)),
  );
  for (let v = 0; v < 10; v++) assert.ok(xs.filter((x) => x === v).length > 50);
});

test('SDK clients over onion paths: DMs both ways, links, removals, crossing rotations, weather', async () => {
  const m = await runDmSimulation(QUICK_DM_SIM);
  const line = JSON.stringify(m);
  // The run exercised what the invariants are about.
  assert.ok(m.accounts >= 5 && m.sent > 20 && m.linked > 0 && m.offlineSpells > 0, line);
  assert.ok(m.swarms > 1 && m.crashes > 0 && m.lostRequests + m.lostAnswers > 0, line);
  assert.equal(m.removals, 2, line);
  assert.ok(m.accountRotations > 0 && m.crossingRotations > 0, line);
  assert.ok(m.linkSyncExpected > 0, line);
  assert.ok(m.expectedDeliveries > m.sent && m.syncExpected > 0, line);
  // The invariants.
  assert.equal(m.sendErrors, 0, line);
  assert.equal(m.lost, 0, line);
  assert.equal(m.duplicated, 0, line);
  assert.equal(m.undecryptable, 0, line);
  assert.equal(m.undecryptablePreLinkHistory, 0, line);
  assert.equal(m.syncMissing, 0, line);
  assert.equal(m.removedReadAfterRemoval, 0, line);
  assert.equal(m.linkSyncMissing, 0, line);
  assert.deepEqual(m.displacedDevices, [], line);
  assert.equal(brokenInvariants(m), 0, line);
});

test('a conversation run is reproducible bit for bit from its seed', async () => {
  const small = { ...QUICK_DM_SIM, seed: 11, rounds: 6, accounts: 5, maxDevices: 2 };
  const a = await runDmSimulation(small);
  const b = await runDmSimulation(small);
  assert.ok(a.storedOnNodes > 50 && a.sent > 5, JSON.stringify(a));
  assert.deepEqual(a, b);
  // The digest covers every stored message: another seed stores other ciphertexts.
  const c = await runDmSimulation({ ...small, seed: 12, rounds: 1 });
  assert.notEqual(c.storedDigest, a.storedDigest);
});

// A regression test: with the SDK of be8cddf this seed displaced a2d2 at simulated hour 12
// (a sibling that had not yet seen its link rotated the account key in tick and left it out of
// the group message; docs/simulation.md, "A device displaced without a removal").
test('no device finds itself displaced when nobody removed it (seed 4, two rounds)', async () => {
  let displaced: string[] = [];
  await runDmSimulation({
    ...QUICK_DM_SIM,
    seed: 4,
    onRound: (m) => {
      displaced = [...m.displacedDevices];
      // Two rounds showed it; stop there rather than run the whole scenario.
      if (m.rounds >= 2) throw new Error('stop');
    },
  }).catch((error: unknown) => {
    if (String(error) !== 'Error: stop') throw error;
  });
  assert.deepEqual(displaced, []);
});
