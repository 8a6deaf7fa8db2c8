/**
 * Config message encryption and padding against every entry of vectors/upstream/config-
 * encrypt.json (libsession-util tests/test_encrypt.cpp), plus tampering and size limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import v from '../../vectors/upstream/config-encrypt.json' with { type: 'json' };
import { isProtocolError } from '../errors.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import { fromHex, toHex } from '../encoding/hex.ts';
import { utf8 } from '../encoding/bytes.ts';
import { btDict, btString } from '../encoding/bencode.ts';
import { encodeBencode } from '../encoding/bencode-encode.ts';
import { decodeBencode } from '../encoding/bencode-decode.ts';
import {
  CONFIG_DOMAIN_MAX_BYTES,
  CONFIG_ENCRYPTION_OVERHEAD,
  configEncryptionKey,
  configNonce,
  decryptConfig,
  encryptConfig,
  type ConfigDecryptResult,
} from './config-encryption.ts';
import { configPaddedSize, padConfig, stripConfigPadding } from './config-padding.ts';
import {
  CONFIG_MESSAGE_MAX_SIZE,
  assertConfigMessageSize,
  configMessageFits,
} from './config-message-size.ts';
import {
  CONFIG_NAMESPACES,
  configDomain,
  configKindForNamespace,
  type ConfigKind,
} from './config-namespaces.ts';

const SOURCE = v.source;

function plaintextOf(result: ConfigDecryptResult): Uint8Array {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.plaintext;
}

function assertFails(result: ConfigDecryptResult): void {
  assert.equal(result.ok, false);
  if (!result.ok) assert.ok(isProtocolError(result.error, 'decrypt-failed'));
}

/** The first vector with an `output`, which the other entries and notes compare against. */
function reference(): {
  message: Uint8Array;
  keyBase: Uint8Array;
  domain: string;
  output: Uint8Array;
} {
  const entry = v.encrypt.find((e) => 'output' in e);
  assert.ok(entry !== undefined && 'output' in entry);
  return {
    message: fromHex(entry.message_hex),
    keyBase: fromHex(entry.key_base),
    domain: entry.domain,
    output: fromHex(entry.output),
  };
}

test(`config-encrypt vectors: every encrypt entry (${SOURCE})`, () => {
  assert.ok(v.encrypt.length > 0);
  const ref = reference();
  for (const entry of v.encrypt) {
    const message = fromHex(entry.message_hex);
    assert.deepEqual(message, utf8(entry.message_utf8));
    const keyBase = fromHex(entry.key_base);
    const out = encryptConfig(message, keyBase, entry.domain);
    assert.equal(out.length, message.length + CONFIG_ENCRYPTION_OVERHEAD);
    // the nonce is the last 24 bytes and does not depend on the key base
    assert.equal(toHex(out.subarray(out.length - 24)), entry.nonce, entry.domain);
    assert.equal(toHex(configNonce(message, entry.domain)), entry.nonce);
    if ('output' in entry) assert.equal(toHex(out), entry.output);
    if ('derived_key' in entry) {
      assert.equal(
        toHex(configEncryptionKey(keyBase, message.length, entry.domain)),
        entry.derived_key,
      );
    }
    if ('note' in entry) {
      // "checks only the nonce and that the output differs from test-suite1"
      assert.notEqual(entry.domain, ref.domain);
      assert.notEqual(toHex(out), toHex(ref.output));
    }
    assert.deepEqual(plaintextOf(decryptConfig(out, keyBase, entry.domain)), message);
    // deterministic
    assert.deepEqual(encryptConfig(message, keyBase, entry.domain), out);
  }
});

/** Each note of the vector file, as a test; a new note fails here until it has one. */
const NOTE_TESTS: Record<string, () => void> = {
  'Encrypting the same message with key_base 0123456789abcdef x4 and domain test-suite1 gives a different output but the same nonce as the first entry (the nonce does not depend on key_base).':
    () => {
      const ref = reference();
      const key2 = fromHex('0123456789abcdef'.repeat(4));
      const out = encryptConfig(ref.message, key2, ref.domain);
      assert.notEqual(toHex(out), toHex(ref.output));
      assert.deepEqual(out.subarray(out.length - 24), ref.output.subarray(ref.output.length - 24));
      assert.deepEqual(plaintextOf(decryptConfig(out, key2, ref.domain)), ref.message);
    },
  'Decrypting with the wrong domain or key_base, or after changing any ciphertext byte, must fail.':
    () => {
      const ref = reference();
      assert.deepEqual(
        plaintextOf(decryptConfig(ref.output, ref.keyBase, ref.domain)),
        ref.message,
      );
      assertFails(decryptConfig(ref.output, ref.keyBase, 'test-suite2'));
      assertFails(decryptConfig(ref.output, fromHex('0123456789abcdef'.repeat(4)), ref.domain));
      // upstream's own check: enc1[3] = 0x42
      const upstreamFlip = Uint8Array.from(ref.output);
      upstreamFlip[3] = 0x42;
      assertFails(decryptConfig(upstreamFlip, ref.keyBase, ref.domain));
      // and every other byte: ciphertext, tag and nonce
      for (let i = 0; i < ref.output.length; i++) {
        const flipped = Uint8Array.from(ref.output);
        flipped[i] = (flipped[i] ?? 0) ^ 0x01;
        assertFails(decryptConfig(flipped, ref.keyBase, ref.domain));
      }
      // truncated or extended messages fail too (the length feeds the key)
      assertFails(decryptConfig(ref.output.subarray(1), ref.keyBase, ref.domain));
      assertFails(decryptConfig(Uint8Array.of(0, ...ref.output), ref.keyBase, ref.domain));
    },
};

for (const note of v.notes) {
  test(`config-encrypt note: ${note}`, () => {
    const run = NOTE_TESTS[note];
    assert.ok(run !== undefined, `no test for this vector note: ${note}`);
    run();
  });
}

test(`padded_size cases (${SOURCE})`, () => {
  assert.ok(v.padded_size.cases.length > 0);
  for (const c of v.padded_size.cases) {
    assert.equal(configPaddedSize(c.size, c.overhead), c.padded, `${c.size}, ${c.overhead}`);
  }
  // the default overhead is the encryption overhead
  assert.equal(configPaddedSize(1), 256 - 40);
  assert.equal(configPaddedSize(76_760) + CONFIG_ENCRYPTION_OVERHEAD, CONFIG_MESSAGE_MAX_SIZE);
  for (const bad of [-1, 1.5, Number.NaN]) {
    assert.throws(
      () => configPaddedSize(bad),
      (e) => isProtocolError(e, 'invalid-input'),
    );
  }
});

test('padding inserts leading zeros; the receiver skips them (property)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 6000 }).map((a) => {
        a[0] = a[0] || 0x64; // configs start with 'd' or 'z', never a zero byte
        return a;
      }),
      (data) => {
        const padded = padConfig(data);
        const s2 = padded.length + CONFIG_ENCRYPTION_OVERHEAD;
        const chunk = s2 <= 5120 ? 256 : 1024;
        assert.equal(s2 % chunk, 0);
        assert.ok(padded.length >= data.length && padded.length - data.length < chunk);
        assert.ok(padded.subarray(0, padded.length - data.length).every((b) => b === 0));
        assert.deepEqual(stripConfigPadding(padded), data);
        assert.equal(configPaddedSize(padded.length), padded.length); // already on a bucket
      },
    ),
    { numRuns: 200 },
  );
  assert.equal(stripConfigPadding(new Uint8Array(10)).length, 0);
  assert.deepEqual(stripConfigPadding(Uint8Array.of(0x7a, 0)), Uint8Array.of(0x7a, 0));
});

test('a config message end to end: bt dict, pad, encrypt, size check, decrypt, unpad, parse', () => {
  const seed = new SecretKey('ed25519-seed', new Uint8Array(32).fill(9));
  const domain = CONFIG_NAMESPACES.userProfile.domain;
  const config = btDict({ '#': 1, '&': btDict({ n: btString('Alice') }), '<': [], '=': new Map() });
  const plaintext = encodeBencode(config);
  const message = encryptConfig(padConfig(plaintext), seed, domain);
  assert.equal(message.length % 256, 0);
  assertConfigMessageSize(message);
  // a SecretKey and its raw bytes give the same result
  assert.deepEqual(encryptConfig(padConfig(plaintext), seed.exportBytes(), domain), message);
  const opened = stripConfigPadding(plaintextOf(decryptConfig(message, seed, domain)));
  assert.deepEqual(decodeBencode(opened), config);
  // another config type's domain does not open it
  assertFails(decryptConfig(message, seed, CONFIG_NAMESPACES.contacts.domain));
});

test('bad inputs: short messages are a result, bad key bases and domains throw', () => {
  const key = new Uint8Array(32);
  for (const n of [0, 1, 39]) assertFails(decryptConfig(new Uint8Array(n), key, 'd'));
  // 40 bytes is an empty plaintext's message
  const empty = encryptConfig(new Uint8Array(0), key, 'd');
  assert.equal(empty.length, 40);
  assert.equal(plaintextOf(decryptConfig(empty, key, 'd')).length, 0);
  for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(64)]) {
    assert.throws(
      () => encryptConfig(Uint8Array.of(1), bad, 'd'),
      (e) => isProtocolError(e, 'invalid-length'),
    );
    assert.throws(
      () => decryptConfig(empty, bad, 'd'),
      (e) => isProtocolError(e, 'invalid-length'),
    );
  }
  const okDomain = 'x'.repeat(CONFIG_DOMAIN_MAX_BYTES);
  assert.doesNotThrow(() => encryptConfig(Uint8Array.of(1), key, okDomain));
  // upstream counts bytes: 12 two-byte characters fit, 13 do not
  assert.doesNotThrow(() => encryptConfig(Uint8Array.of(1), key, 'é'.repeat(12)));
  for (const bad of ['', 'x'.repeat(25), 'é'.repeat(13), 42 as unknown as string]) {
    assert.throws(
      () => encryptConfig(Uint8Array.of(1), key, bad),
      (e) => isProtocolError(e, 'invalid-input'),
    );
    assert.throws(
      () => decryptConfig(new Uint8Array(3), key, bad),
      (e) => isProtocolError(e, 'invalid-input'),
    );
  }
});

test('the 76,800-byte store limit', () => {
  assert.equal(CONFIG_MESSAGE_MAX_SIZE, 76_800);
  assert.ok(configMessageFits(new Uint8Array(76_800)));
  assert.doesNotThrow(() => assertConfigMessageSize(new Uint8Array(76_800)));
  assert.ok(!configMessageFits(new Uint8Array(76_801)));
  assert.throws(
    () => assertConfigMessageSize(new Uint8Array(76_801)),
    (e) => isProtocolError(e, 'too-large') && /76800 bytes, got 76801/.test(String(e)),
  );
  // the largest plaintext that still fits once padded and encrypted
  const largest = encryptConfig(padConfig(new Uint8Array(76_760).fill(1)), new Uint8Array(32), 'd');
  assert.equal(largest.length, 76_800);
  const over = encryptConfig(padConfig(new Uint8Array(76_761).fill(1)), new Uint8Array(32), 'd');
  assert.ok(!configMessageFits(over));
});

test('the namespace and domain table (protocol-v1.md §4, namespaces.h)', () => {
  const expected: [number, string][] = [
    [2, 'UserProfile'],
    [3, 'Contacts'],
    [4, 'ConvoInfoVolatile'],
    [5, 'UserGroups'],
    [12, 'groups::Keys'],
    [13, 'groups::Info'],
    [14, 'groups::Members'],
  ];
  const table = Object.values(CONFIG_NAMESPACES).map((c): [number, string] => [
    c.namespace,
    c.domain,
  ]);
  assert.deepEqual(table, expected);
  for (const [kind, info] of Object.entries(CONFIG_NAMESPACES)) {
    assert.equal(configKindForNamespace(info.namespace), kind);
    assert.equal(configDomain(kind as ConfigKind), info.domain);
    const bytes = utf8(info.domain).length;
    assert.ok(bytes >= 1 && bytes <= CONFIG_DOMAIN_MAX_BYTES);
  }
  assert.equal(CONFIG_NAMESPACES.groupKeys.keyBase, 'none');
  assert.equal(CONFIG_NAMESPACES.groupInfo.keyBase, 'group-key');
  assert.equal(CONFIG_NAMESPACES.userGroups.keyBase, 'account-seed');
  for (const ns of [0, 1, 11, -11, 9999]) assert.equal(configKindForNamespace(ns), undefined);
});
