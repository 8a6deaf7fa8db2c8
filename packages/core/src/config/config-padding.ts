/**
 * Config message padding (protocol-v1.md §4): zero bytes inserted at the **front** of the
 * plaintext so that the encrypted message lands on a size bucket, hiding the exact config size.
 *
 * Upstream: session-foundation/libsession-util `include/session/config/encrypt.hpp`
 * (`padded_size`, `pad_message`), applied by `ConfigBase::push` before `encrypt_inplace`, and
 * the prefix skip in `ConfigBase::_merge` (`src/config/base.cpp`). Cases from
 * `tests/test_encrypt.cpp` ("config message padding").
 *
 * Buckets, by s2 = size + overhead (overhead defaults to the 40 bytes `encryptConfig` adds):
 *
 * | s2        | chunk |
 * |-----------|-------|
 * | < 5120    | 256   |
 * | < 20480   | 1024  |
 * | < 40960   | 2048  |
 * | otherwise | 5120  |
 *
 * padded_size = ceil(s2 / chunk) · chunk − overhead. The leading zeros are safe because every
 * config plaintext starts with a non-zero byte (`d` for a bt dict, `z` for zstd data).
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { CONFIG_ENCRYPTION_OVERHEAD } from './config-encryption.ts';

/** The bucket table as [s2 upper bound (exclusive), chunk], from `padded_size`. */
const BUCKETS: readonly (readonly [number, number])[] = [
  [5120, 256],
  [20480, 1024],
  [40960, 2048],
  [Number.POSITIVE_INFINITY, 5120],
];

/**
 * The size `size` bytes are padded to, so that `result + overhead` fills a bucket. Always
 * `>= size`; `overhead` defaults to the config encryption overhead (40).
 */
export function configPaddedSize(size: number, overhead = CONFIG_ENCRYPTION_OVERHEAD): number {
  checkCount('config size', size);
  checkCount('config padding overhead', overhead);
  const s2 = size + overhead;
  let chunk = 5120;
  for (const [below, c] of BUCKETS) {
    if (s2 < below) {
      chunk = c;
      break;
    }
  }
  return Math.ceil(s2 / chunk) * chunk - overhead;
}

/** A copy of `data` with zero bytes inserted at the front up to `configPaddedSize`. */
export function padConfig(data: Uint8Array, overhead = CONFIG_ENCRYPTION_OVERHEAD): Uint8Array {
  assertBytes('config plaintext', data);
  const target = configPaddedSize(data.length, overhead);
  const out = new Uint8Array(target);
  out.set(data, target - data.length);
  return out;
}

/**
 * A decrypted config plaintext without its leading zero padding (a view, not a copy). An
 * all-zero plaintext gives an empty result: upstream rejects that as "contains no data".
 */
export function stripConfigPadding(plaintext: Uint8Array): Uint8Array {
  assertBytes('config plaintext', plaintext);
  let start = 0;
  while (start < plaintext.length && plaintext[start] === 0) start++;
  return plaintext.subarray(start);
}

function checkCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError('invalid-input', `${what}: expected a byte count, got ${value}`);
  }
}
