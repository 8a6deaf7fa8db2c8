/**
 * Swarm assignment (oxen-core `calc_swarm_changes` with configurable sizing): fixed cases for
 * the new-swarm id and the small-network rules, and properties over random sequences of nodes
 * joining and leaving, checked after every step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SWARM_SIZING, INVALID_SWARM_ID, type SwarmSizing } from '@session-ts/core';
import { assignSwarms, createSwarmRandom, newSwarmId, type SwarmMap } from './swarm-assignment.ts';

const node = (i: number): string => i.toString(16).padStart(64, '0');
const nodes = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => node(from + i));
const sizes = (swarms: SwarmMap): number[] => [...swarms.values()].map((m) => m.length).sort();

test('new swarm ids: midpoint of the widest gap, wrapping (oxen-core get_new_swarm_id)', () => {
  assert.equal(newSwarmId([]), 0n);
  // One swarm at 0: the whole circle is the gap; MAX_ID = 2^64 − 2, so the midpoint is 2^63 − 1.
  assert.equal(newSwarmId([0n]), (1n << 63n) - 1n);
  assert.equal(newSwarmId([0n, 100n]), (1n << 63n) + 49n);
  assert.equal(newSwarmId([0n, 1n << 62n, 1n << 63n]), (1n << 63n) + (1n << 62n) - 1n);
  assert.equal(newSwarmId([10n, 20n, 1000n]), (1n << 63n) + 504n);
  // Past the top the id wraps round to the bottom.
  assert.equal(newSwarmId([(1n << 64n) - 10n]), (1n << 63n) - 10n);
});

test('a devnet of one to a few nodes: one swarm, then splits as the sizing says', () => {
  const devnet: SwarmSizing = { minSize: 1, idealSize: 2, newSwarmSize: 2, maxSize: 3, buffer: 0 };
  let swarms = assignSwarms(new Map(), [node(1)], devnet, 1n);
  assert.deepEqual([...swarms], [[0n, [node(1)]]]);
  swarms = assignSwarms(swarms, [node(2), node(3)], devnet, 2n);
  assert.deepEqual(sizes(swarms), [3]);
  // A fourth node: excess 3 ≥ newSwarmSize + 1 × margin → split into 2 + 2.
  swarms = assignSwarms(swarms, [node(4)], devnet, 3n);
  assert.deepEqual(sizes(swarms), [2, 2]);
  // Upstream's defaults keep everything in swarm 0 until the excess allows a second swarm of 7.
  let big = assignSwarms(new Map(), nodes(0, 13), DEFAULT_SWARM_SIZING, 4n);
  assert.deepEqual(sizes(big), [13]);
  big = assignSwarms(big, [node(13)], DEFAULT_SWARM_SIZING, 5n);
  assert.deepEqual(sizes(big), [7, 7]);
});

test('a swarm below the minimum is refilled, or dissolved into the others', () => {
  const sizing: SwarmSizing = { minSize: 2, idealSize: 2, newSwarmSize: 2, maxSize: 4, buffer: 0 };
  const two: SwarmMap = new Map([
    [0n, [node(1), node(2)]],
    [1n << 63n, [node(3), node(4)]],
  ]);
  // Node 4 leaves: swarm 2^63 has one node, nobody can spare one, so it dissolves into swarm 0.
  const after = assignSwarms(
    new Map([
      [0n, [node(1), node(2)]],
      [1n << 63n, [node(3)]],
    ]),
    [],
    sizing,
    9n,
  );
  assert.deepEqual([...after], [[0n, [node(1), node(2), node(3)]]]);
  // With a large neighbour the starving swarm is refilled instead (Robin Hood round).
  const refilled = assignSwarms(
    new Map([
      [0n, [node(1), node(2), node(5), node(6)]],
      [1n << 63n, [node(3)]],
    ]),
    [],
    sizing,
    9n,
  );
  assert.deepEqual(sizes(refilled), [2, 3]);
  assert.equal(refilled.get(1n << 63n)?.[0], node(3));
  assert.deepEqual(sizes(assignSwarms(two, [], sizing, 1n)), [2, 2]);
});

test('the random source is uniform enough and deterministic', () => {
  const a = createSwarmRandom(42n);
  const b = createSwarmRandom(42n);
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) {
    const x = a.below(3);
    assert.equal(x, b.below(3));
    counts[x] = (counts[x] ?? 0) + 1;
  }
  for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts.join(',')}`);
  assert.throws(() => a.below(0), RangeError);
});

const sizingArb: fc.Arbitrary<SwarmSizing> = fc
  .record({
    min: fc.integer({ min: 1, max: 5 }),
    margin: fc.integer({ min: 0, max: 3 }),
    extraMax: fc.integer({ min: 0, max: 4 }),
    buffer: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ min, margin, extraMax, buffer }) => ({
    minSize: min,
    idealSize: min + margin,
    newSwarmSize: min + margin,
    maxSize: min + margin + extraMax,
    buffer,
  }));

/** A step: some nodes join, some (by index into the current list) leave. */
const stepArb = fc.record({
  join: fc.integer({ min: 0, max: 12 }),
  leave: fc.array(fc.nat(), { maxLength: 6 }),
  seed: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
});

function totalExcess(swarms: SwarmMap, min: number): number {
  let e = 0;
  for (const m of swarms.values()) e += Math.max(0, m.length - min);
  return e;
}

test('property: every node in exactly one swarm, swarms healthy, no split left pending', () => {
  fc.assert(
    fc.property(sizingArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), (sizing, steps) => {
      let swarms: SwarmMap = new Map();
      let next = 0;
      for (const step of steps) {
        const present = [...swarms.values()].flat();
        const leaving = new Set(step.leave.map((i) => present[i % Math.max(present.length, 1)]));
        const kept: SwarmMap = new Map(
          [...swarms].map(([id, m]) => [id, m.filter((n) => !leaving.has(n))]),
        );
        const joining = nodes(next, step.join);
        next += step.join;
        const before = new Map<string, bigint>();
        for (const [id, m] of kept) for (const n of m) before.set(n, id);

        const result = assignSwarms(kept, joining, sizing, step.seed);
        // Deterministic, and the inputs are untouched.
        assert.deepEqual(assignSwarms(kept, joining, sizing, step.seed), result);

        const expected = [...before.keys(), ...joining].sort();
        const all = [...result.values()].flat().sort();
        assert.deepEqual(all, expected, 'each node exactly once');
        for (const [id, m] of result) {
          assert.ok(id !== INVALID_SWARM_ID && id >= 0n && id < 1n << 64n);
          assert.ok(m.length > 0, 'no empty swarm');
          if (result.size > 1) assert.ok(m.length >= sizing.minSize, `swarm of ${m.length}`);
        }
        const starving = [...result.values()].some((m) => m.length < sizing.minSize);
        if (!starving) {
          const excess = totalExcess(result, sizing.minSize);
          const margin = sizing.idealSize - sizing.minSize;
          assert.ok(excess < sizing.newSwarmSize + result.size * margin, 'upstream split pending');
          const oversized = [...result.values()].some((m) => m.length > sizing.maxSize);
          assert.ok(!oversized || excess < sizing.newSwarmSize + sizing.buffer, 'max rule pending');
        }
        // Stability: when no swarm appeared or vanished and nobody left, nobody moved.
        const sameIds =
          [...result.keys()].sort().join() ===
          [...kept.keys()]
            .filter((id) => (kept.get(id)?.length ?? 0) > 0)
            .sort()
            .join();
        if (sameIds && leaving.size === 0) {
          for (const [id, m] of result)
            for (const n of m) {
              if (before.has(n)) assert.equal(before.get(n), id, 'an existing node moved');
            }
        }
        swarms = result;
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a new swarm id is never an existing one nor INVALID_SWARM_ID', () => {
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 2n });
  fc.assert(
    fc.property(fc.uniqueArray(u64, { maxLength: 30 }), (ids) => {
      const id = newSwarmId(ids);
      assert.ok(!ids.includes(id) || ids.length === 0);
      assert.notEqual(id, INVALID_SWARM_ID);
    }),
    { numRuns: 1000 },
  );
});
