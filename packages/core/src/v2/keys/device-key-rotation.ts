/**
 * Scheduled device-key rotation: **beyond upstream**. Upstream rotates device keys only when
 * `rotate_device_keys()` is called, and `next_device_rotation()` is a TODO returning nothing
 * (protocol-v2.md §3 and §15.2; session-foundation/libsession-util:src/core/devices.cpp). Device
 * keys protect the account-key seeds carried in device-group messages, so a stolen device-key
 * history reveals every account seed ever sent to that device. This module bounds that history.
 *
 * The schedule (docs/protocol-v2.md, "Device-key rotation"):
 *
 * - **Period: 7 days.** A device rotates its device key 7 days after creating the current one,
 *   but only once the current key is *confirmed*: the device has read a device-group message
 *   encrypted to it, so the group has learned it. Until then, rotating again would pile up keys
 *   the group never used.
 * - **Retention window.** An old key is needed only for device-group messages pushed before the
 *   other devices learned its successor. A rotated key is dropped 48 h after the device first
 *   read a group message encrypted to any newer key (other devices push only after fetching, so
 *   concurrent pushes to the old key are minutes old; 48 h covers clock skew and slow polls), and
 *   in any case 30 days after rotation: the device-group message TTL (devices.hpp
 *   `DEVICE_GROUP_TTL`), after which nothing encrypted to it is left on the swarm.
 *
 * So a seized device's device keys open device-group messages pushed at most ~9 days (7 days +
 * 48 h, when the group is responsive) and never more than 37 days before the seizure.
 *
 * Times are unix seconds. Entries mirror upstream's `device_privkeys` rows (`created`,
 * `rotated`) plus `confirmed`, which upstream lacks.
 */
import { ProtocolError } from '../../errors.ts';
import { assertBytes } from '../../encoding/bytes.ts';
import { compareBytes } from '../../encoding/bencode.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import type { Rng } from '../../crypto/rng.ts';
import { checkUnixSeconds } from './account-key-ring.ts';

/** How long a device key is current before it is rotated (ours; upstream has no schedule). */
export const DEVICE_KEY_ROTATION_PERIOD_SECONDS = 7 * 24 * 3600;
/** How long a rotated device key is kept after a newer key is confirmed in use. */
export const DEVICE_KEY_CONFIRMED_GRACE_SECONDS = 48 * 3600;
/** The longest a rotated device key is kept: the device-group message TTL, 30 days. */
export const DEVICE_KEY_MAX_RETENTION_SECONDS = 30 * 24 * 3600;

/** One of this device's own device keys. */
export interface DeviceKeyEntry {
  /** The 32-byte seed (§2, SHAKE256 domain "SessionDeviceKeys"). Secret: never prints. */
  readonly seed: SecretKey<'hybrid-key-seed'>;
  /** When it was made, unix seconds. */
  readonly created: number;
  /** When a newer key replaced it, unix seconds; absent while current. */
  readonly rotated?: number;
  /** When this device first read a device-group message encrypted to it, unix seconds. */
  readonly confirmed?: number;
}

/** This device's device keys; functions return them current first, then newest first. */
export type DeviceKeyRing = readonly DeviceKeyEntry[];

function sorted(ring: DeviceKeyRing): DeviceKeyEntry[] {
  return [...ring].sort(
    (a, b) => b.created - a.created || compareBytes(a.seed.borrowBytes(), b.seed.borrowBytes()),
  );
}

/** The current device key (the newest unrotated one), if any. */
export function currentDeviceKey(ring: DeviceKeyRing): DeviceKeyEntry | undefined {
  return sorted(ring).find((k) => k.rotated === undefined);
}

/**
 * Rotates: a new seed from `rng`, created at `max(now, newest + 1)`; every unrotated key is
 * marked rotated at that time (upstream's `device_privkey_rotation` trigger); then prunes.
 */
export function rotateDeviceKey(
  ring: DeviceKeyRing,
  now: number,
  rng: Rng,
): { readonly ring: DeviceKeyRing; readonly key: DeviceKeyEntry } {
  const t = checkUnixSeconds('now', now);
  if (typeof (rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  const seed = rng.randomBytes(32);
  assertBytes('rng output', seed, 32);
  const created = Math.max(t, ring.reduce((m, k) => Math.max(m, k.created), -Infinity) + 1);
  const key: DeviceKeyEntry = { seed: new SecretKey('hybrid-key-seed', seed), created };
  seed.fill(0);
  const rotated = ring.map((k) => (k.rotated === undefined ? { ...k, rotated: created } : k));
  return { ring: pruneDeviceKeyRing([key, ...rotated], t), key };
}

/**
 * Records that this device read a device-group message with the key whose seed is `seed`
 * (first time only). Unknown seeds leave the ring unchanged.
 */
export function confirmDeviceKey(
  ring: DeviceKeyRing,
  seed: Uint8Array | SecretKey<'hybrid-key-seed'>,
  now: number,
): DeviceKeyRing {
  const t = checkUnixSeconds('now', now);
  const raw = seed instanceof SecretKey ? seed.borrowBytes() : seed;
  assertBytes('device key seed', raw, 32);
  return sorted(ring).map((k) =>
    k.confirmed === undefined && compareBytes(k.seed.borrowBytes(), raw) === 0
      ? { ...k, confirmed: t }
      : k,
  );
}

/**
 * The time after which a rotated key may be deleted (module comment): 48 h after the first
 * confirmation of any newer key, and never later than 30 days after its rotation. `undefined`
 * for the current key, which is never deleted.
 */
export function deviceKeyExpiry(ring: DeviceKeyRing, key: DeviceKeyEntry): number | undefined {
  if (key.rotated === undefined) return undefined;
  let firstConfirmation = Infinity;
  for (const k of ring) {
    if (k.created > key.created && k.confirmed !== undefined) {
      firstConfirmation = Math.min(firstConfirmation, k.confirmed);
    }
  }
  return Math.min(
    key.rotated + DEVICE_KEY_MAX_RETENTION_SECONDS,
    firstConfirmation + DEVICE_KEY_CONFIRMED_GRACE_SECONDS,
  );
}

/** Drops rotated keys past their expiry; the current key always stays. */
export function pruneDeviceKeyRing(ring: DeviceKeyRing, now: number): DeviceKeyRing {
  const t = checkUnixSeconds('now', now);
  return sorted(ring).filter((k) => {
    const expiry = deviceKeyExpiry(ring, k);
    return expiry === undefined || t < expiry;
  });
}

/** When the device key should next be rotated. */
export type DeviceRotationSchedule =
  /** No device key yet: make one now. */
  | { readonly kind: 'no-key' }
  /** The current key is not yet confirmed; rotation waits for the group to use it. */
  | { readonly kind: 'awaiting-confirmation'; readonly earliest: number }
  /** Rotate at `at` (unix seconds). */
  | { readonly kind: 'scheduled'; readonly at: number };

/** The device-key rotation schedule (what upstream's `next_device_rotation()` leaves a TODO). */
export function nextDeviceRotation(ring: DeviceKeyRing): DeviceRotationSchedule {
  const current = currentDeviceKey(ring);
  if (current === undefined) return { kind: 'no-key' };
  const at = current.created + DEVICE_KEY_ROTATION_PERIOD_SECONDS;
  if (current.confirmed === undefined) return { kind: 'awaiting-confirmation', earliest: at };
  return { kind: 'scheduled', at };
}

/** True when the device key should be rotated at `now`. */
export function deviceRotationDue(ring: DeviceKeyRing, now: number): boolean {
  const t = checkUnixSeconds('now', now);
  const next = nextDeviceRotation(ring);
  switch (next.kind) {
    case 'no-key':
      return true;
    case 'awaiting-confirmation':
      return false;
    case 'scheduled':
      return next.at <= t;
  }
}
