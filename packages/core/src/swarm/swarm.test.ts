/**
 * Swarm mapping against vectors/upstream/swarm-mapping.json (session-storage-server
 * unit_test/swarm.cpp) and the nearest-on-the-circle property.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import v from '../../vectors/upstream/swarm-mapping.json' with { type: 'json' };
import { fromHex } from '../encoding/hex.ts';
import { isProtocolError, type ProtocolErrorCode } from '../errors.ts';
import { SWARM_SPACE_MAX, swarmSpace } from './swarm-space.ts';
import {
  INVALID_SWARM_ID,
  chooseSwarm,
  swarmForAccount,
  swarmIdFromHex,
  swarmIdToHex,
} from './swarm-choice.ts';
import { DEFAULT_SWARM_SIZING, checkSwarmSizing } from './swarm-sizing.ts';

const fails = (code: ProtocolErrorCode) => (e: unknown) => isProtocolError(e, code);
const MOD = 1n << 64n;
const mod = (x: bigint) => ((x % MOD) + MOD) % MOD;

test('swarm_space vectors (session-storage-server unit_test/swarm.cpp)', () => {
  assert.ok(v.swarm_space.length > 0);
  for (const c of v.swarm_space) {
    const expected = BigInt(c.space);
    assert.equal(swarmSpace(c.pubkey), expected, c.pubkey);
    assert.equal(swarmSpace(fromHex(c.pubkey)), expected);
    assert.equal(swarmSpace(fromHex(c.pubkey).subarray(1)), expected);
    // The prefix byte plays no part.
    assert.equal(swarmSpace('00' + c.pubkey.slice(2)), expected);
  }
});

test('swarm_choice vectors (session-storage-server unit_test/swarm.cpp)', () => {
  assert.ok(v.swarm_choice.length > 0);
  for (const c of v.swarm_choice) {
    const ids = c.swarm_ids.map(BigInt);
    const value = BigInt(c.space);
    const expected = BigInt(c.expected);
    assert.equal(chooseSwarm(ids, value), expected, `value ${c.space}`);
    // Order and duplicates in the input do not matter.
    assert.equal(chooseSwarm([...ids].reverse(), value), expected);
    assert.equal(chooseSwarm([...ids, ...ids], value), expected);
  }
});

test('every vector account lands on the swarm its swarm-space value chooses', () => {
  const ids = v.swarm_choice.at(-1)!.swarm_ids.map(BigInt);
  for (const c of v.swarm_space) {
    assert.equal(swarmForAccount(c.pubkey, ids), chooseSwarm(ids, BigInt(c.space)));
  }
});

test('no swarm, one swarm, and the wrap-around tie', () => {
  assert.equal(chooseSwarm([], 5n), undefined);
  for (const value of [0n, 1n, 1n << 63n, SWARM_SPACE_MAX]) {
    assert.equal(chooseSwarm([42n], value), 42n);
  }
  // An exact tie goes to the left (preceding) neighbour: the lower id inside the list…
  assert.equal(chooseSwarm([0n, 10n], 5n), 0n);
  // …but across the wrap the left neighbour is the largest id.
  assert.equal(chooseSwarm([10n, SWARM_SPACE_MAX - 9n], 0n), SWARM_SPACE_MAX - 9n);
  assert.equal(chooseSwarm([0n, 1n << 63n], 1n << 62n), 0n);
  assert.equal(chooseSwarm([0n, 1n << 63n], 3n << 62n), 1n << 63n);
});

test('swarm ids in hex (network.md §12.3; upstream prints {:x})', () => {
  assert.equal(swarmIdToHex(100n), '0000000000000064');
  assert.equal(swarmIdToHex(0n), '0000000000000000');
  assert.equal(swarmIdToHex(INVALID_SWARM_ID), 'ffffffffffffffff');
  assert.equal(INVALID_SWARM_ID, (1n << 64n) - 1n);
  assert.equal(swarmIdFromHex('0000000000000064'), 100n);
  assert.equal(swarmIdFromHex('64'), 100n);
  assert.equal(swarmIdFromHex('FFFFFFFFFFFFFFFF'), INVALID_SWARM_ID);
  for (const c of v.swarm_choice.at(-1)!.swarm_ids) {
    assert.equal(swarmIdFromHex(swarmIdToHex(BigInt(c))), BigInt(c));
  }
  for (const bad of ['', 'xyz', '1'.repeat(17), '0x64', ' 64', '-1']) {
    assert.throws(() => swarmIdFromHex(bad), fails('invalid-hex'), bad);
  }
  assert.throws(() => swarmIdToHex(-1n), fails('invalid-input'));
  assert.throws(() => swarmIdToHex(1n << 64n), fails('invalid-input'));
});

test('bad swarm input is a typed error', () => {
  const cases: [() => unknown, ProtocolErrorCode][] = [
    [() => swarmSpace(new Uint8Array(31)), 'invalid-length'],
    [() => swarmSpace(new Uint8Array(34)), 'invalid-length'],
    [() => swarmSpace('05' + '00'.repeat(31)), 'invalid-length'],
    [() => swarmSpace('zz' + '00'.repeat(32)), 'invalid-hex'],
    [() => swarmSpace(5 as unknown as string), 'invalid-input'],
    [() => chooseSwarm([1n], -1n), 'invalid-input'],
    [() => chooseSwarm([1n], 1n << 64n), 'invalid-input'],
    [() => chooseSwarm([1n << 64n], 0n), 'invalid-input'],
    [() => chooseSwarm([1 as unknown as bigint], 0n), 'invalid-input'],
    [() => chooseSwarm([1n], 1 as unknown as bigint), 'invalid-input'],
  ];
  for (const [call, code] of cases) assert.throws(call, fails(code), call.toString());
});

test('property: the chosen swarm is the circularly nearest, ties to the left neighbour', () => {
  const u64 = fc.bigInt({ min: 0n, max: SWARM_SPACE_MAX });
  // Random ids, plus cases built around the value so that exact ties and wrap-around occur.
  const scenario = fc.oneof(
    fc.record({ ids: fc.uniqueArray(u64, { minLength: 1, maxLength: 20 }), value: u64 }),
    fc
      .record({
        value: u64,
        gap: fc.bigInt({ min: 0n, max: 1n << 63n }),
        extra: fc.array(u64, { maxLength: 5 }),
      })
      .map(({ value, gap, extra }) => ({
        ids: [...new Set([mod(value - gap), mod(value + gap), ...extra])],
        value,
      })),
  );
  fc.assert(
    fc.property(scenario, ({ ids, value }) => {
      const chosen = chooseSwarm(ids, value);
      assert.ok(chosen !== undefined && ids.includes(chosen));
      const distance = (id: bigint) => {
        const d = mod(id - value);
        return d < MOD - d ? d : MOD - d;
      };
      const best = ids.reduce((m, id) => (distance(id) < m ? distance(id) : m), SWARM_SPACE_MAX);
      assert.equal(distance(chosen), best);
      // If the left neighbour (value - best) is a swarm, a tie must have gone to it.
      const left = mod(value - best);
      if (ids.includes(left)) assert.equal(chosen, left);
    }),
    { numRuns: 2000 },
  );
});

test('swarm sizing defaults (oxen-core service_node_rules.h)', () => {
  assert.deepEqual(
    { ...DEFAULT_SWARM_SIZING },
    { minSize: 5, idealSize: 7, newSwarmSize: 7, maxSize: 10, buffer: 5 },
  );
  assert.equal(checkSwarmSizing(DEFAULT_SWARM_SIZING), DEFAULT_SWARM_SIZING);
  assert.ok(Object.isFrozen(DEFAULT_SWARM_SIZING));
  const bad = [
    { ...DEFAULT_SWARM_SIZING, minSize: 0 },
    { ...DEFAULT_SWARM_SIZING, idealSize: 11 },
    { ...DEFAULT_SWARM_SIZING, newSwarmSize: 4 },
    { ...DEFAULT_SWARM_SIZING, maxSize: 6.5 },
    { ...DEFAULT_SWARM_SIZING, buffer: -1 },
  ];
  for (const b of bad) assert.throws(() => checkSwarmSizing(b), fails('invalid-input'));
});
