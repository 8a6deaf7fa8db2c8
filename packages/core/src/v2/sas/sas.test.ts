/**
 * Emoji SAS and group SAS (protocol-v2.md §11.2, §9.2 step 9): the 64-emoji table with exact
 * code points, the 6-bit extraction (including emoji 10, which straddles the two 64-bit
 * halves), and the known-answer vectors in vectors/v2/sas.json (one Argon2id at 16 MiB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../../encoding/hex.ts';
import { sasVector } from '../../test-support/v2-device-vectors.ts';
import vector from '../../../vectors/v2/sas.json' with { type: 'json' };
import { SAS_EMOJI, SAS_EMOJI_CODE_POINTS } from './emoji-table.ts';
import { sasEqual, sasFromSeed } from './emoji-sas.ts';
import { groupSas } from './group-sas.ts';

test('the emoji table: 64 distinct entries, FE0F exactly where the Matrix table has it', () => {
  assert.equal(SAS_EMOJI.length, 64);
  assert.equal(new Set(SAS_EMOJI).size, 64);
  const withSelector = SAS_EMOJI_CODE_POINTS.flatMap((cps, i) => (cps.includes(0xfe0f) ? [i] : []));
  assert.deepEqual(withSelector, [21, 29, 37, 43, 45, 49, 53]);
  assert.equal(SAS_EMOJI[0], '\u{1F436}');
  assert.equal(SAS_EMOJI[29], '\u2764\uFE0F');
  assert.equal(SAS_EMOJI[63], '\u{1F4CC}');
});

test('6-bit extraction from the 128-bit little-endian seed', () => {
  // Set exactly the bits of emoji k to the value k+1 and read them back.
  let n = 0n;
  for (let k = 0; k < 21; k++) n |= BigInt((k * 3 + 1) & 0x3f) << BigInt(6 * k);
  const seed = new Uint8Array(16);
  for (let i = 0; i < 16; i++) seed[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  const sas = sasFromSeed(seed);
  assert.deepEqual(
    sas.indices,
    Array.from({ length: 21 }, (_, k) => (k * 3 + 1) & 0x3f),
  );
  // Emoji 10 is bits 60–65: 4 low bits from byte 7's top half, 2 from byte 8's bottom.
  const straddle = new Uint8Array(16);
  straddle[7] = 0xf0;
  straddle[8] = 0x03;
  assert.equal(sasFromSeed(straddle).indices[10], 63);
  assert.deepEqual(
    sasFromSeed(straddle).indices.filter((_, k) => k !== 10),
    new Array(20).fill(0),
  );
  assert.equal(sas.standard.split(' ').length, 7);
  assert.deepEqual(
    sas.extended.split('\n').map((l) => l.split(' ').length),
    [7, 7, 7],
  );
  assert.ok(sasEqual(sas, sasFromSeed(seed)));
  assert.ok(!sasEqual(sas, sasFromSeed(straddle)));
});

test('known-answer vector sas.json: rebuilt byte for byte (Argon2id v1.3, 16 MiB, 2 passes)', () => {
  assert.deepEqual(sasVector(), vector);
  for (const entry of vector.fromSeed) {
    assert.deepEqual(sasFromSeed(fromHex(entry.seed)).emoji, entry.emoji);
  }
  for (const entry of vector.groupSas) {
    assert.equal(groupSas(fromHex(entry.groupId)).standard, entry.standard);
  }
});
