/**
 * A device's record in the device group: the bt dict each member publishes about itself
 * (protocol-v2.md §10; upstream session-foundation/libsession-util:src/core/devices.cpp
 * `encode_device_info`, `decode_one`, `record_digest`, and `device::Info` in
 * include/session/core/devices.hpp).
 *
 * | key   | value                                                                   |
 * | ----- | ----------------------------------------------------------------------- |
 * | `"#"` | seqno (bumped on every change the device makes to its own record)       |
 * | `"@"` | timestamp, unix seconds                                                 |
 * | `"M"` | device ML-KEM-768 public key (1184)                                     |
 * | `"X"` | device X25519 public key (32)                                           |
 * | `"d"` | description, free-form UTF-8; always written, possibly empty            |
 * | `"t"` | type: `i` iOS, `a` Android, `d` Desktop, `c` CLI, else custom; omitted if empty |
 * | `"v"` | version `1000000·major + 1000·minor + patch`; omitted if 0              |
 *
 * Unknown keys (from newer clients) are kept and re-emitted in their sorted place, so a device
 * republishing another's record does not drop what it does not understand.
 *
 * The merge digest is BLAKE2b-8 (no key, no personalisation) of the record **as received**.
 * Our bt decoder accepts only canonical encodings, so re-encoding the decoded dict gives those
 * exact bytes.
 */
import { ProtocolError } from '../../errors.ts';
import { MLKEM768, blake2bSaltPersonal } from '../../crypto/primitives.ts';
import { assertBytes, fromUtf8, utf8 } from '../../encoding/bytes.ts';
import {
  btDict,
  isBtBytes,
  isBtDict,
  isBtInteger,
  type BtDict,
  type BtValue,
} from '../../encoding/bencode.ts';
import { encodeBencode } from '../../encoding/bencode-encode.ts';

/** Description limit in bytes ([D] in protocol-v2.md §10; applied when a record is made here). */
export const DEVICE_DESCRIPTION_MAX_BYTES = 64;
/** Merge digest length (`hash::blake2b<8>`). */
export const DEVICE_RECORD_DIGEST_BYTES = 8;

/** The type strings of Session's own clients (`device::type_from_encoded`). */
export const DEVICE_TYPES = { ios: 'i', android: 'a', desktop: 'd', cli: 'c' } as const;

/** A device record. */
export interface DeviceRecord {
  /** `"#"`. */
  readonly seqno: number;
  /** `"@"`, unix seconds. */
  readonly timestamp: number;
  /** `"M"`, 1184 bytes. */
  readonly mlkemPublicKey: Uint8Array;
  /** `"X"`, 32 bytes. */
  readonly x25519PublicKey: Uint8Array;
  /** `"d"`. */
  readonly description: string;
  /** `"t"`; `''` when absent. */
  readonly type: string;
  /** `"v"` as the wire integer; 0 when absent (see `deviceVersion`). */
  readonly version: number;
  /** Keys this version does not know, kept verbatim. */
  readonly extra: ReadonlyMap<string, BtValue>;
}

/** What a caller fills in to make a record; `extra` defaults to none. */
export interface DeviceRecordInit {
  readonly seqno: number;
  readonly timestamp: number;
  readonly mlkemPublicKey: Uint8Array;
  readonly x25519PublicKey: Uint8Array;
  readonly description?: string;
  readonly type?: string;
  readonly version?: number;
  readonly extra?: ReadonlyMap<string, BtValue>;
}

const KNOWN_KEYS = new Set(['#', '@', 'M', 'X', 'd', 't', 'v']);

/**
 * Cuts text to at most `maxBytes` of UTF-8 without splitting a character (a code point is
 * never cut in half; a combining sequence may be).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = utf8(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that straddles.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return fromUtf8(bytes.subarray(0, end));
}

/** `1000000·major + 1000·minor + patch`, minor and patch clamped to 0–999 as upstream does. */
export function deviceVersion(major: number, minor: number, patch: number): number {
  const clamp = (n: number): number => Math.min(999, Math.max(0, Math.trunc(n)));
  return Math.trunc(major) * 1_000_000 + clamp(minor) * 1000 + clamp(patch);
}

/** The `[major, minor, patch]` of a wire version integer. */
export function deviceVersionParts(version: number): readonly [number, number, number] {
  return [Math.trunc(version / 1_000_000), Math.trunc(version / 1000) % 1000, version % 1000];
}

/** Makes a record, checking key sizes and cutting the description to 64 bytes. */
export function createDeviceRecord(init: DeviceRecordInit): DeviceRecord {
  checkInteger('device record seqno', init.seqno);
  checkInteger('device record timestamp', init.timestamp);
  checkInteger('device record version', init.version ?? 0);
  assertBytes('device ML-KEM-768 public key', init.mlkemPublicKey, MLKEM768.publicKeyBytes);
  assertBytes('device X25519 public key', init.x25519PublicKey, 32);
  const extra = new Map<string, BtValue>();
  for (const [k, v] of init.extra ?? []) if (!KNOWN_KEYS.has(k)) extra.set(k, v);
  return {
    seqno: init.seqno,
    timestamp: init.timestamp,
    mlkemPublicKey: Uint8Array.from(init.mlkemPublicKey),
    x25519PublicKey: Uint8Array.from(init.x25519PublicKey),
    description: truncateUtf8(init.description ?? '', DEVICE_DESCRIPTION_MAX_BYTES),
    type: init.type ?? '',
    version: init.version ?? 0,
    extra,
  };
}

function checkInteger(what: string, n: number): void {
  if (!Number.isSafeInteger(n)) {
    throw new ProtocolError('invalid-input', `${what}: expected a safe integer, got ${n}`);
  }
}

/** The record as a bt dict (unknown keys included; the encoder sorts). */
export function deviceRecordDict(record: DeviceRecord): BtDict {
  const dict = btDict(record.extra);
  for (const k of KNOWN_KEYS) dict.delete(k);
  dict.set('#', record.seqno);
  dict.set('@', record.timestamp);
  dict.set('M', record.mlkemPublicKey);
  dict.set('X', record.x25519PublicKey);
  dict.set('d', utf8(record.description));
  if (record.type !== '') dict.set('t', utf8(record.type));
  if (record.version !== 0) dict.set('v', record.version);
  return dict;
}

/** The record's canonical bt encoding. */
export function encodeDeviceRecord(record: DeviceRecord): Uint8Array {
  return encodeBencode(deviceRecordDict(record));
}

/** BLAKE2b-8 of an encoded record: the last term of the merge comparison. */
export function deviceRecordDigest(encoded: Uint8Array): Uint8Array {
  return blake2bSaltPersonal(DEVICE_RECORD_DIGEST_BYTES, encoded, {});
}

/** A record decoded from the wire, with the digest of the bytes it arrived as. */
export interface DecodedDeviceRecord {
  readonly record: DeviceRecord;
  readonly digest: Uint8Array;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('invalid-bencode', `device record: ${message}`);
}

function safeInteger(dict: BtDict, key: string, required: boolean): number | undefined {
  const v = dict.get(key);
  if (v === undefined) {
    if (required) throw bad(`missing "${key}"`);
    return undefined;
  }
  if (!isBtInteger(v) || typeof v !== 'number') {
    throw bad(`"${key}": expected an integer within ±2^53`);
  }
  return v;
}

function bytesOf(dict: BtDict, key: string, length?: number): Uint8Array | undefined {
  const v = dict.get(key);
  if (v === undefined) return undefined;
  if (!isBtBytes(v)) throw bad(`"${key}": expected a byte string`);
  if (length !== undefined && v.length !== length) {
    throw bad(`"${key}": expected ${length} bytes, got ${v.length}`);
  }
  return v;
}

/**
 * Decodes a record dict (already bt-decoded). Missing or mis-sized `#`, `@`, `M`, `X`, and
 * text that is not UTF-8, are `invalid-bencode` errors. The description is not cut here: a
 * record is kept as its author wrote it, so its digest and re-encoding stay stable.
 */
export function decodeDeviceRecord(value: BtValue): DecodedDeviceRecord {
  if (!isBtDict(value)) throw bad('expected a dict');
  const seqno = safeInteger(value, '#', true) ?? 0;
  const timestamp = safeInteger(value, '@', true) ?? 0;
  const mlkemPublicKey = bytesOf(value, 'M', MLKEM768.publicKeyBytes);
  const x25519PublicKey = bytesOf(value, 'X', 32);
  if (mlkemPublicKey === undefined) throw bad('missing "M"');
  if (x25519PublicKey === undefined) throw bad('missing "X"');
  const text = (key: string): string => {
    const b = bytesOf(value, key);
    if (b === undefined) return '';
    try {
      return fromUtf8(b);
    } catch (cause) {
      throw new ProtocolError('invalid-bencode', `device record: "${key}": not UTF-8`, { cause });
    }
  };
  const extra = new Map<string, BtValue>();
  for (const [k, v] of value) if (!KNOWN_KEYS.has(k)) extra.set(k, v);
  const record: DeviceRecord = {
    seqno,
    timestamp,
    mlkemPublicKey,
    x25519PublicKey,
    description: text('d'),
    type: text('t'),
    version: safeInteger(value, 'v', false) ?? 0,
    extra,
  };
  return { record, digest: deviceRecordDigest(encodeBencode(value)) };
}
