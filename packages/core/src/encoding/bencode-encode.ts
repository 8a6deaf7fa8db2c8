/**
 * The bt encoder: `BtValue` → canonical bt-encoded bytes, byte-compatible with oxenc's
 * `bt_serialize` and `bt_dict_producer` (session-foundation/oxen-encoding `oxenc/bt_serialize.h`,
 * `oxenc/bt_producer.h`):
 *
 * - byte string: `<length in decimal>:<bytes>` (`4:spam`);
 * - integer: `i<decimal>e`, no leading zeros, `i0e` for zero (`i-3e`);
 * - list: `l<values>e`;
 * - dict: `d<key><value>…e` with keys sorted by raw bytes, as oxenc sorts `std::string` keys.
 *
 * Canonical output is what signatures and hashes are computed over, so the encoder refuses what
 * it cannot encode exactly (fractional or unsafe numbers, integers outside int64 ∪ uint64, keys
 * that are not byte strings) with an `invalid-input` error instead of guessing.
 */
import { ProtocolError } from '../errors.ts';
import { concatBytes } from './bytes.ts';
import {
  BT_DEFAULT_MAX_DEPTH,
  BT_INT_MAX,
  BT_INT_MIN,
  btKeyBytes,
  btKind,
  isBtBytes,
  isBtDict,
  isBtList,
  type BtValue,
} from './bencode.ts';

/** Options for `encodeBencode`. */
export interface BencodeEncodeOptions {
  /** Deepest container nesting allowed (default 64, as the decoder). */
  readonly maxDepth?: number;
}

const ascii = new TextEncoder();

/** Encodes a value as canonical bt-encoded bytes. */
export function encodeBencode(value: BtValue, options: BencodeEncodeOptions = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  write(parts, value, 0, options.maxDepth ?? BT_DEFAULT_MAX_DEPTH, 'value');
  return concatBytes(...parts);
}

/** Encodes one byte string (`<len>:<bytes>`). */
export function encodeBencodeBytes(bytes: Uint8Array): Uint8Array {
  return concatBytes(ascii.encode(`${bytes.length}:`), bytes);
}

function write(
  parts: Uint8Array[],
  value: unknown,
  depth: number,
  maxDepth: number,
  path: string,
): void {
  if (isBtBytes(value)) {
    parts.push(ascii.encode(`${value.length}:`), value);
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    parts.push(ascii.encode(`i${integerText(value, path)}e`));
  } else if (isBtList(value)) {
    enter(depth, maxDepth, path);
    parts.push(ascii.encode('l'));
    value.forEach((item, i) => write(parts, item, depth + 1, maxDepth, `${path}[${i}]`));
    parts.push(ascii.encode('e'));
  } else if (isBtDict(value)) {
    enter(depth, maxDepth, path);
    parts.push(ascii.encode('d'));
    // Validate every key first: binary-string order equals raw byte order only for code units
    // 0–255, which `btKeyBytes` guarantees.
    const entries = [...value.entries()].map(([k, v]) => ({ key: btKeyBytes(k), k, v }));
    entries.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    for (const { key, k, v } of entries) {
      parts.push(ascii.encode(`${key.length}:`), key);
      write(parts, v, depth + 1, maxDepth, `${path}[${JSON.stringify(k)}]`);
    }
    parts.push(ascii.encode('e'));
  } else {
    throw new ProtocolError(
      'invalid-input',
      `bencode ${path}: expected a Uint8Array, integer, array or Map, got ${btKind(value)}`,
    );
  }
}

function enter(depth: number, maxDepth: number, path: string): void {
  if (depth >= maxDepth) {
    throw new ProtocolError(
      'invalid-input',
      `bencode ${path}: nesting deeper than ${maxDepth} containers (or a cycle)`,
    );
  }
}

function integerText(value: number | bigint, path: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new ProtocolError(
        'invalid-input',
        `bencode ${path}: expected a safe integer, got ${value} (use a bigint beyond 2^53)`,
      );
    }
    // String(-0) is "0", so -0 encodes canonically as i0e.
    return String(value);
  }
  if (value < BT_INT_MIN || value > BT_INT_MAX) {
    throw new ProtocolError(
      'invalid-input',
      `bencode ${path}: integer ${value} is outside the int64/uint64 range [-2^63, 2^64-1]`,
    );
  }
  return value.toString();
}
