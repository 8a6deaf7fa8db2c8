/**
 * The device-group snapshot (core's `DeviceStateSnapshot`) as one JSON text, for the
 * `device_state` table. The snapshot is read and replaced whole (core's `DeviceStateStore`
 * contract), and holds maps, bytes, bigints (bt integers in a record's unknown keys) and
 * `SecretKey`s, which plain JSON loses, so every non-scalar value is tagged:
 *
 *   ["b", base64]           Uint8Array
 *   ["k", kind, base64]     SecretKey (comes back a SecretKey of the same kind)
 *   ["n", decimal]          bigint
 *   ["m", [[key, value]…]]  Map
 *   ["a", [value…]]         array
 *   ["o", {name: value…}]   plain object (undefined-valued fields are left out)
 *
 * and numbers, strings, booleans and null are themselves. The text holds secrets: it is stored
 * only in the client's database, which is encrypted at rest (docs/sdk-storage.md).
 */
import { SecretKey, fromBase64, toBase64 } from '@session-ts/core';
import type { DeviceStateSnapshot, SecretKind } from '@session-ts/core';
import { StoreError } from '@session-ts/sqlite';

type Encoded = null | boolean | number | string | readonly unknown[];

function encode(value: unknown, path: string): Encoded {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, `non-finite number ${value}`);
    return value;
  }
  if (typeof value === 'bigint') return ['n', value.toString()];
  if (value instanceof SecretKey) {
    const key = value as SecretKey;
    return ['k', key.kind, toBase64(key.borrowBytes())];
  }
  if (value instanceof Uint8Array) return ['b', toBase64(value)];
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>)];
    return ['m', entries.map(([k, v], i) => [encode(k, path), encode(v, `${path}[${i}]`)])];
  }
  if (Array.isArray(value)) return ['a', value.map((v, i) => encode(v, `${path}[${i}]`))];
  if (typeof value === 'object' && isPlain(value)) {
    const out: Record<string, Encoded> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = encode(v, `${path}.${k}`);
    }
    return ['o', out];
  }
  throw invalid(path, `cannot store ${typeof value}`);
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function decode(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!Array.isArray(value)) throw corrupt(path);
  const [tag, a, b] = value as unknown[];
  switch (tag) {
    case 'b':
      return fromBase64(String(a));
    case 'k':
      return new SecretKey(String(a) as SecretKind, fromBase64(String(b)));
    case 'n':
      return BigInt(String(a));
    case 'm':
      if (!Array.isArray(a)) throw corrupt(path);
      return new Map(
        a.map((pair: unknown, i) => {
          if (!Array.isArray(pair)) throw corrupt(`${path}[${i}]`);
          return [decode(pair[0], path), decode(pair[1], `${path}[${i}]`)];
        }),
      );
    case 'a':
      if (!Array.isArray(a)) throw corrupt(path);
      return a.map((v: unknown, i) => decode(v, `${path}[${i}]`));
    case 'o': {
      if (a === null || typeof a !== 'object') throw corrupt(path);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a)) out[k] = decode(v, `${path}.${k}`);
      return out;
    }
    default:
      throw corrupt(path);
  }
}

function invalid(path: string, what: string): StoreError {
  return new StoreError('invalid-input', `device state${path}: ${what}`);
}

function corrupt(path: string): StoreError {
  return new StoreError('io', `device state${path}: stored value is not in the expected form`);
}

/** The snapshot as JSON text. */
export function encodeDeviceState(state: DeviceStateSnapshot): string {
  return JSON.stringify(encode(state, ''));
}

/** The snapshot back from `encodeDeviceState`'s text. */
export function decodeDeviceState(text: string): DeviceStateSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new StoreError('io', 'device state: stored text is not JSON', { cause });
  }
  try {
    return decode(parsed, '') as DeviceStateSnapshot;
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('io', 'device state: a stored value does not decode', { cause });
  }
}
