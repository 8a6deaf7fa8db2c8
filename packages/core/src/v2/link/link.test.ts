/**
 * Link requests (protocol-v2.md §11.1): the known-answer vector, decryption by members with any
 * retained account key, classification, and the attacks of issue #3: a holder of the root seed
 * alone cannot read a request; a forged or tampered request is refused with a typed result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretKey } from '../../crypto/secret-key.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { fromHex, toHex } from '../../encoding/hex.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { linkRequestVector } from '../../test-support/v2-device-vectors.ts';
import vector from '../../../vectors/v2/link-request.json' with { type: 'json' };
import { accountKeysFromSeed, deviceKeysFromSeed } from '../keys/hybrid-keys.ts';
import { createDeviceRecord } from '../device-group/device-record.ts';
import { sasFromSeed } from '../sas/emoji-sas.ts';
import {
  createLinkRequest,
  encodeLinkRequestPlaintext,
  encryptLinkRequest,
} from './link-request.ts';
import { openLinkRequest } from './link-request-open.ts';
import { classifyLinkRequest } from './link-request-status.ts';

const rng = createSeededRng('link.test');
const account = identityFromSeed(rng.randomBytes(32));
const deviceId = rng.randomBytes(32);
const deviceKeys = deviceKeysFromSeed(rng.randomBytes(32));
const record = createDeviceRecord({
  seqno: 1,
  timestamp: 1_760_000_000,
  mlkemPublicKey: deviceKeys.mlkemPublicKey,
  x25519PublicKey: deviceKeys.x25519PublicKey,
  description: 'phone',
  type: 'a',
});

function ringOf(...seeds: Uint8Array[]) {
  return seeds.map((s, i) => ({
    seed: new SecretKey('hybrid-key-seed', s),
    created: 1_760_000_000 - i,
  }));
}

test('known-answer vector link-request.json: rebuilt byte for byte and opened by the group', () => {
  assert.deepEqual(linkRequestVector(), vector);
  const acct = identityFromSeed(fromHex(vector.accountSeed));
  const opened = openLinkRequest(
    fromHex(vector.message),
    acct,
    ringOf(rng.randomBytes(32), fromHex(vector.linkAccountKeySeed)),
  );
  assert.ok(opened.ok);
  assert.equal(opened.deviceId, vector.device.id);
  assert.equal(toHex(opened.plaintext), vector.plaintext);
  assert.equal(sasFromSeed(fromHex(vector.sasSeed)).standard, vector.sasStandard);
});

test('members open a request with any retained account key whose X25519 prefix matches', () => {
  const seeds = [rng.randomBytes(32), rng.randomBytes(32), rng.randomBytes(32)];
  const linkKey = accountKeysFromSeed(seeds[1]!).x25519PublicKey; // the requester read an older key
  const { message, plaintext } = createLinkRequest({ account, deviceId, record, linkKey, rng });
  const opened = openLinkRequest(message, account, ringOf(...seeds));
  assert.ok(opened.ok);
  assert.deepEqual(opened.plaintext, plaintext);
  assert.equal(opened.record.description, 'phone');
  // Another group of the same account (different keys): not for us.
  const other = openLinkRequest(message, account, ringOf(rng.randomBytes(32)));
  assert.deepEqual(other, { ok: false, reason: 'not-for-this-group' });
});

test('attack: a holder of the root seed alone (no account-key secrets) cannot read a request', () => {
  const groupSeed = rng.randomBytes(32);
  const linkKey = accountKeysFromSeed(groupSeed).x25519PublicKey;
  const { message } = createLinkRequest({ account, deviceId, record, linkKey, rng });
  const thief = identityFromSeed(account.seed.exportBytes());
  // Everything derivable from the seed: the root keys, plus guesses at account keys.
  const guesses = ringOf(thief.seed.exportBytes(), new Uint8Array(32), rng.randomBytes(32));
  assert.deepEqual(openLinkRequest(message, thief, guesses), {
    ok: false,
    reason: 'not-for-this-group',
  });
  assert.deepEqual(openLinkRequest(message, thief, []), {
    ok: false,
    reason: 'not-for-this-group',
  });
  // The outer message holds nothing but E, L and the masked indicator.
  assert.equal(new TextDecoder('latin1').decode(message).includes('phone'), false);
});

test('a request not signed by the account root is refused; tampering is typed, never a crash', () => {
  const groupSeed = rng.randomBytes(32);
  const linkKey = accountKeysFromSeed(groupSeed).x25519PublicKey;
  const stranger = identityFromSeed(rng.randomBytes(32));
  // Signed by a stranger but encrypted with the right indicator for our account.
  const plaintext = encodeLinkRequestPlaintext(stranger, deviceId, record);
  const forged = encryptLinkRequest({ account, linkKey, plaintext, rng });
  assert.deepEqual(openLinkRequest(forged, account, ringOf(groupSeed)), {
    ok: false,
    reason: 'bad-signature',
  });
  const { message } = createLinkRequest({ account, deviceId, record, linkKey, rng });
  for (let bit = 0; bit < message.length * 8; bit += 7) {
    const t = Uint8Array.from(message);
    t[bit >> 3]! ^= 1 << (bit & 7);
    const r = openLinkRequest(t, account, ringOf(groupSeed));
    assert.equal(r.ok, false, `bit ${bit}`);
  }
  assert.deepEqual(openLinkRequest(new Uint8Array(0), account, ringOf(groupSeed)), {
    ok: false,
    reason: 'bad-format',
  });
});

test('classification: new, replace, stale, removed IDs ignored, redelivery ignored, own ignored', () => {
  const opened = {
    ok: true as const,
    deviceId: toHex(deviceId),
    record,
    digest: new Uint8Array(8).fill(5),
    plaintext: new Uint8Array(),
  };
  const me = toHex(rng.randomBytes(32));
  assert.equal(classifyLinkRequest(opened, undefined, me), 'new');
  assert.equal(classifyLinkRequest(opened, undefined, opened.deviceId), 'own');
  assert.equal(
    classifyLinkRequest(opened, { state: 'kicked', removedAt: 1 }, me),
    'ignore-removed',
  );
  assert.equal(classifyLinkRequest(opened, { state: 'left', removedAt: 1 }, me), 'ignore-removed');
  const older = { ...record, timestamp: record.timestamp - 10 };
  assert.equal(classifyLinkRequest(opened, { state: 'registered', record: older }, me), 'replace');
  assert.equal(classifyLinkRequest(opened, { state: 'registered', record }, me), 'ignore-stale');
  assert.equal(
    classifyLinkRequest(opened, { state: 'pending', record, digest: opened.digest }, me),
    'ignore-duplicate',
  );
  assert.equal(
    classifyLinkRequest(
      { ...opened, record: { ...record, seqno: 2 } },
      { state: 'pending', record, digest: opened.digest },
      me,
    ),
    'new',
  );
});
