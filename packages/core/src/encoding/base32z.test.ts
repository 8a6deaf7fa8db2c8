/**
 * z-base-32 against oxen-io/oxen-mq's own test cases (`tests/test_encoding.cpp`, "base32z
 * encoding/decoding"; the same cases are in oxen-io/oxen-encoding `tests/test_encoding.cpp`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBase32z } from './base32z.ts';
import { fromHex } from './hex.ts';

test('base32z matches the oxenmq test cases', () => {
  assert.equal(toBase32z(new Uint8Array(5)), 'yyyyyyyy');
  assert.equal(
    toBase32z(fromHex('0123456789abcdef'.repeat(4))),
    'yrtwk3hjixg66yjdeiuauk6p7hy1gtm8tgih55abrpnsxnpm3zzo',
  );
  assert.equal(toBase32z(new Uint8Array(0)), '');
});
