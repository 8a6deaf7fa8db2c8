/**
 * bt-encoding (BitTorrent bencode, BEP-0003) as Session uses it: the value model and the small
 * helpers shared by the encoder (`bencode-encode.ts`), the decoder (`bencode-decode.ts`) and the
 * signed-dict helpers (`bencode-signature.ts`).
 *
 * Upstream: session-foundation/oxen-encoding `oxenc/bt_serialize.h`, `oxenc/bt_producer.h` and
 * `oxenc/bt_value.h` (the `oxenc` library libsession-util uses for every bt-encoded message:
 * config messages §4, group keys messages §6.2, group messages §6.3).
 *
 * Values:
 * - byte strings are `Uint8Array` (`btString` / `btText` convert UTF-8 text);
 * - integers are `number` when the value is a safe integer and `bigint` otherwise. Like oxenc,
 *   the range is int64 ∪ uint64: −2^63 … 2^64 − 1 (oxenc keeps `int64_t` or `uint64_t`);
 * - lists are arrays;
 * - dicts are `Map`s whose keys are byte strings held as **binary strings**: one UTF-16 code unit
 *   (0–255) per byte, as Node's `latin1` encoding does. Every key Session itself uses is ASCII
 *   (`#`, `G`, `~`, …), so keys read naturally, and binary keys (such as the 33-byte account IDs
 *   that key the contacts config) survive a round trip. `btKey` / `btKeyBytes` convert.
 */
import { ProtocolError } from '../errors.ts';
import { fromUtf8, utf8 } from './bytes.ts';

/** A bt integer: a `number` when safe, a `bigint` beyond ±2^53 (int64 or uint64 range). */
export type BtInteger = number | bigint;
/** A bt list. */
export type BtList = readonly BtValue[];
/** A bt dict; keys are binary strings (one code unit 0–255 per byte). */
export type BtDict = ReadonlyMap<string, BtValue>;
/** Any bt-encodable value. */
export type BtValue = Uint8Array | BtInteger | BtList | BtDict;

/** Smallest bt integer: −2^63 (oxenc `int64_t`). */
export const BT_INT_MIN = -(2n ** 63n);
/** Largest bt integer: 2^64 − 1 (oxenc `uint64_t`). */
export const BT_INT_MAX = 2n ** 64n - 1n;

/**
 * Default nesting limit for decoding and encoding. Session's deepest structure (a config
 * message's lagged diffs: dict → list → list → dict → dict …) stays well under it; the limit is
 * ours (oxenc has none) and exists so hostile input cannot exhaust the stack.
 */
export const BT_DEFAULT_MAX_DEPTH = 64;

/** True for a bt byte string. */
export function isBtBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** True for a bt integer (a safe-integer `number` or a `bigint`). */
export function isBtInteger(value: unknown): value is BtInteger {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** True for a bt list. */
export function isBtList(value: unknown): value is BtList {
  return Array.isArray(value);
}

/** True for a bt dict. */
export function isBtDict(value: unknown): value is BtDict {
  return value instanceof Map;
}

/** UTF-8 text as a bt byte string. */
export function btString(text: string): Uint8Array {
  return utf8(text);
}

/** A bt byte string read as strict UTF-8 text; anything else is an `invalid-bencode` error. */
export function btText(value: BtValue | undefined, what = 'bt value'): string {
  if (!isBtBytes(value)) {
    throw new ProtocolError(
      'invalid-bencode',
      `${what}: expected a byte string, got ${btKind(value)}`,
    );
  }
  return fromUtf8(value);
}

/** The binary-string dict key for raw key bytes. */
export function btKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The raw bytes of a binary-string dict key; a code unit above 255 is an `invalid-input` error. */
export function btKeyBytes(key: string): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0xff) {
      throw new ProtocolError(
        'invalid-input',
        `bt dict key: expected one byte (0-255) per character, got U+${key
          .charCodeAt(i)
          .toString(16)
          .padStart(4, '0')} at index ${i} (use btKey(utf8(text)) for UTF-8 keys)`,
      );
    }
  }
  return new Uint8Array(Buffer.from(key, 'latin1'));
}

/** Builds a dict from an object or entries; the encoder sorts keys, so order does not matter. */
export function btDict(
  entries: Readonly<Record<string, BtValue>> | Iterable<readonly [string, BtValue]>,
): Map<string, BtValue> {
  const pairs = Symbol.iterator in entries ? entries : Object.entries(entries);
  const map = new Map<string, BtValue>();
  for (const [k, v] of pairs) map.set(k, v);
  return map;
}

/** Compares byte strings the way oxenc sorts dict keys (`std::string` `<`: unsigned bytes). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** A short name for a value's bt kind, for error messages. */
export function btKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (isBtBytes(value)) return 'a byte string';
  if (isBtInteger(value)) return 'an integer';
  if (isBtList(value)) return 'a list';
  if (isBtDict(value)) return 'a dict';
  if (value === null) return 'null';
  return typeof value === 'number' ? 'a non-integer or unsafe number' : typeof value;
}
