/**
 * Device IDs (protocol-v2.md §2; upstream session-foundation/libsession-util:src/core/devices.cpp
 * `Devices::init`, the `device_unique_id` global): 32 random bytes a device draws at its first
 * start. They key the device-group payload's `"D"` dict and name a device in link requests and
 * removal entries. A device that was removed, or that left, draws a **new** ID to rejoin.
 *
 * An ID is not secret, but it is a stable identifier, so logs show only `deviceIdShort`.
 */
import { ProtocolError } from '../../errors.ts';
import { assertBytes, bytesEqual } from '../../encoding/bytes.ts';
import { fromHexOfLength, toHex } from '../../encoding/hex.ts';
import type { Rng } from '../../crypto/rng.ts';

/** Bytes in a device ID (upstream `std::array<std::byte, 32> id`). */
export const DEVICE_ID_LENGTH = 32;

/** A validated 32-byte device ID. */
export type DeviceId = Uint8Array & { readonly __brand: 'DeviceId' };

/** A fresh random device ID. */
export function newDeviceId(rng: Rng): DeviceId {
  if (typeof (rng as Partial<Rng> | undefined)?.randomBytes !== 'function') {
    throw new ProtocolError('invalid-input', 'rng: expected an Rng (an object with randomBytes)');
  }
  return deviceIdFromBytes(rng.randomBytes(DEVICE_ID_LENGTH));
}

/** Checks and copies 32 bytes as a device ID. */
export function deviceIdFromBytes(bytes: Uint8Array): DeviceId {
  assertBytes('device ID', bytes, DEVICE_ID_LENGTH);
  return Uint8Array.from(bytes) as DeviceId;
}

/** Parses a device ID from 64 hex characters (upstream `Devices::device_id()` prints hex). */
export function deviceIdFromHex(text: string): DeviceId {
  return fromHexOfLength(text, DEVICE_ID_LENGTH, 'device ID') as DeviceId;
}

/** The device ID as 64 lowercase hex characters. */
export function deviceIdHex(id: DeviceId): string {
  return toHex(id);
}

/** The first 8 hex characters, for logs and debugging output (CONVENTIONS.md, habit 8). */
export function deviceIdShort(id: DeviceId): string {
  return `${toHex(id.subarray(0, 4))}…`;
}

/** True when two device IDs are the same device. */
export function deviceIdsEqual(a: DeviceId, b: DeviceId): boolean {
  return bytesEqual(a, b);
}
