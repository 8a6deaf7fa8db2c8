/**
 * Downgrade protection: the send decision for every cache state and policy, the receiver's
 * security level, and the attack it exists for: stripping (or forging) a contact's namespace −21
 * message must not silently turn a V2 conversation into V1 or non-PFS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../../encoding/bytes.ts';
import { identityFromSeed } from '../../identity/identity.ts';
import { createSeededRng } from '../../test-support/seeded-rng.ts';
import { accountKeysFromSeed } from '../keys/hybrid-keys.ts';
import {
  buildAccountPubkeyMessage,
  parseAccountPubkeyMessage,
} from '../account-pubkeys/account-pubkey-message.ts';
import {
  recordPfsKeysFetched,
  recordPfsKeysNak,
  type PfsKeyCacheEntry,
} from '../account-pubkeys/pfs-key-cache.ts';
import { decryptIncomingDm } from '../dm/incoming-dm.ts';
import { encryptV2DmNonPfs } from '../dm/dm-encrypt.ts';
import {
  chooseDmSend,
  contactHasV2Keys,
  incomingDmSecurity,
  noteV2KeysSeen,
  type ContactV2Record,
} from './downgrade-policy.ts';

const T = 1_760_000_000;
const HOUR = 3600;
const DAY = 24 * HOUR;
const keys = {
  mlkemPublicKey: new Uint8Array(1184).fill(7),
  x25519PublicKey: new Uint8Array(32).fill(9),
};
const known: ContactV2Record = noteV2KeysSeen(undefined, T - 30 * DAY);

test('contact records: V2 keys once seen are remembered', () => {
  assert.equal(contactHasV2Keys(undefined), false);
  const r = noteV2KeysSeen(undefined, T);
  assert.equal(contactHasV2Keys(r), true);
  assert.equal(noteV2KeysSeen(r, T + DAY), r, 'the first sighting is kept');
});

test('send decision: usable keys mean PFS; no knowledge means fetch first', () => {
  const fresh = recordPfsKeysFetched(undefined, keys, T);
  assert.deepEqual(chooseDmSend({ cache: fresh, contact: known, now: T + HOUR }), {
    send: 'pfs',
    keys,
    keyAge: 'fresh',
    refetch: false,
  });
  assert.deepEqual(chooseDmSend({ cache: fresh, contact: known, now: T + 30 * HOUR }), {
    send: 'pfs',
    keys,
    keyAge: 'stale',
    refetch: true,
  });
  assert.deepEqual(chooseDmSend({ cache: undefined, contact: undefined, now: T }), {
    send: 'fetch-first',
  });
  assert.deepEqual(chooseDmSend({ cache: fresh, contact: known, now: T + 3 * DAY }), {
    send: 'fetch-first',
  });
});

test('send decision: a contact never seen with V2 gets the configured fallback, marked weaker', () => {
  const nak = recordPfsKeysNak(undefined, T);
  assert.deepEqual(chooseDmSend({ cache: nak, contact: undefined, now: T + 60 }), {
    send: 'v1',
    weaker: true,
    downgrade: false,
  });
  assert.deepEqual(
    chooseDmSend({
      cache: nak,
      contact: undefined,
      now: T + 60,
      policy: { fallback: 'non-pfs', onDowngrade: 'refuse' },
    }),
    { send: 'non-pfs', weaker: true, downgrade: false },
  );
  // A lapsed NAK asks for a new fetch first; a failed fetch then falls back.
  assert.deepEqual(chooseDmSend({ cache: nak, contact: undefined, now: T + 2 * HOUR }), {
    send: 'fetch-first',
  });
  assert.equal(
    chooseDmSend({ cache: nak, contact: undefined, now: T + 2 * HOUR, fetchFailed: true }).send,
    'v1',
  );
});

test('send decision: keys past their cache life but under 16 days old are still used', () => {
  const old = recordPfsKeysFetched(undefined, keys, T);
  // Refetch failed (network) or found nothing (NAK): the old key is still readable by the
  // recipient, which keeps a key 16 days after rotating it, so use it rather than downgrade.
  assert.deepEqual(
    chooseDmSend({ cache: old, contact: known, now: T + 5 * DAY, fetchFailed: true }),
    {
      send: 'pfs',
      keys,
      keyAge: 'expired',
      refetch: true,
    },
  );
  const nakked = recordPfsKeysNak(old, T + 5 * DAY);
  assert.deepEqual(chooseDmSend({ cache: nakked, contact: known, now: T + 5 * DAY + 60 }), {
    send: 'pfs',
    keys,
    keyAge: 'expired',
    refetch: false,
  });
  // Past 16 days the recipient may have pruned it: no longer an option.
  assert.equal(
    chooseDmSend({ cache: old, contact: known, now: T + 17 * DAY, fetchFailed: true }).send,
    'blocked',
  );
});

test('attack: stripping the −21 message does not silently downgrade a V2 contact', () => {
  const rng = createSeededRng('strip');
  const bob = identityFromSeed(rng.randomBytes(32));
  const alice = identityFromSeed(rng.randomBytes(32));
  const bobAccount = accountKeysFromSeed(rng.randomBytes(32));
  const published = buildAccountPubkeyMessage({ identity: bob, accountKeys: bobAccount, rng });

  // Day 0: Alice fetches and checks Bob's keys; she now knows Bob speaks V2.
  const fetched = parseAccountPubkeyMessage(published, bob.sessionId);
  assert.ok(fetched.ok);
  let cache: PfsKeyCacheEntry | undefined = recordPfsKeysFetched(undefined, fetched.keys, T);
  const contact = noteV2KeysSeen(undefined, T);
  assert.equal(chooseDmSend({ cache, contact, now: T + HOUR }).send, 'pfs');

  // Day 20: the attacker strips Bob's −21 message (the fetch finds nothing) ...
  cache = recordPfsKeysNak(cache, T + 20 * DAY);
  const stripped = chooseDmSend({ cache, contact, now: T + 20 * DAY + 1 });
  assert.deepEqual(stripped, { send: 'blocked', reason: 'v2-keys-unavailable' });
  // ... or replaces it with keys of its own, which fail Bob's signature: the same NAK.
  const attacker = identityFromSeed(rng.randomBytes(32));
  const forged = buildAccountPubkeyMessage({
    identity: attacker,
    accountKeys: accountKeysFromSeed(rng.randomBytes(32)),
    rng,
  });
  assert.deepEqual(parseAccountPubkeyMessage(forged, bob.sessionId), {
    ok: false,
    reason: 'bad-signature',
  });
  // Alice loses her cache entirely (new install of the app data, same contact record): still no
  // silent downgrade once the fetch fails.
  assert.deepEqual(
    chooseDmSend({ cache: undefined, contact, now: T + 20 * DAY, fetchFailed: true }),
    {
      send: 'blocked',
      reason: 'v2-keys-unavailable',
    },
  );

  // Only an explicit decision sends weaker, and the decision says it is a downgrade.
  const allowed = chooseDmSend({
    cache,
    contact,
    now: T + 20 * DAY + 1,
    policy: { fallback: 'v1', onDowngrade: 'allow-non-pfs' },
  });
  assert.deepEqual(allowed, { send: 'non-pfs', weaker: true, downgrade: true });
  assert.deepEqual(
    chooseDmSend({
      cache,
      contact,
      now: T + 20 * DAY + 1,
      policy: { fallback: 'v1', onDowngrade: 'allow-v1' },
    }),
    { send: 'v1', weaker: true, downgrade: true },
  );

  // And Bob's side sees it: a weaker message from a contact known to have V2 keys is flagged.
  const data = encryptV2DmNonPfs({
    sender: alice,
    recipient: bob.sessionId,
    content: utf8('hi'),
    rng,
  });
  const received = decryptIncomingDm({
    recipient: bob,
    accountKeys: [bobAccount],
    data,
    senderHasV2Keys: (s) => s === alice.sessionId,
  });
  assert.ok(received.ok);
  assert.equal(received.security, 'weaker-non-pfs');
  assert.equal(received.downgradeSuspected, true);
});

test('receiver security levels', () => {
  assert.deepEqual(incomingDmSecurity('pfs', { senderHasV2Keys: true }), {
    security: 'pfs',
    downgradeSuspected: false,
  });
  assert.deepEqual(incomingDmSecurity('non-pfs', { senderHasV2Keys: false }), {
    security: 'weaker-non-pfs',
    downgradeSuspected: false,
  });
  assert.deepEqual(incomingDmSecurity('v1', { senderHasV2Keys: true }), {
    security: 'weaker-v1',
    downgradeSuspected: true,
  });
  // If our own keys are not published, a V2 contact has no way to send PFS: not suspicious.
  assert.deepEqual(incomingDmSecurity('v1', { senderHasV2Keys: true, ownKeysPublished: false }), {
    security: 'weaker-v1',
    downgradeSuspected: false,
  });
  assert.throws(() =>
    chooseDmSend({
      cache: undefined,
      contact: undefined,
      now: T,
      policy: { fallback: 'v3' as 'v1', onDowngrade: 'refuse' },
    }),
  );
});
