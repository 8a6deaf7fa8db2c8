/**
 * Device states, tombstones and the merge rules that keep every member's device table in step
 * (protocol-v2.md §10 "Merge rules"; upstream session-foundation/libsession-util:
 * src/core/devices.cpp `upsert_device_info`, `TOMBSTONE_SQL`, `REASSERT_TOMBSTONE_SQL` and
 * `receive_device_group_message`, and the ranked `device::State` of
 * include/session/core/devices.hpp).
 *
 * State never goes on the wire: it is inferred from the message a record arrived in (a record in
 * a `"G"` payload is Registered, one in a link request Pending, an integer a tombstone). So a
 * merge compares `(state rank, seqno, digest)` lexicographically, with ranks (current code):
 *
 *   unregistered 0 < pending 1 < registered 2 < left 3 < kicked 4
 *
 * - A record replaces the stored one only if its triple is greater. A stored row without a
 *   digest (our own, authored here) is never displaced by an equal-ranked, equal-seqno arrival
 *   (upstream's SQL NULL comparison).
 * - A tombstone (`+t` kicked at t, `−t` left at t) replaces when `(rank, t)` is greater; the
 *   device's details are kept. 0 and INT64_MIN are invalid tombstones.
 * - A record missing from a message means "unchanged".
 * - A device with a tombstone cannot be revived by a record: the merge restates the tombstone
 *   with `t = now` and marks it for broadcast, so devices that never saw the removal learn it.
 *
 * [X] protocol-v2.md §10 lists the older ranks (Registered 0, Pending 1, Unregistered 2); the
 * current devices.hpp renumbered them as above, which is what makes acceptance outrank a request.
 */
import { ProtocolError } from '../../errors.ts';
import { compareBytes } from '../../encoding/bencode.ts';
import type { DeviceRecord } from './device-record.ts';

/** Ranks of the device states (devices.hpp `device::State`). */
export const DEVICE_STATE_RANK = {
  unregistered: 0,
  pending: 1,
  registered: 2,
  left: 3,
  kicked: 4,
} as const;

/** A device's membership state in a device table. */
export type DeviceState = keyof typeof DEVICE_STATE_RANK;

/** A tombstone as it travels in a payload's `"D"` dict. */
export interface Tombstone {
  readonly kind: 'tombstone';
  readonly state: 'kicked' | 'left';
  /** When it was removed or left, unix seconds (> 0). */
  readonly at: number;
}

/** A live record as it travels in a payload's `"D"` dict (a Registered device). */
export interface RecordEntry {
  readonly kind: 'record';
  readonly record: DeviceRecord;
  /** BLAKE2b-8 of the encoded record as received; absent for one authored here. */
  readonly digest?: Uint8Array;
}

/** One entry of a payload's `"D"` dict. */
export type PayloadDeviceEntry = RecordEntry | Tombstone;

/** One row of a device's table of the group's devices. */
export interface StoredDevice {
  readonly state: DeviceState;
  /** The last record held; a bare tombstone for a device never met has none. */
  readonly record?: DeviceRecord;
  readonly digest?: Uint8Array;
  /** For `left` and `kicked`: when, unix seconds. */
  readonly removedAt?: number;
  /** A transition the next push must carry (acceptance, removal, restated tombstone). */
  readonly broadcastNeeded?: boolean;
}

/** What a merge did to one device. */
export type MergeChange = 'unchanged' | 'updated' | 'registered' | 'kicked' | 'left' | 'restated';

/** Encodes a tombstone as its payload integer: `+t` kicked, `−t` left. */
export function tombstoneValue(tombstone: Tombstone): number {
  checkTombstoneTime(tombstone.at);
  return tombstone.state === 'kicked' ? tombstone.at : -tombstone.at;
}

/**
 * Decodes a payload integer as a tombstone. 0 and INT64_MIN (whose negation does not exist) are
 * invalid, as upstream; so is anything beyond ±2^53, which no unix time reaches.
 */
export function tombstoneFromValue(value: number | bigint): Tombstone {
  if (typeof value !== 'number' || value === 0 || !Number.isSafeInteger(value)) {
    throw new ProtocolError(
      'invalid-bencode',
      `device tombstone: expected a non-zero unix time, got ${String(value)}`,
    );
  }
  return value > 0
    ? { kind: 'tombstone', state: 'kicked', at: value }
    : { kind: 'tombstone', state: 'left', at: -value };
}

function checkTombstoneTime(at: number): void {
  if (!Number.isSafeInteger(at) || at <= 0) {
    throw new ProtocolError(
      'invalid-input',
      `tombstone time: expected a positive integer, got ${at}`,
    );
  }
}

/** Compares `(rank, seqno, digest)`; `undefined` when an absent digest makes them incomparable. */
function compareRecords(
  a: { rank: number; seqno: number; digest: Uint8Array | undefined },
  b: { rank: number; seqno: number; digest: Uint8Array | undefined },
): number | undefined {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.seqno !== b.seqno) return a.seqno - b.seqno;
  if (a.digest === undefined || b.digest === undefined) return undefined;
  return compareBytes(a.digest, b.digest);
}

/**
 * Merges one incoming `"D"` entry into the stored row (absent if unknown), at unix time
 * `nowSeconds` (used only to restate a tombstone). Returns the new row and what changed.
 */
export function mergeDeviceEntry(
  stored: StoredDevice | undefined,
  incoming: PayloadDeviceEntry,
  nowSeconds: number,
): { readonly device: StoredDevice; readonly change: MergeChange } {
  if (incoming.kind === 'tombstone') {
    const storedRank = stored === undefined ? -1 : DEVICE_STATE_RANK[stored.state];
    const rank = DEVICE_STATE_RANK[incoming.state];
    const newer =
      rank > storedRank || (rank === storedRank && incoming.at > (stored?.removedAt ?? 0));
    if (!newer) return { device: stored ?? bare(incoming), change: 'unchanged' };
    return {
      device: { ...stored, state: incoming.state, removedAt: incoming.at },
      change: incoming.state,
    };
  }
  if (stored !== undefined && DEVICE_STATE_RANK[stored.state] >= DEVICE_STATE_RANK.left) {
    // One-way: a removed (or departed) ID comes back only under a new ID.
    return {
      device: { ...stored, removedAt: nowSeconds, broadcastNeeded: true },
      change: 'restated',
    };
  }
  const candidate = {
    rank: DEVICE_STATE_RANK.registered,
    seqno: incoming.record.seqno,
    digest: incoming.digest,
  };
  if (stored?.record !== undefined) {
    const cmp = compareRecords(candidate, {
      rank: DEVICE_STATE_RANK[stored.state],
      seqno: stored.record.seqno,
      digest: stored.digest,
    });
    if (cmp === undefined || cmp <= 0) return { device: stored, change: 'unchanged' };
  }
  const wasRegistered = stored?.state === 'registered';
  const device: StoredDevice = {
    state: 'registered',
    record: incoming.record,
    ...(incoming.digest === undefined ? {} : { digest: incoming.digest }),
    ...(wasRegistered ? {} : { broadcastNeeded: true }),
  };
  return { device, change: wasRegistered ? 'updated' : 'registered' };
}

function bare(t: Tombstone): StoredDevice {
  return { state: t.state, removedAt: t.at };
}

/** One device's change in a merge, keyed by its hex ID. */
export interface DeviceChange {
  readonly id: string;
  readonly change: Exclude<MergeChange, 'unchanged'>;
  readonly previous: DeviceState | undefined;
}

/**
 * Merges a payload's `"D"` entries into a device table (keys are lowercase hex device IDs).
 * Returns a new table and every change; entries absent from the payload are left as they are.
 */
export function mergeDeviceTable(
  table: ReadonlyMap<string, StoredDevice>,
  incoming: ReadonlyMap<string, PayloadDeviceEntry>,
  nowSeconds: number,
): {
  readonly table: ReadonlyMap<string, StoredDevice>;
  readonly changes: readonly DeviceChange[];
} {
  const out = new Map(table);
  const changes: DeviceChange[] = [];
  for (const [id, entry] of incoming) {
    const stored = out.get(id);
    const { device, change } = mergeDeviceEntry(stored, entry, nowSeconds);
    out.set(id, device);
    if (change !== 'unchanged') changes.push({ id, change, previous: stored?.state });
  }
  return { table: out, changes };
}

/** The `"D"` entries a push carries: records of Registered devices and every tombstone. */
export function payloadEntries(
  table: ReadonlyMap<string, StoredDevice>,
): ReadonlyMap<string, PayloadDeviceEntry> {
  const out = new Map<string, PayloadDeviceEntry>();
  for (const id of [...table.keys()].sort()) {
    const d = table.get(id);
    if (d === undefined) continue;
    if ((d.state === 'kicked' || d.state === 'left') && d.removedAt !== undefined) {
      out.set(id, { kind: 'tombstone', state: d.state, at: d.removedAt });
    } else if (d.state === 'registered' && d.record !== undefined) {
      out.set(id, {
        kind: 'record',
        record: d.record,
        ...(d.digest === undefined ? {} : { digest: d.digest }),
      });
    }
  }
  return out;
}
