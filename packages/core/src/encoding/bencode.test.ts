/**
 * bt-encoding: known encodings, strict rejection of malformed input, round-trip properties and
 * signature spans (oxenc bt_serialize / append_signature).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isProtocolError } from '../errors.ts';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from '../crypto/primitives.ts';
import { concatBytes, utf8 } from './bytes.ts';
import {
  BT_INT_MAX,
  BT_INT_MIN,
  btDict,
  btKey,
  btKeyBytes,
  btString,
  btText,
  type BtValue,
} from './bencode.ts';
import { encodeBencode } from './bencode-encode.ts';
import { decodeBencode, decodeBencodeDict, decodeBencodePrefix } from './bencode-decode.ts';
import { encodeSignedDict, splitSignedDict } from './bencode-signature.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const raw = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

const isBencodeError = (e: unknown): boolean => isProtocolError(e, 'invalid-bencode');

test('known encodings', () => {
  const cases: [BtValue, string][] = [
    [btString('spam'), '4:spam'],
    [new Uint8Array(0), '0:'],
    [3, 'i3e'],
    [-3, 'i-3e'],
    [0, 'i0e'],
    [-0, 'i0e'],
    [[], 'le'],
    [new Map(), 'de'],
    [[btString('spam'), btString('eggs')], 'l4:spam4:eggse'],
    [btDict({ foo: 42, bar: btString('spam') }), 'd3:bar4:spam3:fooi42ee'],
    [btDict({ spam: [btString('a'), btString('b')] }), 'd4:spaml1:a1:bee'],
    [[[1, [2]], btDict({ a: new Map() })], 'lli1eli2eeed1:adeee'],
    [BT_INT_MAX, 'i18446744073709551615e'],
    [BT_INT_MIN, 'i-9223372036854775808e'],
    [2n ** 53n, 'i9007199254740992e'],
    [Number.MAX_SAFE_INTEGER, 'i9007199254740991e'],
    [Number.MIN_SAFE_INTEGER, 'i-9007199254740991e'],
  ];
  for (const [value, encoded] of cases) {
    assert.equal(text(encodeBencode(value)), encoded, encoded);
    const decoded = decodeBencode(raw(encoded));
    // -0 decodes as 0, and bigints in the safe range come back as numbers
    assert.equal(text(encodeBencode(decoded)), encoded);
  }
  assert.equal(decodeBencode(raw('i9007199254740991e')), Number.MAX_SAFE_INTEGER);
  assert.equal(decodeBencode(raw('i9007199254740992e')), 2n ** 53n);
  assert.equal(decodeBencode(raw('i18446744073709551615e')), BT_INT_MAX);
  assert.equal(decodeBencode(raw('i-9223372036854775808e')), BT_INT_MIN);
  assert.deepEqual(
    decodeBencode(raw('d3:bar4:spam3:fooi42ee')),
    btDict({ bar: btString('spam'), foo: 42 }),
  );
});

test('dict keys sort by raw bytes, including binary keys', () => {
  const dict = btDict([
    ['b', 1],
    ['a', 2],
    ['ab', 3],
    ['', 4],
    [btKey(Uint8Array.of(0x80)), 5],
    ['~', 6],
    ['Z', 7],
  ]);
  assert.equal(text(encodeBencode(dict)), 'd0:i4e1:Zi7e1:ai2e2:abi3e1:bi1e1:~i6e1:\x80i5ee');
  const decoded = decodeBencodeDict(encodeBencode(dict));
  assert.deepEqual([...decoded.keys()], ['', 'Z', 'a', 'ab', 'b', '~', '\x80']);
  assert.deepEqual(btKeyBytes('\x80\xff'), Uint8Array.of(0x80, 0xff));
  // a 33-byte account ID as a key survives the round trip
  const id = Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 5) & 0xff);
  const round = decodeBencodeDict(encodeBencode(btDict([[btKey(id), 1]])));
  assert.deepEqual(btKeyBytes([...round.keys()][0] ?? ''), id);
});

test('UTF-8 helpers', () => {
  assert.deepEqual(btString('é'), Uint8Array.of(0xc3, 0xa9));
  assert.equal(btText(btString('héllo')), 'héllo');
  assert.throws(() => btText(42), isBencodeError);
  assert.throws(
    () => btText(Uint8Array.of(0xff)),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});

test('the encoder refuses what it cannot encode exactly', () => {
  const bad: unknown[] = [
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 60,
    BT_INT_MAX + 1n,
    BT_INT_MIN - 1n,
    'text',
    null,
    undefined,
    { a: 1 },
    true,
    [1, 'x'],
    new Map([['é', 1]]).set('\u0100', 2),
  ];
  for (const value of bad) {
    assert.throws(
      () => encodeBencode(value as BtValue),
      (e) => isProtocolError(e, 'invalid-input'),
      String(value),
    );
  }
  // too deep, and a cycle, stop at the depth limit instead of overflowing the stack
  let deep: BtValue = [];
  for (let i = 0; i < 64; i++) deep = [deep];
  assert.throws(
    () => encodeBencode(deep),
    (e) => isProtocolError(e, 'invalid-input'),
  );
  const cyclic: BtValue[] = [];
  cyclic.push(cyclic);
  assert.throws(
    () => encodeBencode(cyclic),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});

test('malformed input is rejected with the offset and what was expected', () => {
  const cases: [string, RegExp][] = [
    ['', /offset 0: expected a value .* found the end of input/],
    ['x', /offset 0: expected a value .* found 'x'/],
    ['\x00', /offset 0: .*found byte 0x00/],
    ['e', /offset 0: expected a value/],
    ['i42', /offset 3: expected a digit or 'e'/],
    ['i', /offset 1: expected an integer digit/],
    ['ie', /offset 1: expected an integer digit/],
    ['i-e', /offset 2: expected an integer digit/],
    ['i-0e', /offset 2: expected a non-zero value after - \(-0\)/],
    ['i03e', /offset 1: expected an integer digit without leading zeros/],
    ['i00e', /without leading zeros/],
    ['i-03e', /without leading zeros/],
    ['i1.5e', /offset 2: expected a digit or 'e'/],
    ['i+1e', /offset 1: expected an integer digit/],
    ['i 1e', /offset 1/],
    ['i18446744073709551616e', /offset 1: expected an integer in the int64\/uint64 range/],
    ['i-9223372036854775809e', /int64\/uint64 range/],
    ['i123456789012345678901e', /at most 20 digits/],
    ['01:a', /offset 0: expected a string length without leading zeros/],
    ['5:abc', /offset 0: expected a string that fits: its length is 5 but only 3 bytes remain/],
    ['3abc', /offset 1: expected ':' after the string length/],
    ['3', /offset 1: expected ':'/],
    ['-1:a', /offset 0: expected a value/],
    ['99999999999999999999:x', /only 1 bytes remain/],
    ['l', /offset 1: expected a list value or 'e'/],
    ['li1e', /offset 4: expected a list value or 'e'/],
    ['lx', /offset 1: expected a value/],
    ['d', /offset 1: expected a dict key or 'e'/],
    ['d1:a', /offset 4: expected a value/],
    ['d1:ai1e', /offset 7: expected a dict key or 'e'/],
    ['d1:ae', /offset 4: expected a value .* found 'e'/],
    ['di1ei2ee', /offset 1: expected a byte-string dict key/],
    ['dlei1ee', /offset 1: expected a byte-string dict key/],
    ['d1:bi1e1:ai2ee', /offset 7: expected keys in ascending byte order, but "a" follows "b"/],
    ['d1:ai1e1:ai2ee', /offset 7: expected a new key, not a duplicate of "a"/],
    ['d2:abi1e1:ai2ee', /"a" follows "ab"/],
    ['i1ex', /offset 3: expected the end of input after the value \(trailing bytes\)/],
    ['dee', /offset 2: expected the end of input/],
    ['i1e\x00', /offset 3: .*trailing bytes.*found byte 0x00/],
    ['4:spamx', /offset 6/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => decodeBencode(raw(input)),
      (e) => isBencodeError(e) && message.test((e as Error).message),
      JSON.stringify(input),
    );
  }
  assert.throws(() => decodeBencodeDict(raw('le')), /offset 0: expected a dict \('d'\)/);
  assert.throws(
    () => decodeBencode('d' as unknown as Uint8Array),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});

test('nesting is limited, so hostile input cannot blow the stack', () => {
  const nested = (n: number): Uint8Array => raw('l'.repeat(n) + 'e'.repeat(n));
  assert.doesNotThrow(() => decodeBencode(nested(64)));
  assert.throws(
    () => decodeBencode(nested(65)),
    (e) =>
      isBencodeError(e) && /offset 64: expected nesting of at most 64 containers/.test(String(e)),
  );
  assert.throws(() => decodeBencode(nested(3), { maxDepth: 2 }), isBencodeError);
  assert.doesNotThrow(() => decodeBencode(nested(3), { maxDepth: 3 }));
  // dicts count too, and a megabyte of openers fails fast with a typed error
  assert.throws(
    () => decodeBencode(raw('d1:a'.repeat(65) + 'de' + 'e'.repeat(65))),
    isBencodeError,
  );
  assert.throws(() => decodeBencode(raw('l'.repeat(1_000_000))), isBencodeError);
});

test('decoded byte strings are plain copies, even from a Buffer', () => {
  const input = Buffer.from('l4:spame', 'latin1');
  const [spam] = decodeBencode(input) as Uint8Array[];
  assert.ok(spam !== undefined && !Buffer.isBuffer(spam));
  assert.deepEqual(spam, btString('spam'));
  input[3] = 0x78;
  assert.deepEqual(spam, btString('spam'));
});

test('decodeBencodePrefix reports the consumed length, so callers may allow zero padding', () => {
  const dict = encodeBencode(btDict({ '': 1, a: btString('x') }));
  const padded = concatBytes(dict, new Uint8Array(200));
  assert.throws(() => decodeBencode(padded), isBencodeError);
  const { value, length } = decodeBencodePrefix(padded);
  assert.equal(length, dict.length);
  assert.ok(padded.subarray(length).every((b) => b === 0));
  assert.deepEqual(value, btDict({ '': 1, a: btString('x') }));
  // the prefix decoder is still strict about the value itself
  assert.throws(() => decodeBencodePrefix(raw('d1:bi1e1:ai1ee')), isBencodeError);
  assert.throws(() => decodeBencodePrefix(raw('i01e')), isBencodeError);
});

const btValueArbitrary: fc.Arbitrary<BtValue> = fc.letrec<{ value: BtValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 24 }),
    fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n)),
    fc.oneof(
      fc.bigInt({ min: BT_INT_MIN, max: -(2n ** 53n) }),
      fc.bigInt({ min: 2n ** 53n, max: BT_INT_MAX }),
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.uint8Array({ maxLength: 6 }).map(btKey), tie('value')), {
        maxLength: 4,
        selector: ([k]) => k,
      })
      .map((entries) => new Map(entries)),
  ),
})).value;

test('property: decode(encode(v)) = v and encode(decode(b)) = b', () => {
  fc.assert(
    fc.property(btValueArbitrary, (value) => {
      const encoded = encodeBencode(value);
      const decoded = decodeBencode(encoded);
      assert.deepEqual(decoded, value);
      assert.deepEqual(encodeBencode(decoded), encoded);
      const { length } = decodeBencodePrefix(concatBytes(encoded, new Uint8Array(7)));
      assert.equal(length, encoded.length);
    }),
    { numRuns: 500 },
  );
});

test('property: arbitrary bytes either decode canonically or fail with invalid-bencode', () => {
  const alphabet = fc.constantFrom(...'0123456789:-idle'.split('').map((c) => c.charCodeAt(0)));
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.array(alphabet, { maxLength: 40 }).map((a) => Uint8Array.from(a)),
  );
  fc.assert(
    fc.property(inputs, (bytes) => {
      let value: BtValue;
      try {
        value = decodeBencode(bytes);
      } catch (e) {
        assert.ok(isBencodeError(e), String(e));
        return;
      }
      // whatever decodes is canonical: re-encoding gives the same bytes
      assert.deepEqual(encodeBencode(value), bytes);
    }),
    { numRuns: 2000 },
  );
});

test('signature span: signed = the dict bytes before 1:~, signature = the ~ value', () => {
  const { secretKey, publicKey } = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
  const body = btDict({
    '#': new Uint8Array(24).fill(1),
    G: 3,
    K: new Uint8Array(48).fill(2),
    k: [new Uint8Array(48).fill(3), new Uint8Array(48).fill(4)],
  });
  const signedMessage = encodeSignedDict(body, (data) => ed25519Sign(secretKey, data));
  const unsigned = encodeBencode(body);
  const expectedSpan = unsigned.subarray(0, unsigned.length - 1);
  // the message is the unsigned dict without its 'e', then 1:~64:<sig>e
  assert.deepEqual(signedMessage.subarray(0, expectedSpan.length), expectedSpan);
  assert.equal(
    text(signedMessage.subarray(expectedSpan.length, expectedSpan.length + 6)),
    '1:~64:',
  );
  assert.equal(signedMessage.length, expectedSpan.length + 6 + 64 + 1);

  const split = splitSignedDict(signedMessage);
  assert.ok(split !== undefined);
  assert.deepEqual(split.signed, expectedSpan);
  assert.equal(text(split.signed).indexOf('1:~'), -1);
  assert.equal(split.signature.length, 64);
  assert.ok(ed25519Verify(split.signature, split.signed, publicKey));
  assert.deepEqual(split.dict.get('G'), 3);
  assert.deepEqual(split.dict.get('~'), split.signature);
  // the same message re-encoded from the decoded dict is byte-identical
  assert.deepEqual(encodeBencode(split.dict), signedMessage);
  // a flipped byte inside the span breaks verification
  const tampered = Uint8Array.from(signedMessage);
  tampered[10] = (tampered[10] ?? 0) ^ 1; // inside the `#` value (after "d1:#24:")
  const split2 = splitSignedDict(tampered);
  assert.ok(split2 !== undefined && !ed25519Verify(split2.signature, split2.signed, publicKey));
});

test('signature span: a handwritten example, a custom key, and an unsigned dict', () => {
  const sig = 'S'.repeat(64);
  const message = raw(`d1:ai1e1:b2:xy1:~64:${sig}e`);
  const split = splitSignedDict(message);
  assert.ok(split !== undefined);
  assert.equal(text(split.signed), 'd1:ai1e1:b2:xy');
  assert.equal(text(split.signature), sig);
  // group messages sign with `s`, but `s` is not last there; a custom key that is last works
  const custom = splitSignedDict(raw(`d1:ai1e1:s64:${sig}e`), { key: 's' });
  assert.equal(custom && text(custom.signed), 'd1:ai1e');
  assert.equal(splitSignedDict(raw('d1:ai1ee')), undefined);
  assert.equal(splitSignedDict(raw('de')), undefined);
  assert.equal(text(splitSignedDict(raw(`d1:~64:${sig}e`))?.signed ?? utf8('?')), 'd');
});

test('signature span: malformed signed dicts are rejected', () => {
  const sig = 'S'.repeat(64);
  const expectBencode = (input: string, message: RegExp): void => {
    assert.throws(
      () => splitSignedDict(raw(input)),
      (e) => isBencodeError(e) && message.test((e as Error).message),
      input,
    );
  };
  expectBencode(`d1:~64:${sig}2:~~i1ee`, /offset 71: expected the dict to end after the signature/);
  expectBencode(`d1:~64:${sig}1:\x7fi1ee`, /expected the dict to end after the signature/);
  expectBencode('d1:~i5ee', /offset 1: expected the signature "~" to be a byte string/);
  expectBencode(`d1:~64:${sig}e\x00`, /offset 72: .*1 trailing bytes/);
  expectBencode('le', /offset 0: expected a dict/);
  expectBencode('', /offset 0: expected a dict/);
  expectBencode(`d1:~64:${sig}`, /expected a dict key or 'e'/);
  expectBencode(`d1:bi1e1:ai1e1:~64:${sig}e`, /ascending byte order/);
  assert.throws(
    () => splitSignedDict(raw(`d1:~63:${sig.slice(1)}e`)),
    (e) => isProtocolError(e, 'bad-signature') && /expected 64 bytes, got 63/.test(String(e)),
  );
  // the producer refuses keys that would follow the signature and signers of the wrong length
  assert.throws(
    () => encodeSignedDict(btDict({ '~~': 1 }), () => new Uint8Array(64)),
    (e) => isProtocolError(e, 'invalid-input'),
  );
  assert.throws(
    () => encodeSignedDict(btDict({ a: 1 }), () => new Uint8Array(63)),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});
