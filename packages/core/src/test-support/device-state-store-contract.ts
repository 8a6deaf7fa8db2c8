/**
 * The contract every `DeviceStateStore` keeps (CONVENTIONS.md habit 2): the in-memory store's
 * test runs it, and so will the SDK's SQLite store. It returns named cases rather than
 * registering tests itself, so core does not depend on a test runner:
 *
 *   for (const c of deviceStateStoreContract(makeStore)) test(c.name, c.run);
 *
 * The snapshot it stores exercises every kind of field (keys, maps, optional marks, held
 * admissions), so a store that serialises must round-trip them all.
 */
import assert from 'node:assert/strict';
import { SecretKey } from '../crypto/secret-key.ts';
import { toHex } from '../encoding/hex.ts';
import { deviceIdFromBytes } from '../v2/keys/device-id.ts';
import { deviceKeysFromSeed } from '../v2/keys/hybrid-keys.ts';
import { createDeviceRecord } from '../v2/device-group/device-record.ts';
import type { DeviceStateStore } from '../v2/membership/device-state-store.ts';
import type { DeviceStateSnapshot } from '../v2/membership/membership-state.ts';
import { initialDeviceState } from '../v2/membership/membership-state.ts';
import { createSeededRng } from './seeded-rng.ts';

/** One contract case. */
export interface StoreContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** A snapshot with every field populated. */
export function sampleDeviceState(label = 'device-state-store-contract'): DeviceStateSnapshot {
  const rng = createSeededRng(label);
  const id = deviceIdFromBytes(rng.randomBytes(32));
  const seed = new SecretKey('hybrid-key-seed', rng.randomBytes(32));
  const keys = deviceKeysFromSeed(seed);
  const record = createDeviceRecord({
    seqno: 3,
    timestamp: 1_700_000_000,
    mlkemPublicKey: keys.mlkemPublicKey,
    x25519PublicKey: keys.x25519PublicKey,
    description: 'Laptop ✈️',
    type: 'd',
    version: 1_002_003,
    extra: new Map([['z', 7]]),
  });
  const other = toHex(rng.randomBytes(32));
  const base = initialDeviceState(id, [{ seed, created: 1_700_000_000, confirmed: 1_700_000_100 }]);
  return {
    ...base,
    accountKeys: [
      { seed: new SecretKey('hybrid-key-seed', rng.randomBytes(32)), created: 1_700_000_000 },
      {
        seed: new SecretKey('hybrid-key-seed', rng.randomBytes(32)),
        created: 1_699_900_000,
        rotated: 1_700_000_000,
      },
    ],
    groupId: rng.randomBytes(8),
    devices: new Map([
      [toHex(id), { state: 'registered', record }],
      [other, { state: 'kicked', removedAt: 1_700_000_500, broadcastNeeded: true }],
    ]),
    groups: [
      {
        groupId: rng.randomBytes(8),
        linkKey: rng.randomBytes(32),
        seenAt: 1_700_000_000_000,
        expiresAt: 1_702_592_000_000,
        dismissed: false,
      },
    ],
    readAt: 1_700_000_000_123,
    fetched: true,
    own: [
      {
        groupId: rng.randomBytes(8),
        timestamp: 1_700_000_001,
        x25519PublicKey: keys.x25519PublicKey,
        sasSeed: rng.randomBytes(16),
        expiresAt: 1_700_000_600_000,
        confirmed: false,
        admission: { message: rng.randomBytes(100), hash: 'abc', timestamp: 1_700_000_002_000 },
      },
    ],
    nextRequestId: 4,
    merged: ['hash-1', 'hash-2'],
    reportedMembership: 'in-group',
    announcedGroups: ['0011223344556677'],
  };
}

function comparable(state: DeviceStateSnapshot): unknown {
  // SecretKeys print as [redacted]; compare their bytes explicitly.
  return {
    ...state,
    deviceKeys: state.deviceKeys.map((k) => ({ ...k, seed: toHex(k.seed.exportBytes()) })),
    accountKeys: state.accountKeys.map((k) => ({ ...k, seed: toHex(k.seed.exportBytes()) })),
    devices: [...state.devices],
  };
}

/** The cases a `DeviceStateStore` must pass; `makeStore` returns a fresh, empty store. */
export function deviceStateStoreContract(
  makeStore: () => DeviceStateStore | Promise<DeviceStateStore>,
): StoreContractCase[] {
  return [
    {
      name: 'an empty store has no snapshot',
      run: async () => {
        const store = await makeStore();
        assert.equal(await store.get(), undefined);
      },
    },
    {
      name: 'a stored snapshot comes back equal, secrets included',
      run: async () => {
        const store = await makeStore();
        const state = sampleDeviceState();
        await store.put(state);
        const back = await store.get();
        assert.ok(back !== undefined);
        assert.deepEqual(comparable(back), comparable(state));
      },
    },
    {
      name: 'put replaces the previous snapshot',
      run: async () => {
        const store = await makeStore();
        await store.put(sampleDeviceState('first'));
        const second = sampleDeviceState('second');
        await store.put(second);
        const back = await store.get();
        assert.ok(back !== undefined);
        assert.deepEqual(comparable(back), comparable(second));
      },
    },
    {
      name: 'separate stores do not share state',
      run: async () => {
        const a = await makeStore();
        const b = await makeStore();
        await a.put(sampleDeviceState());
        assert.equal(await b.get(), undefined);
      },
    },
  ];
}
