/**
 * Device IDs, the account-key ring (rotation, crossed rotations, pruning, the hidden-device-count
 * schedule) and the scheduled device-key rotation. Randomness is seeded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { toHex } from '../../encoding/hex.ts';
import { isProtocolError } from '../../errors.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import {
  deviceIdFromBytes,
  deviceIdFromHex,
  deviceIdHex,
  deviceIdShort,
  deviceIdsEqual,
  newDeviceId,
} from './device-id.ts';
import {
  ACCOUNT_KEY_RETENTION_SECONDS,
  currentAccountKey,
  makeAccountKeyEntry,
  mergeAccountKeyRings,
  pruneAccountKeyRing,
  retainedAccountKeys,
  settleAccountKeyRing,
  type AccountKeyEntry,
  type AccountKeyRing,
} from './account-key-ring.ts';
import {
  ACCOUNT_KEY_ROTATION_PERIOD_SECONDS,
  ACCOUNT_KEY_ROTATION_WINDOW_SECONDS,
  accountRotationDue,
  accountRotationUniform,
  nextAccountRotation,
  rotateAccountKey,
} from './account-key-rotation.ts';
import {
  DEVICE_KEY_CONFIRMED_GRACE_SECONDS,
  DEVICE_KEY_MAX_RETENTION_SECONDS,
  DEVICE_KEY_ROTATION_PERIOD_SECONDS,
  confirmDeviceKey,
  currentDeviceKey,
  deviceRotationDue,
  nextDeviceRotation,
  pruneDeviceKeyRing,
  rotateDeviceKey,
} from './device-key-rotation.ts';
import { keyIndicatorPrefix } from './hybrid-keys.ts';

const T0 = 1_760_000_000; // unix seconds, an arbitrary fixed start
const HOUR = 3600;
const DAY = 24 * HOUR;

function key(fill: number, created: number, rotated?: number): AccountKeyEntry {
  return makeAccountKeyEntry({ seed: new Uint8Array(32).fill(fill), created, rotated });
}

/** A comparable, printable form of a ring (seed hex, created, rotated). */
function view(ring: AccountKeyRing): string[] {
  return settleAccountKeyRing(ring).map(
    (k) => `${toHex(k.seed.borrowBytes())}/${k.created}/${k.rotated ?? '-'}`,
  );
}

test('device IDs: random, 32 bytes, hex round trip, short form, checked', () => {
  const rng = createSeededRng('device-id');
  const a = newDeviceId(rng);
  const b = newDeviceId(rng);
  assert.equal(a.length, 32);
  assert.ok(!deviceIdsEqual(a, b));
  assert.ok(deviceIdsEqual(deviceIdFromHex(deviceIdHex(a)), a));
  assert.equal(deviceIdShort(a), `${deviceIdHex(a).slice(0, 8)}…`);
  assert.throws(() => deviceIdFromBytes(new Uint8Array(31)), /expected 32 bytes, got 31/);
  assert.throws(
    () => deviceIdFromHex('00'),
    (e) => isProtocolError(e, 'invalid-length'),
  );
});

test('rotation: the new key is current, the old one rotated at its created time', () => {
  const rng = createSeededRng('rotate');
  const first = rotateAccountKey([], T0, rng);
  assert.equal(first.ring.length, 1);
  assert.equal(currentAccountKey(first.ring), first.key);
  const second = rotateAccountKey(first.ring, T0 + 12 * HOUR, rng);
  assert.equal(second.ring.length, 2);
  assert.equal(currentAccountKey(second.ring)?.created, T0 + 12 * HOUR);
  assert.equal(second.ring[1]?.rotated, T0 + 12 * HOUR);
  assert.equal(first.ring[0]?.rotated, undefined, 'the input ring is not mutated');
  // Same second: created is forced past the newest key, so the new key still wins.
  const third = rotateAccountKey(second.ring, T0 + 12 * HOUR, rng);
  assert.equal(third.key.created, T0 + 12 * HOUR + 1);
  assert.equal(currentAccountKey(third.ring), third.key);
  // A clock behind the newest key still yields a newer key.
  const fourth = rotateAccountKey(third.ring, T0, rng);
  assert.equal(fourth.key.created, T0 + 12 * HOUR + 2);
});

test('rotation prunes keys rotated more than 16 days ago (exactly 16 days is kept)', () => {
  const ring = [key(1, T0), key(2, T0 + DAY), key(3, T0 + 2 * DAY)];
  const settled = settleAccountKeyRing(ring);
  assert.deepEqual(
    settled.map((k) => k.rotated),
    [undefined, T0 + 2 * DAY, T0 + DAY],
  );
  const atEdge = pruneAccountKeyRing(ring, T0 + DAY + ACCOUNT_KEY_RETENTION_SECONDS);
  assert.equal(atEdge.length, 3);
  const past = pruneAccountKeyRing(ring, T0 + DAY + ACCOUNT_KEY_RETENTION_SECONDS + 1);
  assert.equal(past.length, 2);
  const rotated = rotateAccountKey(ring, T0 + 40 * DAY, createSeededRng('prune'));
  assert.equal(rotated.ring.length, 2, 'only the new key and the one it replaced remain');
});

test('current key: latest created wins, a tie goes to the smaller seed', () => {
  assert.equal(currentAccountKey([]), undefined);
  const tie = [key(9, T0), key(4, T0), key(7, T0 - 5)];
  assert.equal(currentAccountKey(tie)?.seed.borrowBytes()[0], 4);
  const settled = settleAccountKeyRing(tie);
  assert.equal(settled[1]?.rotated, T0, 'the loser of a tie is rotated at the same second');
  // A ring whose newest key is marked rotated has no current key: the device must rotate.
  assert.equal(currentAccountKey([key(1, T0, T0 + 5)]), undefined);
  assert.deepEqual(
    accountRotationDue({
      ring: [key(1, T0, T0 + 5)],
      deviceId: deviceIdFromBytes(new Uint8Array(32)),
      registeredDevices: 1,
      now: T0,
    }),
    { due: true, reason: 'no-current-key' },
  );
});

test('crossed rotations: union of seeds, earlier rotated time, same current key on both sides', () => {
  const rngA = createSeededRng('crossed-a');
  const rngB = createSeededRng('crossed-b');
  const shared = rotateAccountKey([], T0, createSeededRng('crossed-base')).ring;
  // Both devices rotate the same key at nearly the same time.
  const a = rotateAccountKey(shared, T0 + 12 * HOUR, rngA).ring;
  const b = rotateAccountKey(shared, T0 + 12 * HOUR + 30, rngB).ring;
  const ab = mergeAccountKeyRings(a, b);
  const ba = mergeAccountKeyRings(b, a);
  assert.deepEqual(view(ab), view(ba));
  assert.equal(ab.length, 3);
  assert.equal(currentAccountKey(ab)?.created, T0 + 12 * HOUR + 30);
  // The base key keeps the earlier of the two rotation times.
  assert.equal(ab[2]?.rotated, T0 + 12 * HOUR);
  // A key one side has rotated and the other not: the rotation is adopted.
  const m = mergeAccountKeyRings([key(1, T0)], [key(1, T0, T0 + 50), key(2, T0 + 50)]);
  assert.equal(currentAccountKey(m)?.seed.borrowBytes()[0], 2);
  assert.equal(m[1]?.rotated, T0 + 50);
});

const entryArb = fc
  .record({
    fill: fc.integer({ min: 0, max: 5 }),
    created: fc.integer({ min: 0, max: 20 }),
    rotated: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  })
  .map(({ fill, created, rotated }) =>
    key(fill, T0 + created, rotated === undefined ? undefined : T0 + created + rotated),
  );
// A seed names one key, so within the generated world a seed always has the same created time.
const worldArb = fc.array(entryArb, { maxLength: 6 }).map((entries) => {
  const createdOf = new Map<number, number>();
  return entries.map((k) => {
    const fill = k.seed.borrowBytes()[0] ?? 0;
    const created = createdOf.get(fill) ?? k.created;
    createdOf.set(fill, created);
    return makeAccountKeyEntry({ seed: k.seed, created, rotated: k.rotated });
  });
});
const ringsArb = worldArb.chain((world) =>
  fc.tuple(fc.subarray(world), fc.subarray(world), fc.subarray(world)),
);

test('merging rings is commutative, associative and idempotent (property)', () => {
  fc.assert(
    fc.property(ringsArb, ([a, b, c]) => {
      assert.deepEqual(view(mergeAccountKeyRings(a, b)), view(mergeAccountKeyRings(b, a)));
      assert.deepEqual(
        view(mergeAccountKeyRings(mergeAccountKeyRings(a, b), c)),
        view(mergeAccountKeyRings(a, mergeAccountKeyRings(b, c))),
      );
      assert.deepEqual(view(mergeAccountKeyRings(a, a)), view(a));
      const merged = mergeAccountKeyRings(a, b);
      assert.deepEqual(view(mergeAccountKeyRings(merged, a)), view(merged));
    }),
    { numRuns: 300 },
  );
});

test('the schedule: t = created + 11 h + 2 h·(1 − u^N), inside [11 h, 13 h]', () => {
  const rng = createSeededRng('schedule');
  const ring = rotateAccountKey([], T0, rng).ring;
  const current = currentAccountKey(ring);
  assert.ok(current);
  for (const n of [1, 2, 5, 50]) {
    const id = newDeviceId(rng);
    const u = accountRotationUniform(current.seed.borrowBytes(), id);
    assert.ok(u >= 0 && u < 1);
    const t = nextAccountRotation({ ring, deviceId: id, registeredDevices: n });
    assert.ok(t !== undefined);
    assert.equal(t, T0 + 11 * HOUR + 2 * HOUR * (1 - Math.pow(u, n)));
    assert.ok(t >= T0 + 11 * HOUR && t <= T0 + 13 * HOUR);
    assert.deepEqual(
      accountRotationDue({ ring, deviceId: id, registeredDevices: n, now: T0 + 11 * HOUR - 1 }),
      { due: false, next: t },
    );
    assert.equal(
      accountRotationDue({ ring, deviceId: id, registeredDevices: n, now: T0 + 13 * HOUR }).due,
      true,
    );
  }
  assert.equal(ACCOUNT_KEY_ROTATION_PERIOD_SECONDS, 12 * HOUR);
  assert.equal(ACCOUNT_KEY_ROTATION_WINDOW_SECONDS, 2 * HOUR);
  assert.throws(() =>
    nextAccountRotation({ ring, deviceId: newDeviceId(rng), registeredDevices: 0 }),
  );
  assert.deepEqual(
    accountRotationDue({
      ring,
      deviceId: newDeviceId(rng),
      registeredDevices: 3,
      now: T0,
      forced: 'device-removed',
    }),
    { due: true, reason: 'device-removed' },
  );
});

test('the first of N devices rotates uniformly in [11 h, 13 h] whatever N is', () => {
  const rng = createSeededRng('uniform');
  const trials = 1500;
  for (const n of [1, 3, 8]) {
    const firsts: number[] = [];
    for (let i = 0; i < trials; i++) {
      const ring = [makeAccountKeyEntry({ seed: rng.randomBytes(32), created: T0 })];
      let first = Infinity;
      for (let d = 0; d < n; d++) {
        const t = nextAccountRotation({ ring, deviceId: newDeviceId(rng), registeredDevices: n });
        first = Math.min(first, t ?? Infinity);
      }
      firsts.push((first - T0 - 11 * HOUR) / (2 * HOUR)); // should be Uniform[0, 1]
    }
    firsts.sort((x, y) => x - y);
    // Kolmogorov–Smirnov distance against Uniform[0, 1]; 0.05 is far beyond the 1% critical
    // value for 1500 samples (≈ 0.042), and a wrong formula (e.g. u instead of u^N) gives ≥ 0.2.
    const ks = Math.max(
      ...firsts.map((x, i) => Math.max(Math.abs(x - i / trials), Math.abs(x - (i + 1) / trials))),
    );
    assert.ok(ks < 0.05, `N=${n}: KS distance ${ks.toFixed(3)}`);
  }
});

test('retained keys expand to hybrid pairs; seeds never print', () => {
  const rng = createSeededRng('retained');
  let ring = rotateAccountKey([], T0, rng).ring;
  ring = rotateAccountKey(ring, T0 + 12 * HOUR, rng).ring;
  const retained = retainedAccountKeys(ring, T0 + 13 * HOUR);
  assert.equal(retained.length, 2);
  assert.equal(keyIndicatorPrefix(retained[0]?.keys.mlkemPublicKey ?? new Uint8Array()).length, 2);
  const seedHex = toHex(ring[0]?.seed.borrowBytes() ?? new Uint8Array());
  for (const text of [JSON.stringify(ring), inspect(ring, { depth: 5 }), String(ring[0]?.seed)]) {
    assert.ok(!text.includes(seedHex), 'a seed leaked into printed output');
  }
});

test('device keys: 7-day schedule, waits for confirmation, old keys kept only while needed', () => {
  const rng = createSeededRng('device-keys');
  assert.deepEqual(nextDeviceRotation([]), { kind: 'no-key' });
  assert.equal(deviceRotationDue([], T0), true);
  const first = rotateDeviceKey([], T0, rng);
  assert.equal(currentDeviceKey(first.ring), first.key);
  const at = T0 + DEVICE_KEY_ROTATION_PERIOD_SECONDS;
  assert.deepEqual(nextDeviceRotation(first.ring), { kind: 'awaiting-confirmation', earliest: at });
  assert.equal(deviceRotationDue(first.ring, at + DAY), false, 'never rotate an unconfirmed key');
  const confirmed = confirmDeviceKey(first.ring, first.key.seed, T0 + HOUR);
  assert.deepEqual(nextDeviceRotation(confirmed), { kind: 'scheduled', at });
  assert.equal(deviceRotationDue(confirmed, at - 1), false);
  assert.equal(deviceRotationDue(confirmed, at), true);

  const second = rotateDeviceKey(confirmed, at, rng);
  assert.equal(second.ring.length, 2);
  assert.equal(second.ring[1]?.rotated, at);
  // Unconfirmed successor: the old key stays up to 30 days after its rotation.
  assert.equal(pruneDeviceKeyRing(second.ring, at + 29 * DAY).length, 2);
  assert.equal(pruneDeviceKeyRing(second.ring, at + DEVICE_KEY_MAX_RETENTION_SECONDS).length, 1);
  // Confirmed successor: the old key goes 48 h after the confirmation.
  const seen = confirmDeviceKey(second.ring, second.key.seed, at + 2 * HOUR);
  const edge = at + 2 * HOUR + DEVICE_KEY_CONFIRMED_GRACE_SECONDS;
  assert.equal(pruneDeviceKeyRing(seen, edge - 1).length, 2);
  assert.equal(pruneDeviceKeyRing(seen, edge).length, 1);
  assert.equal(currentDeviceKey(pruneDeviceKeyRing(seen, edge))?.created, at);
  // The current key is never pruned, however old.
  assert.equal(pruneDeviceKeyRing(seen, at + 400 * DAY).length, 1);
});
