/**
 * Device records, tombstones, merge rules, payload padding, and device-group messages
 * (protocol-v2.md §9–§10): known-answer vectors (vectors/v2/device-group-*.json), round trips,
 * and the attacks of issue #3 (post-compromise removal, single-bit tampering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import { blake2bSaltPersonal } from '../../crypto/primitives.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { fromHex, toHex } from '../../encoding/hex.ts';
import { utf8 } from '../../encoding/bytes.ts';
import type { BtValue } from '../../encoding/bencode.ts';
import { decodeBencode } from '../../encoding/bencode-decode.ts';
import { encodeBencode } from '../../encoding/bencode-encode.ts';
import { deviceKeysFromSeed } from '../keys/hybrid-keys.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import {
  deviceGroupFiveVector,
  deviceGroupOneVector,
  vectorAccountKeys,
  vectorPayloadDevices,
  type VectorTombstone,
} from '../../test-support/v2-device-vectors.ts';
import vectorOne from '../../../vectors/v2/device-group-1.json' with { type: 'json' };
import vectorFive from '../../../vectors/v2/device-group-5-with-removal.json' with { type: 'json' };
import {
  createDeviceRecord,
  decodeDeviceRecord,
  deviceVersion,
  deviceVersionParts,
  encodeDeviceRecord,
  truncateUtf8,
  type DeviceRecord,
} from './device-record.ts';
import {
  mergeDeviceEntry,
  mergeDeviceTable,
  tombstoneFromValue,
  tombstoneValue,
  type PayloadDeviceEntry,
  type StoredDevice,
} from './device-merge.ts';
import { decodeGroupPayload, padGroupPayload, paddedPayloadSize } from './group-payload.ts';
import { cryptGroupId, groupIdCreatedMinutes, newGroupId } from './group-id.ts';
import { encryptDeviceGroupMessage } from './group-message-encrypt.ts';
import { decryptDeviceGroupMessage } from './group-message-decrypt.ts';
import { parseDeviceGroupMessage } from './group-message-format.ts';

const rng = createSeededRng('device-group.test');
const account = identityFromSeed(rng.randomBytes(32));

function device(label: string) {
  const r = createSeededRng(`device-group.test/${label}`);
  const id = r.randomBytes(32);
  const keys = deviceKeysFromSeed(r.randomBytes(32));
  return { id, hex: toHex(id), keys };
}

function recordFor(keys: ReturnType<typeof device>['keys'], seqno = 1): DeviceRecord {
  return createDeviceRecord({
    seqno,
    timestamp: 1_760_000_000,
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
    description: 'test',
    type: 'd',
  });
}

const ring = [
  { seed: new SecretKey('hybrid-key-seed', rng.randomBytes(32)), created: 1_760_000_000 },
];

test('BLAKE2b salt/personal (libsodium WebAssembly) matches @noble/hashes', () => {
  const pers = utf8('SessionDevKNonce');
  for (const [len, size, keyed] of [
    [2, 0, false],
    [8, 1, false],
    [16, 1000, true],
    [24, 70_000, true],
    [64, 129, true],
  ] as const) {
    const data = rng.randomBytes(size);
    const key = keyed ? rng.randomBytes(32) : undefined;
    const options = key === undefined ? { personalization: pers } : { key, personalization: pers };
    assert.deepEqual(
      blake2bSaltPersonal(len, data, options),
      nobleBlake2b(data, { dkLen: len, ...options }),
    );
  }
  assert.deepEqual(
    blake2bSaltPersonal(8, utf8('abc'), {}),
    nobleBlake2b(utf8('abc'), { dkLen: 8 }),
  );
});

test('device records round-trip, keep unknown keys sorted, omit empty t and zero v', () => {
  const { keys } = device('a');
  const record = createDeviceRecord({
    seqno: 7,
    timestamp: 1_760_000_123,
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
    description: 'phone',
    type: 'i',
    version: deviceVersion(1, 13, 2),
    extra: new Map<string, BtValue>([
      ['A', 1],
      ['u', utf8('x')],
      ['#', 99], // a known key in extra is dropped
    ]),
  });
  const encoded = encodeDeviceRecord(record);
  const keysInOrder = [...(decodeBencode(encoded) as Map<string, unknown>).keys()];
  assert.deepEqual(keysInOrder, ['#', '@', 'A', 'M', 'X', 'd', 't', 'u', 'v']);
  const back = decodeDeviceRecord(decodeBencode(encoded));
  assert.deepEqual(encodeDeviceRecord(back.record), encoded);
  assert.equal(back.record.version, 1_013_002);
  assert.deepEqual(deviceVersionParts(back.record.version), [1, 13, 2]);
  assert.equal(deviceVersion(1, 1500, -3), 1_999_000);

  const bare = createDeviceRecord({
    seqno: 1,
    timestamp: 1,
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
  });
  const bareKeys = [...(decodeBencode(encodeDeviceRecord(bare)) as Map<string, unknown>).keys()];
  assert.deepEqual(bareKeys, ['#', '@', 'M', 'X', 'd']);
});

test('descriptions are cut to 64 bytes on a UTF-8 boundary', () => {
  assert.equal(truncateUtf8('a'.repeat(70), 64), 'a'.repeat(64));
  const emoji = '✈️'.repeat(20); // 6 bytes each
  const cut = truncateUtf8(emoji, 64);
  assert.ok(utf8(cut).length <= 64);
  assert.equal(utf8(cut).length, 63); // U+2708 (3) + U+FE0F (3) ×10 = 60, then one more U+2708
  assert.equal(truncateUtf8('é'.repeat(40), 64), 'é'.repeat(32));
  const { keys } = device('b');
  const r = createDeviceRecord({
    seqno: 1,
    timestamp: 1,
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
    description: '🐶'.repeat(20),
  });
  assert.equal(utf8(r.description).length, 64);
});

test('malformed records are rejected', () => {
  const { keys } = device('c');
  const good = decodeBencode(encodeDeviceRecord(recordFor(keys))) as Map<string, never>;
  for (const mutate of [
    (m: Map<string, unknown>) => m.delete('#'),
    (m: Map<string, unknown>) => m.delete('X'),
    (m: Map<string, unknown>) => m.set('X', new Uint8Array(31)),
    (m: Map<string, unknown>) => m.set('M', new Uint8Array(1183)),
    (m: Map<string, unknown>) => m.set('d', Uint8Array.of(0xff)),
    (m: Map<string, unknown>) => m.set('@', utf8('now')),
  ]) {
    const copy = new Map<string, unknown>(good);
    mutate(copy);
    assert.throws(() => decodeDeviceRecord(copy as never), { name: 'ProtocolError' });
  }
});

test('tombstones: +t kicked, -t left, 0 and INT64_MIN invalid', () => {
  assert.deepEqual(tombstoneFromValue(5), { kind: 'tombstone', state: 'kicked', at: 5 });
  assert.deepEqual(tombstoneFromValue(-5), { kind: 'tombstone', state: 'left', at: 5 });
  assert.equal(tombstoneValue({ kind: 'tombstone', state: 'left', at: 9 }), -9);
  assert.throws(() => tombstoneFromValue(0), { name: 'ProtocolError' });
  assert.throws(() => tombstoneFromValue(-(2n ** 63n)), { name: 'ProtocolError' });
  assert.throws(() => tombstoneValue({ kind: 'tombstone', state: 'kicked', at: 0 }), {
    name: 'ProtocolError',
  });
});

test('merge: rank, then seqno, then digest; tombstones win and cannot be revived', () => {
  const { keys } = device('d');
  const r1 = recordFor(keys, 1);
  const r2 = recordFor(keys, 2);
  const d1 = decodeDeviceRecord(decodeBencode(encodeDeviceRecord(r1)));
  const d2 = decodeDeviceRecord(decodeBencode(encodeDeviceRecord(r2)));
  const pending: StoredDevice = { state: 'pending', record: r1, digest: d1.digest };
  // An acceptance at the same seqno outranks the request (rank 2 > 1).
  const accepted = mergeDeviceEntry(
    pending,
    { kind: 'record', record: r1, digest: d1.digest },
    100,
  );
  assert.equal(accepted.change, 'registered');
  // Same record again: unchanged.
  assert.equal(
    mergeDeviceEntry(accepted.device, { kind: 'record', record: r1, digest: d1.digest }, 100)
      .change,
    'unchanged',
  );
  // Higher seqno: updated; lower: unchanged.
  const updated = mergeDeviceEntry(
    accepted.device,
    { kind: 'record', record: r2, digest: d2.digest },
    100,
  );
  assert.equal(updated.change, 'updated');
  assert.equal(
    mergeDeviceEntry(updated.device, { kind: 'record', record: r1, digest: d1.digest }, 100).change,
    'unchanged',
  );
  // Our own row (no digest) is not displaced at equal seqno.
  assert.equal(
    mergeDeviceEntry(
      { state: 'registered', record: r1 },
      { kind: 'record', record: r1, digest: d1.digest },
      1,
    ).change,
    'unchanged',
  );
  // Kicked beats everything; a record for a kicked device restates the tombstone at now.
  const kicked = mergeDeviceEntry(
    updated.device,
    { kind: 'tombstone', state: 'kicked', at: 50 },
    100,
  );
  assert.equal(kicked.change, 'kicked');
  assert.equal(kicked.device.record, r2); // details kept
  const revived = mergeDeviceEntry(
    kicked.device,
    { kind: 'record', record: recordFor(keys, 99), digest: d2.digest },
    777,
  );
  assert.equal(revived.change, 'restated');
  assert.equal(revived.device.state, 'kicked');
  assert.equal(revived.device.removedAt, 777);
  assert.equal(revived.device.broadcastNeeded, true);
  // Left < kicked; a later left tombstone updates the time; an earlier one does not.
  const left = mergeDeviceEntry(undefined, { kind: 'tombstone', state: 'left', at: 10 }, 0);
  assert.equal(left.change, 'left');
  assert.equal(
    mergeDeviceEntry(left.device, { kind: 'tombstone', state: 'left', at: 5 }, 0).change,
    'unchanged',
  );
  assert.equal(
    mergeDeviceEntry(left.device, { kind: 'tombstone', state: 'kicked', at: 5 }, 0).change,
    'kicked',
  );
  assert.equal(
    mergeDeviceEntry(kicked.device, { kind: 'tombstone', state: 'left', at: 999 }, 0).change,
    'unchanged',
  );
});

test('merge: missing entries mean unchanged; order of messages does not matter', () => {
  const devs = ['e', 'f', 'g'].map(device);
  const entries: PayloadDeviceEntry[][] = devs.map((d) =>
    [1, 2, 3].map((seqno) => {
      const r = recordFor(d.keys, seqno);
      return {
        kind: 'record',
        record: r,
        digest: decodeDeviceRecord(decodeBencode(encodeDeviceRecord(r))).digest,
      };
    }),
  );
  const start = new Map<string, StoredDevice>([
    [devs[0]!.hex, { state: 'registered', record: recordFor(devs[0]!.keys, 2) }],
  ]);
  const partial = mergeDeviceTable(start, new Map([[devs[1]!.hex, entries[1]![0]!]]), 0);
  assert.equal(partial.table.get(devs[0]!.hex)?.record?.seqno, 2);
  const entryArb = fc.record({
    dev: fc.integer({ min: 0, max: 2 }),
    kind: fc.oneof(
      fc.constant('record' as const),
      fc.constant('kicked' as const),
      fc.constant('left' as const),
    ),
    n: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(fc.array(entryArb, { maxLength: 8 }), (msgs) => {
      const toEntry = (m: (typeof msgs)[number]): [string, PayloadDeviceEntry] => [
        devs[m.dev]!.hex,
        m.kind === 'record'
          ? entries[m.dev]![m.n]!
          : { kind: 'tombstone', state: m.kind, at: 100 + m.n },
      ];
      const apply = (order: typeof msgs) =>
        order.reduce<ReadonlyMap<string, StoredDevice>>(
          (t, m) => mergeDeviceTable(t, new Map([toEntry(m)]), 0).table,
          new Map(),
        );
      const summary = (t: ReadonlyMap<string, StoredDevice>) =>
        [...t]
          .map(([id, d]) => [id, d.state, d.state === 'registered' ? d.record?.seqno : undefined])
          .sort();
      // The converged facts: each device's state, and the record version of live ones (a
      // tombstoned device keeps whatever details arrived before it, which differ by order).
      const a = summary(apply(msgs));
      const b = summary(apply([...msgs].reverse()));
      assert.deepEqual(a, b);
    }),
    { numRuns: 200 },
  );
});

test('payload padding: 2300 + 6400·max(1, …); 1 to 4 devices give the same size', () => {
  assert.equal(paddedPayloadSize(0), 8700);
  assert.equal(paddedPayloadSize(8700), 8700);
  assert.equal(paddedPayloadSize(8701), 15100);
  const sizes = [1, 2, 3, 4, 8].map((n) => {
    const devices = new Map<string, PayloadDeviceEntry>();
    for (let i = 0; i < n; i++) {
      const d = device(`pad-${i}`);
      devices.set(d.hex, { kind: 'record', record: recordFor(d.keys) });
    }
    const padded = padGroupPayload({ devices, accountKeys: ring });
    assert.equal(decodeGroupPayload(padded).devices.size, n);
    return padded.length;
  });
  assert.deepEqual(sizes, [8700, 8700, 8700, 8700, 15100]);
  assert.throws(
    () => decodeGroupPayload(Uint8Array.of(...encodeBencode(new Map([['D', new Map()]])))),
    { name: 'ProtocolError' },
  ); // no "K"
});

test('group IDs: creation minute, encryption is its own inverse and differs per message', () => {
  const id = newGroupId(1_760_000_000_000, rng);
  assert.equal(groupIdCreatedMinutes(id), Math.floor(1_760_000_000_000 / 60_000));
  const A1 = rng.randomBytes(32);
  const A2 = rng.randomBytes(32);
  const e1 = cryptGroupId(id, A1, account.seed);
  assert.notDeepEqual(e1, cryptGroupId(id, A2, account.seed));
  assert.deepEqual(cryptGroupId(e1, A1, account.seed), id);
});

for (const [vector, build] of [
  [vectorOne, deviceGroupOneVector],
  [vectorFive, deviceGroupFiveVector],
] as const) {
  test(`known-answer vector ${vector.rngLabel}: rebuilt byte for byte and readable by every device`, () => {
    assert.deepEqual(build(), vector);
    const acct = identityFromSeed(fromHex(vector.accountSeed));
    const message = fromHex(vector.message);
    const { fields } = parseDeviceGroupMessage(message);
    assert.equal(fields.slotCount, vector.slotCount);
    assert.equal(fields.encryptedPayload.length, vector.paddedPayloadLength + 16);
    assert.equal(toHex(fields.linkKey ?? new Uint8Array()), vector.linkKey);
    const expected = vectorPayloadDevices(vector.devices, vector.tombstones as VectorTombstone[]);
    for (const d of vector.devices) {
      const keys = deviceKeysFromSeed(fromHex(d.deviceKeySeed));
      const r = decryptDeviceGroupMessage(message, {
        account: acct,
        deviceId: fromHex(d.id),
        deviceKeys: [keys],
      });
      assert.ok(r.ok, `device ${d.id.slice(0, 8)}`);
      assert.equal(toHex(r.groupId ?? new Uint8Array()), vector.groupId);
      assert.deepEqual([...r.payload.devices.keys()].sort(), [...expected.keys()].sort());
      assert.deepEqual(
        r.payload.accountKeys.map((k) => toHex(k.seed.exportBytes())),
        vectorAccountKeys(vector.accountKeys).map((k) => toHex(k.seed.exportBytes())),
      );
    }
    for (const t of vector.tombstones) {
      const r = decryptDeviceGroupMessage(message, {
        account: acct,
        deviceId: fromHex(t.id),
        deviceKeys: [deviceKeysFromSeed(rng.randomBytes(32))],
      });
      assert.deepEqual(
        r.ok ? 'opened' : r.reason,
        t.state === 'kicked' ? 'removed' : 'not-for-this-device',
      );
    }
  });
}

test('the upstream size facts: a 1-device "d" is 2300 + 6400 + 16 bytes', () => {
  assert.equal(fromHex(vectorOne.message).length > 8716, true);
  const { fields } = parseDeviceGroupMessage(fromHex(vectorOne.message));
  assert.equal(fields.encryptedPayload.length, 2300 + 6400 + 16);
  assert.equal(fields.kicked, undefined);
  const five = parseDeviceGroupMessage(fromHex(vectorFive.message)).fields;
  assert.equal(five.kicked?.length, 4 * 16);
});

test('encrypt for N devices: each reads it with its current or an older device key; others cannot', () => {
  const devs = Array.from({ length: 6 }, (_, i) => device(`n-${i}`));
  const older = deviceKeysFromSeed(rng.randomBytes(32));
  const devices = new Map<string, PayloadDeviceEntry>(
    devs.map((d) => [d.hex, { kind: 'record', record: recordFor(d.keys) }]),
  );
  const groupId = newGroupId(1_760_000_000_000, rng);
  const message = encryptDeviceGroupMessage({
    account,
    groupId,
    payload: { devices, accountKeys: ring },
    rng,
  });
  assert.equal(parseDeviceGroupMessage(message).fields.slotCount, 8);
  for (const d of devs) {
    const r = decryptDeviceGroupMessage(message, {
      account,
      deviceId: d.id,
      deviceKeys: [older, d.keys],
    });
    assert.ok(r.ok);
    assert.equal(r.deviceKeyIndex, 1);
    assert.deepEqual(r.groupId, groupId);
  }
  const outsider = device('outsider');
  const r = decryptDeviceGroupMessage(message, {
    account,
    deviceId: outsider.id,
    deviceKeys: [outsider.keys],
  });
  assert.deepEqual(r.ok ? 'opened' : [r.reason, r.groupId], ['not-for-this-device', groupId]);
  // Another account's root key does not verify.
  const other = identityFromSeed(rng.randomBytes(32));
  const bad = decryptDeviceGroupMessage(message, {
    account: other,
    deviceId: devs[0]!.id,
    deviceKeys: [devs[0]!.keys],
  });
  assert.deepEqual(bad.ok ? 'opened' : bad.reason, 'bad-signature');
  // An empty ring cannot make a message (no link key).
  assert.throws(
    () =>
      encryptDeviceGroupMessage({ account, groupId, payload: { devices, accountKeys: [] }, rng }),
    { name: 'ProtocolError' },
  );
});

test('attack: a removed device keeping everything it had cannot read the next message, and learns it was removed', () => {
  const members = Array.from({ length: 3 }, (_, i) => device(`pc-${i}`));
  const victim = members[2]!;
  const before = new Map<string, PayloadDeviceEntry>(
    members.map((d) => [d.hex, { kind: 'record', record: recordFor(d.keys) }]),
  );
  const groupId = newGroupId(1_760_000_000_000, rng);
  const first = encryptDeviceGroupMessage({
    account,
    groupId,
    payload: { devices: before, accountKeys: ring },
    rng,
  });
  const seized = { account, deviceId: victim.id, deviceKeys: [victim.keys] };
  const readBefore = decryptDeviceGroupMessage(first, seized);
  assert.ok(readBefore.ok);
  // Removal: tombstone, new account key (the victim knows every old one).
  const after = new Map(before);
  after.set(victim.hex, { kind: 'tombstone', state: 'kicked', at: 1_760_000_100 });
  const newRing = [
    { ...ring[0]!, rotated: 1_760_000_100 },
    { seed: new SecretKey('hybrid-key-seed', rng.randomBytes(32)), created: 1_760_000_100 },
  ];
  const next = encryptDeviceGroupMessage({
    account,
    groupId,
    payload: { devices: after, accountKeys: newRing },
    rng,
  });
  const r = decryptDeviceGroupMessage(next, seized);
  assert.deepEqual(r.ok ? 'opened' : r.reason, 'removed');
  for (const m of members.slice(0, 2)) {
    const ok = decryptDeviceGroupMessage(next, { account, deviceId: m.id, deviceKeys: [m.keys] });
    assert.ok(ok.ok);
    assert.equal(ok.payload.accountKeys.length, 2);
  }
});

test('attack: every sampled single-bit flip of a device-group message is rejected with a typed result', () => {
  const d = device('flip');
  const devices = new Map<string, PayloadDeviceEntry>([
    [d.hex, { kind: 'record', record: recordFor(d.keys) }],
  ]);
  devices.set(toHex(rng.randomBytes(32)), { kind: 'tombstone', state: 'kicked', at: 5 });
  const message = encryptDeviceGroupMessage({
    account,
    groupId: newGroupId(0, rng),
    payload: { devices, accountKeys: ring },
    rng,
  });
  const reader = { account, deviceId: d.id, deviceKeys: [d.keys] };
  assert.ok(decryptDeviceGroupMessage(message, reader).ok);
  const flips = createSeededRng('flip-positions');
  const reasons = new Map<string, number>();
  const positions = new Set<number>();
  // Every bit of the first and last 200 bytes (dict structure, keys, signature), plus a sample.
  for (let i = 0; i < 200 * 8; i++) positions.add(i);
  for (let i = message.length * 8 - 200 * 8; i < message.length * 8; i++) positions.add(i);
  while (positions.size < 4000) {
    const b = flips.randomBytes(4);
    positions.add(
      ((b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000) % (message.length * 8),
    );
  }
  for (const bit of positions) {
    const tampered = Uint8Array.from(message);
    tampered[bit >> 3]! ^= 1 << (bit & 7);
    const r = decryptDeviceGroupMessage(tampered, reader);
    assert.equal(r.ok, false, `bit ${bit} was accepted`);
    if (!r.ok) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  }
  assert.ok((reasons.get('bad-signature') ?? 0) > 0);
  assert.ok((reasons.get('bad-format') ?? 0) > 0);
  // Truncations too.
  for (const cut of [0, 1, 10, message.length - 65, message.length - 1]) {
    const r = decryptDeviceGroupMessage(message.subarray(0, cut), reader);
    assert.equal(r.ok, false);
  }
});
