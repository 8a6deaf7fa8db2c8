/**
 * The passphrase KDF: cross-checked against @noble/hashes' Argon2id (an independent
 * implementation of RFC 9106, parallelism 1 as libsodium), NFKC normalisation, salt and
 * parameter checks, and a key that does not print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { toHex } from '../encoding/hex.ts';
import { utf8 } from '../encoding/bytes.ts';
import { isProtocolError } from '../errors.ts';
import {
  DEFAULT_PASSPHRASE_KDF,
  PASSPHRASE_KEY_BYTES,
  TEST_PASSPHRASE_KDF,
  checkPassphraseKdfParams,
  derivePassphraseKey,
} from './passphrase-key.ts';

const salt = Uint8Array.from({ length: 16 }, (_, i) => i * 7);

test('derivePassphraseKey is Argon2id v1.3 as an independent implementation computes it', () => {
  const params = { opsLimit: 2, memLimit: 64 * 1024 };
  const key = derivePassphraseKey('correct horse battery staple', salt, params);
  const expected = nobleArgon2id(utf8('correct horse battery staple'), salt, {
    t: 2,
    m: 64, // KiB
    p: 1,
    dkLen: PASSPHRASE_KEY_BYTES,
  });
  assert.equal(toHex(key.exportBytes()), toHex(expected));
  assert.equal(key.kind, 'symmetric-key');
});

test('the passphrase is NFKC-normalised; salt and passphrase change the key', () => {
  const composed = derivePassphraseKey('caf\u00e9 ①', salt, TEST_PASSPHRASE_KDF);
  const decomposed = derivePassphraseKey('cafe\u0301 1', salt, TEST_PASSPHRASE_KDF);
  assert.equal(toHex(composed.exportBytes()), toHex(decomposed.exportBytes()));
  const otherSalt = derivePassphraseKey(
    'café 1',
    salt.map((b) => b ^ 1),
    TEST_PASSPHRASE_KDF,
  );
  assert.notEqual(toHex(otherSalt.exportBytes()), toHex(composed.exportBytes()));
  const otherPass = derivePassphraseKey('café 2', salt, TEST_PASSPHRASE_KDF);
  assert.notEqual(toHex(otherPass.exportBytes()), toHex(composed.exportBytes()));
});

test('bad input is refused with what was expected; the key does not print', () => {
  assert.throws(
    () => derivePassphraseKey('', salt, TEST_PASSPHRASE_KDF),
    (e) => isProtocolError(e, 'invalid-input') && /non-empty/.test(e.message),
  );
  assert.throws(
    () => derivePassphraseKey('x', new Uint8Array(15), TEST_PASSPHRASE_KDF),
    (e) => isProtocolError(e, 'invalid-length') && /salt/.test(e.message),
  );
  assert.throws(
    () => checkPassphraseKdfParams({ opsLimit: 0, memLimit: 8192 }),
    (e) => isProtocolError(e, 'invalid-input') && /opsLimit/.test(e.message),
  );
  assert.throws(
    () => checkPassphraseKdfParams({ opsLimit: 1, memLimit: 4096 }),
    (e) => isProtocolError(e, 'invalid-input') && /memLimit/.test(e.message),
  );
  assert.deepEqual(checkPassphraseKdfParams(DEFAULT_PASSPHRASE_KDF), DEFAULT_PASSPHRASE_KDF);
  const key = derivePassphraseKey('x', salt, TEST_PASSPHRASE_KDF);
  assert.equal(inspect({ key }), '{ key: [redacted symmetric-key] }');
  assert.equal(JSON.stringify({ key }), '{"key":"[redacted symmetric-key]"}');
});
