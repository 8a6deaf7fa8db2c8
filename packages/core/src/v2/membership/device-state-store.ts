/**
 * The storage port of a device's group state (CONVENTIONS.md habit 2): one snapshot per device,
 * read and replaced whole. Transitions are pure functions from snapshot to snapshot
 * (`membership-state.ts`); a store only keeps the latest. The in-memory store here and the
 * SQLite store of the SDK both pass `deviceStateStoreContract` (test-support).
 *
 * Upstream keeps the same facts in SQLite tables (session-foundation/libsession-util:
 * src/core/schema/000_devices.sql: `devices`, `device_privkeys`, `device_account_keys`,
 * `device_groups`, `device_link_requests`, `device_own_requests`, globals).
 */
import type { DeviceStateSnapshot } from './membership-state.ts';

/** Where a device's group state lives. */
export interface DeviceStateStore {
  /** The stored snapshot, or `undefined` before the first `put`. */
  get(): Promise<DeviceStateSnapshot | undefined>;
  /** Replaces the stored snapshot. */
  put(state: DeviceStateSnapshot): Promise<void>;
}

/**
 * An in-memory store. It keeps the snapshot object itself: snapshots are immutable by
 * convention (every transition returns a new one), so no copy is needed.
 */
export function createMemoryDeviceStateStore(initial?: DeviceStateSnapshot): DeviceStateStore {
  let current = initial;
  return {
    get(): Promise<DeviceStateSnapshot | undefined> {
      return Promise.resolve(current);
    },
    put(state: DeviceStateSnapshot): Promise<void> {
      current = state;
      return Promise.resolve();
    },
  };
}
