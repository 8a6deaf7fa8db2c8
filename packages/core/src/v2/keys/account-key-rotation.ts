/**
 * Account-key rotation: when a device rotates the shared account key and what rotating does to
 * the ring (protocol-v2.md §3; upstream session-foundation/libsession-util:
 * include/session/core/devices.hpp constants, src/core/devices.cpp `rotate_account_keys` and
 * `next_account_rotation`).
 *
 * Every registered device computes its own due time
 *
 *   t = created + (PERIOD − WINDOW/2) + WINDOW · (1 − u^N)
 *   u = LE-u64(BLAKE2b-8(key = current seed, pers = "SessionAccKeyRot", device_id)) / 2^64
 *
 * with N the number of Registered devices. Each `1 − u_i^N` has CDF 1 − (1 − x)^(1/N), so the
 * minimum over N devices is uniform on [0, 1]: the first rotation lands uniformly in
 * [11 h, 13 h] after `created` whatever N is, which hides the device count from contacts who
 * watch the published keys change.
 */
import { ProtocolError } from '../../errors.ts';
import { utf8 } from '../../encoding/bytes.ts';
import { blake2bSaltPersonal } from '../../crypto/primitives.ts';
import type { Rng } from '../../crypto/rng.ts';
import {
  checkUnixSeconds,
  currentAccountKey,
  makeAccountKeyEntry,
  pruneAccountKeyRing,
  settleAccountKeyRing,
  type AccountKeyEntry,
  type AccountKeyRing,
} from './account-key-ring.ts';
import { DEVICE_ID_LENGTH, type DeviceId } from './device-id.ts';
import { assertBytes } from '../../encoding/bytes.ts';

/** Base rotation period, seconds (devices.hpp `ACCOUNT_KEY_ROTATION_PERIOD` = 12 h). */
export const ACCOUNT_KEY_ROTATION_PERIOD_SECONDS = 12 * 3600;
/** Jitter window, seconds (devices.hpp `ACCOUNT_KEY_ROTATION_WINDOW` = 2 h). */
export const ACCOUNT_KEY_ROTATION_WINDOW_SECONDS = 2 * 3600;

/** BLAKE2b personalisation of the per-device rotation value (devices.cpp `PERS_ACC_KEY_ROT`). */
const ROTATION_PERSONALISATION = utf8('SessionAccKeyRot');

/**
 * Events after which the account key is rotated at once, not on schedule (protocol-v2.md §3):
 * removing a device (in the same transaction as the removal), accepting a "replace record" link
 * request, and learning that a device left (whichever remaining member notices first).
 */
export const FORCED_ACCOUNT_ROTATION_REASONS = [
  'device-removed',
  'replace-record',
  'device-left',
] as const;

/** Why an account key must be rotated now rather than on schedule. */
export type ForcedAccountRotationReason = (typeof FORCED_ACCOUNT_ROTATION_REASONS)[number];

/** The result of `rotateAccountKey`. */
export interface AccountKeyRotation {
  /** The new ring: the new key current, the old one rotated, expired keys pruned. */
  readonly ring: AccountKeyRing;
  /** The new current key. */
  readonly key: AccountKeyEntry;
}

/**
 * Rotates: a new random seed from `rng`, created at `max(now, newest created + 1)` so it wins
 * even within the same second (devices.cpp: otherwise, after a removal, the key the removed
 * device holds could stay current); the previous key becomes rotated at that time; keys rotated
 * more than 16 days ago are pruned.
 */
export function rotateAccountKey(ring: AccountKeyRing, now: number, rng: Rng): AccountKeyRotation {
  const t = checkUnixSeconds('now', now);
  if (typeof (rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  const seed = rng.randomBytes(32);
  assertBytes('rng output', seed, 32);
  const newest = ring.reduce((max, k) => Math.max(max, k.created), -Infinity);
  const key = makeAccountKeyEntry({ seed, created: Math.max(t, newest + 1) });
  seed.fill(0);
  const next = pruneAccountKeyRing(settleAccountKeyRing([...ring, key]), t);
  return { ring: next, key };
}

/** The inputs of the rotation schedule. */
export interface AccountRotationScheduleInput {
  /** This device's account-key ring. */
  readonly ring: AccountKeyRing;
  /** This device's ID. */
  readonly deviceId: DeviceId;
  /** The number of Registered devices in the group (this one included); at least 1. */
  readonly registeredDevices: number;
}

/**
 * The per-device uniform value `u` in [0, 1) for the current key (exported for the vectors):
 * the 8-byte keyed BLAKE2b read little-endian, converted to a double and divided by 2^64, as
 * upstream's `load_little_to_host<uint64_t>(…) / 0x1p64`.
 */
export function accountRotationUniform(seed: Uint8Array, deviceId: DeviceId): number {
  assertBytes('account key seed', seed, 32);
  assertBytes('device ID', deviceId, DEVICE_ID_LENGTH);
  const h = blake2bSaltPersonal(8, deviceId, {
    key: seed,
    personalization: ROTATION_PERSONALISATION,
  });
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(h[i] ?? 0);
  return Number(v) / 2 ** 64;
}

/**
 * When this device should rotate the current account key, in unix seconds (fractional, as
 * upstream's sub-second `time_point`). `undefined` when the ring has no current key: then the
 * device rotates at once. Upstream also answers `nullopt` when this device is not Registered;
 * the caller checks that (it is membership state, not key state).
 */
export function nextAccountRotation(input: AccountRotationScheduleInput): number | undefined {
  const n = input.registeredDevices;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ProtocolError(
      'invalid-input',
      `registered device count: expected an integer ≥ 1, got ${String(n)}`,
    );
  }
  const current = currentAccountKey(input.ring);
  if (current === undefined) return undefined;
  const u = accountRotationUniform(current.seed.borrowBytes(), input.deviceId);
  const offset =
    ACCOUNT_KEY_ROTATION_PERIOD_SECONDS -
    ACCOUNT_KEY_ROTATION_WINDOW_SECONDS / 2 +
    ACCOUNT_KEY_ROTATION_WINDOW_SECONDS * (1 - Math.pow(u, n));
  return current.created + offset;
}

/** Whether and why this device should rotate the account key now. */
export type AccountRotationDecision =
  | { readonly due: false; readonly next: number }
  | {
      readonly due: true;
      readonly reason: 'schedule' | 'no-current-key' | ForcedAccountRotationReason;
    };

/**
 * Decides whether to rotate at `now`: at once for a forced reason or when there is no current
 * key; otherwise when the schedule says so.
 */
export function accountRotationDue(
  input: AccountRotationScheduleInput & {
    readonly now: number;
    readonly forced?: ForcedAccountRotationReason;
  },
): AccountRotationDecision {
  const now = checkUnixSeconds('now', input.now);
  if (input.forced !== undefined) {
    if (!FORCED_ACCOUNT_ROTATION_REASONS.includes(input.forced)) {
      throw new ProtocolError(
        'invalid-input',
        `forced rotation reason: unknown ${String(input.forced)}`,
      );
    }
    return { due: true, reason: input.forced };
  }
  const next = nextAccountRotation(input);
  if (next === undefined) return { due: true, reason: 'no-current-key' };
  return next <= now ? { due: true, reason: 'schedule' } : { due: false, next };
}
