/**
 * The plaintext of a device-group message (protocol-v2.md §9.2 steps 4–5; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `encode_group_payload`,
 * `decode_group_payload`, `DEVICE_PAYLOAD_PADDING`, `ACCOUNT_KEYS_ALLOWANCE`):
 *
 *   {"D": {device_id(32): record-dict | tombstone-int, …},
 *    "K": [{"c": created, "r": rotated?, "s": seed(32)}, …]}
 *
 * zero-padded to `2300 + 6400 · max(1, ceil((len − min(len, 2300)) / 6400))` bytes: a fixed
 * 2300-byte allowance for the account-key list (≤ ~33 keys of ~70 bytes) plus buckets of four
 * 1600-byte device budgets, so the ciphertext size says only which bucket the group is in.
 * [X] The doc says "a multiple of 6400"; this follows the code.
 *
 * `"K"` is listed current key first, then by `rotated` newest first, then `created` newest
 * first (upstream's `ORDER BY rotated DESC NULLS FIRST, created DESC`); ties, which upstream's
 * SQL leaves to the row order, go to the smaller seed so our output is reproducible.
 */
import { ProtocolError } from '../../errors.ts';
import { SecretKey } from '../../crypto/secret-key.ts';
import { toHex, fromHex } from '../../encoding/hex.ts';
import {
  btKey,
  btKeyBytes,
  compareBytes,
  isBtBytes,
  isBtDict,
  isBtInteger,
  isBtList,
  type BtDict,
  type BtValue,
} from '../../encoding/bencode.ts';
import { encodeBencode } from '../../encoding/bencode-encode.ts';
import { decodeBencodePrefix } from '../../encoding/bencode-decode.ts';
import type { AccountKeyEntry, AccountKeyRing } from '../keys/account-key-ring.ts';
import { decodeDeviceRecord, deviceRecordDict } from './device-record.ts';
import { tombstoneFromValue, tombstoneValue, type PayloadDeviceEntry } from './device-merge.ts';

/** Fixed allowance for the account-key list (`ACCOUNT_KEYS_ALLOWANCE`). */
export const PAYLOAD_ACCOUNT_KEYS_ALLOWANCE = 2300;
/** Bucket size: 4 devices × 1600 bytes (`DEVICE_PAYLOAD_PADDING`). */
export const PAYLOAD_BUCKET_BYTES = 6400;
/** Device IDs are 32 bytes. */
export const DEVICE_ID_BYTES = 32;

/** A decrypted device-group payload. Device IDs are lowercase hex. */
export interface DeviceGroupPayload {
  readonly devices: ReadonlyMap<string, PayloadDeviceEntry>;
  readonly accountKeys: AccountKeyRing;
}

/** The padded plaintext size for an encoded payload of `length` bytes. */
export function paddedPayloadSize(length: number): number {
  const over = length - Math.min(length, PAYLOAD_ACCOUNT_KEYS_ALLOWANCE);
  const buckets = Math.max(1, Math.ceil(over / PAYLOAD_BUCKET_BYTES));
  return PAYLOAD_ACCOUNT_KEYS_ALLOWANCE + buckets * PAYLOAD_BUCKET_BYTES;
}

/** Sorts a ring into payload order (see the module comment). */
export function payloadKeyOrder(ring: AccountKeyRing): AccountKeyEntry[] {
  return [...ring].sort((a, b) => {
    if ((a.rotated === undefined) !== (b.rotated === undefined)) {
      return a.rotated === undefined ? -1 : 1;
    }
    if (a.rotated !== undefined && b.rotated !== undefined && a.rotated !== b.rotated) {
      return b.rotated - a.rotated;
    }
    if (a.created !== b.created) return b.created - a.created;
    return compareBytes(a.seed.borrowBytes(), b.seed.borrowBytes());
  });
}

/** Encodes a payload (unpadded). */
export function encodeGroupPayload(payload: DeviceGroupPayload): Uint8Array {
  const devices = new Map<string, BtValue>();
  for (const [id, entry] of payload.devices) {
    const key = btKey(fromHex(id));
    if (key.length !== DEVICE_ID_BYTES) {
      throw new ProtocolError('invalid-input', `device ID: expected 32 bytes, got ${key.length}`);
    }
    devices.set(
      key,
      entry.kind === 'tombstone' ? tombstoneValue(entry) : deviceRecordDict(entry.record),
    );
  }
  const outer = new Map<string, BtValue>([['D', devices]]);
  if (payload.accountKeys.length > 0) {
    outer.set(
      'K',
      payloadKeyOrder(payload.accountKeys).map((k) => {
        const entry = new Map<string, BtValue>([
          ['c', k.created],
          ['s', k.seed.borrowBytes()],
        ]);
        if (k.rotated !== undefined) entry.set('r', k.rotated);
        return entry;
      }),
    );
  }
  return encodeBencode(outer);
}

/** Encodes and zero-pads a payload to its bucket size. */
export function padGroupPayload(payload: DeviceGroupPayload): Uint8Array {
  const encoded = encodeGroupPayload(payload);
  const out = new Uint8Array(paddedPayloadSize(encoded.length));
  out.set(encoded);
  return out;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('invalid-bencode', `device group payload: ${message}`);
}

function integer(dict: BtDict, key: string): number | undefined {
  const v = dict.get(key);
  if (v === undefined) return undefined;
  if (!isBtInteger(v) || typeof v !== 'number') throw bad(`"${key}": expected an integer`);
  return v;
}

/**
 * Decodes a padded plaintext: one bt dict followed only by zero bytes (the dict ends in `e`, so
 * trailing zeros are unambiguously padding). Any structural fault is an `invalid-bencode` error.
 */
export function decodeGroupPayload(padded: Uint8Array): DeviceGroupPayload {
  const { value, length } = decodeBencodePrefix(padded);
  for (let i = length; i < padded.length; i++) {
    if (padded[i] !== 0) throw bad(`non-zero byte in the padding at offset ${i}`);
  }
  if (!isBtDict(value)) throw bad('expected a dict');
  const d = value.get('D');
  if (!isBtDict(d)) throw bad('missing "D" dict');
  const devices = new Map<string, PayloadDeviceEntry>();
  for (const [key, entry] of d) {
    const id = btKeyBytes(key);
    if (id.length !== DEVICE_ID_BYTES) throw bad(`device ID of ${id.length} bytes (expected 32)`);
    if (isBtInteger(entry)) {
      devices.set(toHex(id), tombstoneFromValue(entry));
    } else {
      const { record, digest } = decodeDeviceRecord(entry);
      devices.set(toHex(id), { kind: 'record', record, digest });
    }
  }
  const k = value.get('K');
  if (!isBtList(k)) throw bad('missing "K" list');
  const accountKeys: AccountKeyEntry[] = k.map((e, i) => {
    if (!isBtDict(e)) throw bad(`"K"[${i}]: expected a dict`);
    const created = integer(e, 'c');
    const rotated = integer(e, 'r');
    const seed = e.get('s');
    if (created === undefined) throw bad(`"K"[${i}]: missing "c"`);
    if (!isBtBytes(seed) || seed.length !== 32) throw bad(`"K"[${i}]: "s" must be 32 bytes`);
    return {
      seed: new SecretKey('hybrid-key-seed', seed),
      created,
      ...(rotated === undefined ? {} : { rotated }),
    };
  });
  return { devices, accountKeys };
}
