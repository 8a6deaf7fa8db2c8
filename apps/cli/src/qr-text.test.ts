/**
 * The terminal QR code of `account show` (qr-text.ts): the text is read back into modules as a
 * scanner would see them, and must be a version-4 code (33 × 33: 66 bytes in byte mode at
 * error-correction level L) with the three finder patterns and the timing patterns in place;
 * different Session IDs give different codes, the same ID the same code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qrText } from './qr-text.ts';

/** The half-block characters of qrcode-terminal's compact form: [top dark, bottom dark]. */
const HALVES: Record<string, readonly [boolean, boolean]> = {
  '█': [false, false],
  '▀': [false, true],
  '▄': [true, false],
  ' ': [true, true],
};

/** Reads the text back into a module matrix (true: dark), without border and padding row. */
function modules(text: string): boolean[][] {
  const lines = text.split('\n');
  assert.match(lines[0] ?? '', /^▄+$/, 'top border');
  const rows: boolean[][] = [];
  for (const line of lines.slice(1).filter((l) => !/^▀+$/.test(l))) {
    const chars = [...line];
    assert.equal(chars[0], '█', 'light left border');
    assert.equal(chars.at(-1), '█', 'light right border');
    const cells = chars.slice(1, -1).map((c) => {
      const pair = HALVES[c];
      assert.ok(pair !== undefined, `not a QR character: ${JSON.stringify(c)}`);
      return pair;
    });
    rows.push(
      cells.map((p) => p[0]),
      cells.map((p) => p[1]),
    );
  }
  // An odd size leaves an all-light padding row at the bottom.
  if (rows.length === (rows[0]?.length ?? 0) + 1 && rows.at(-1)?.every((d) => !d) === true) {
    rows.pop();
  }
  return rows;
}

/** True when a 7 × 7 finder pattern (dark ring, light ring, dark 3 × 3) starts at (r, c). */
function finderAt(m: boolean[][], r: number, c: number): boolean {
  for (let i = 0; i < 7; i++) {
    for (let j = 0; j < 7; j++) {
      const ring = Math.max(Math.abs(i - 3), Math.abs(j - 3));
      const dark = ring !== 2;
      if (m[r + i]?.[c + j] !== dark) return false;
    }
  }
  return true;
}

const alice = '05' + '1f'.repeat(32);
const bob = '05' + 'e0'.repeat(32);

test('a Session ID renders as a 33 × 33 QR code with finder and timing patterns', () => {
  const m = modules(qrText(alice));
  assert.equal(m.length, 33);
  for (const row of m) assert.equal(row.length, 33);
  assert.ok(finderAt(m, 0, 0), 'top-left finder');
  assert.ok(finderAt(m, 0, 26), 'top-right finder');
  assert.ok(finderAt(m, 26, 0), 'bottom-left finder');
  assert.ok(!finderAt(m, 26, 26), 'no finder bottom-right');
  for (let i = 8; i <= 24; i++) {
    assert.equal(m[6]?.[i], i % 2 === 0, `timing row at ${i}`);
    assert.equal(m[i]?.[6], i % 2 === 0, `timing column at ${i}`);
  }
});

test('the code depends on the ID: same ID same code, another ID another code', () => {
  assert.equal(qrText(alice), qrText(alice));
  assert.notDeepEqual(modules(qrText(alice)), modules(qrText(bob)));
  assert.ok(!qrText(alice).endsWith('\n'));
});
