/**
 * Storage-RPC helpers: message hash vectors (vectors/upstream/message-hash.json), namespace
 * classes, every signed string, subaccount tokens (network.md §1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vectors from '../../vectors/upstream/message-hash.json' with { type: 'json' };
import { blake2b } from '../crypto/primitives.ts';
import { fromBase64, toBase64Unpadded } from '../encoding/base64.ts';
import { concatBytes, utf8 } from '../encoding/bytes.ts';
import { fromHex, toHex } from '../encoding/hex.ts';
import { isProtocolError, type ProtocolErrorCode } from '../errors.ts';
import {
  BATCH_REQUEST_MAX,
  MAX_MESSAGE_BASE64_CHARS,
  MAX_MESSAGE_BYTES,
  RETRIEVE_MAX_SIZE,
  TTL_MAX_PRIVATE_MS,
  TTL_MAX_PUBLIC_MS,
  effectiveRetrieveMaxSize,
  isWithinSignatureWindow,
} from './limits.ts';
import { MESSAGE_HASH_LENGTH, isMessageHash, messageHash } from './message-hash.ts';
import {
  NAMESPACES,
  type NamespaceClass,
  namespaceClass,
  namespaceRules,
  namespaceString,
  parseNamespace,
  parseNamespaceSelector,
} from './namespaces.ts';
import {
  deleteAllResultToSign,
  deleteAllToSign,
  deleteBeforeResultToSign,
  deleteBeforeToSign,
  deleteResultToSign,
  deleteToSign,
  expireAllResultToSign,
  expireAllToSign,
  expireResultToSign,
  expireToSign,
  getExpiriesToSign,
  monitorToSign,
  retrieveToSign,
  revokeSubaccountResultToSign,
  revokeSubaccountToSign,
  revokedSubaccountsToSign,
  storeResultToSign,
  storeToSign,
  unrevokeSubaccountResultToSign,
  unrevokeSubaccountToSign,
} from './signed-strings.ts';
import {
  buildSubaccountToken,
  parseSubaccountToken,
  subaccountHas,
  subaccountPrefixAllowed,
  subaccountTokenFromText,
} from './subaccount-token.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const fails = (code: ProtocolErrorCode) => (e: unknown) => isProtocolError(e, code);

const ACCOUNT = vectors.vectors[0]!.pubkey;
// Hashes as upstream tests use them: the vector's hash, one from network-tests/test_expire.py,
// and two of its `do_not_exist` strings. Byte order: H3 < H1 < H4 < H2.
const H1 = vectors.vectors[0]!.hash;
const H2 = 'bepQtTaYrzcuCXO3fZkmk/h3xkMQ3vCh94i5HzLmj3I';
const H3 = '///////////////////////////////////////////';
const H4 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq';
const TS = 1_700_000_000_000;

test('message-hash vectors (session-storage-server unit_test/service_node.cpp)', () => {
  assert.ok(vectors.vectors.length > 0);
  for (const v of vectors.vectors) {
    const hash = messageHash(fromHex(v.pubkey), v.namespace, fromBase64(v.data_b64));
    assert.equal(hash, v.hash);
    assert.equal(hash.length, MESSAGE_HASH_LENGTH);
    assert.ok(isMessageHash(hash));
  }
});

test('message hash puts the decimal namespace between account and data, nothing for 0', () => {
  const v = vectors.vectors[0]!;
  const account = fromHex(v.pubkey);
  const data = fromBase64(v.data_b64);
  for (const ns of [NAMESPACES.GROUP_INFO, NAMESPACES.REVOKED_GROUP_MESSAGES, -32768, 32767]) {
    const expected = toBase64Unpadded(blake2b(32, concatBytes(account, utf8(String(ns)), data)));
    assert.equal(messageHash(account, ns, data), expected);
    assert.notEqual(expected, v.hash);
  }
  assert.equal(messageHash(account, -0, data), v.hash);
  assert.equal(isMessageHash(v.hash + '='), false);
  assert.equal(isMessageHash(v.hash.slice(1) + '-'), false);
});

test('message hash refuses bad input', () => {
  const data = new Uint8Array(3);
  assert.throws(() => messageHash(new Uint8Array(32), 0, data), fails('invalid-length'));
  assert.throws(() => messageHash(new Uint8Array(34), 0, data), fails('invalid-length'));
  assert.throws(() => messageHash(new Uint8Array(33), 1.5, data), fails('invalid-input'));
  assert.throws(() => messageHash(new Uint8Array(33), 32768, data), fails('invalid-input'));
  assert.throws(
    () => messageHash(new Uint8Array(33), 0, 'abc' as unknown as Uint8Array),
    fails('invalid-input'),
  );
});

test('namespace classes follow oxenss/common/namespace.h', () => {
  const table: [number, NamespaceClass][] = [
    [0, 'public-inbox'],
    [10, 'public-inbox'],
    [-10, 'public-inbox'],
    [60, 'public-inbox'],
    [-1230, 'public-inbox'],
    [-32760, 'public-inbox'],
    [-1, 'public-outbox'],
    [-21, 'public-outbox'],
    [-41, 'public-outbox'],
    [-101, 'public-outbox'],
    [-981, 'public-outbox'],
    [-32761, 'public-outbox'],
    [-11, 'unrevocable'],
    [-111, 'unrevocable'],
    [-211, 'unrevocable'],
    [-12311, 'unrevocable'],
    [1, 'private'],
    [5, 'private'],
    [11, 'private'],
    [21, 'private'],
    [111, 'private'],
    [-2, 'private'],
    [-31, 'private'],
    [-12, 'private'],
    [32767, 'private'],
    [-32768, 'private'],
  ];
  for (const [ns, cls] of table) assert.equal(namespaceClass(ns), cls, `namespace ${ns}`);
  // The classes never overlap: one answer for every int16.
  for (let ns = -32768; ns <= 32767; ns++) {
    const n = -ns;
    const hits = [ns % 10 === 0, ns < 0 && n % 20 === 1, ns < 0 && n % 100 === 11];
    assert.ok(hits.filter(Boolean).length <= 1, `namespace ${ns} is in two classes`);
  }
});

test("namespace rules for Session's assignments", () => {
  const rules = (ns: number) => {
    const r = namespaceRules(ns);
    return [r.class, r.storeWithoutAuth, r.retrieveWithoutAuth, r.singleMessage, r.maxTtlMs];
  };
  const D14 = TTL_MAX_PUBLIC_MS;
  const D30 = TTL_MAX_PRIVATE_MS;
  assert.deepEqual(rules(NAMESPACES.DEFAULT), ['public-inbox', true, false, false, D14]);
  assert.deepEqual(rules(NAMESPACES.LEGACY_CLOSED_GROUP), ['public-inbox', true, true, false, D14]);
  for (const ns of [2, 3, 4, 5, 11, 12, 13, 14, NAMESPACES.DEVICE_GROUP]) {
    assert.deepEqual(rules(ns), ['private', false, false, false, D30], `namespace ${ns}`);
  }
  assert.deepEqual(rules(NAMESPACES.ACCOUNT_PUBKEYS), ['public-outbox', false, true, true, D30]);
  assert.deepEqual(rules(NAMESPACES.REVOKED_GROUP_MESSAGES), [
    'unrevocable',
    false,
    false,
    false,
    D30,
  ]);
  assert.equal(namespaceRules(-11).revokedMayRetrieve, true);
  assert.equal(namespaceRules(11).revokedMayRetrieve, false);
  assert.deepEqual(namespaceRules(-21).storeAccess, ['write', 'delete']);
  assert.deepEqual(namespaceRules(13).storeAccess, ['write']);
});

test('namespace strings and parsing', () => {
  assert.equal(namespaceString(0), '');
  assert.equal(namespaceString(-0), '');
  assert.equal(namespaceString(13), '13');
  assert.equal(namespaceString(-11), '-11');
  assert.equal(namespaceString('all'), 'all');
  assert.equal(parseNamespace(-32768), -32768);
  assert.equal(Object.is(parseNamespace(-0), 0), true);
  assert.equal(parseNamespaceSelector('all'), 'all');
  assert.equal(parseNamespaceSelector(5), 5);
  for (const bad of [1.5, NaN, Infinity, '5', null, undefined, 5n, true]) {
    assert.throws(() => parseNamespace(bad), fails('invalid-input'), String(bad));
  }
  for (const bad of [32768, -32769, 1e9]) {
    assert.throws(() => parseNamespace(bad), /out of range/);
  }
  assert.throws(() => parseNamespaceSelector('ALL'), /integer or "all"/);
  assert.throws(() => namespaceString(40000), fails('invalid-input'));
});

test('client signed strings match upstream (request_handler.cpp, network-tests, desktop)', () => {
  // libsession-util include/session/config/groups/keys.hpp (network.md §1.2):
  assert.equal(
    text(retrieveToSign({ namespace: 999, timestamp: 1234567890123 })),
    'retrieve9991234567890123',
  );
  // network-tests/test_expire.py: f"retrieve{ts}" for the default namespace
  assert.equal(text(retrieveToSign({ namespace: 0, timestamp: TS })), 'retrieve1700000000000');
  assert.equal(text(retrieveToSign({ namespace: -11, timestamp: TS })), 'retrieve-111700000000000');
  // request_handler.cpp store: "store", "" or to_string(ns), sig_ts
  assert.equal(text(storeToSign({ namespace: 0, sigTimestamp: TS })), 'store1700000000000');
  assert.equal(text(storeToSign({ namespace: 13, sigTimestamp: TS })), 'store131700000000000');
  assert.equal(text(storeToSign({ namespace: -21, sigTimestamp: TS })), 'store-211700000000000');
  // client_rpc_endpoints.h: ("delete" || messages...); desktop getSnodeSignatureByHashesParams
  assert.equal(text(deleteToSign({ messages: [H2, H1] })), `delete${H2}${H1}`);
  // signature_value: "" for 0, "all", or the number
  assert.equal(
    text(deleteAllToSign({ namespace: 'all', timestamp: TS })),
    'delete_allall1700000000000',
  );
  assert.equal(text(deleteAllToSign({ namespace: 0, timestamp: TS })), 'delete_all1700000000000');
  assert.equal(
    text(deleteAllToSign({ namespace: -10, timestamp: TS })),
    'delete_all-101700000000000',
  );
  assert.equal(
    text(deleteBeforeToSign({ namespace: 5, before: 1699999999999 })),
    'delete_before51699999999999',
  );
  // network-tests/test_expire.py: "expire" + str(ts) + hashes; f"expireshorten{exp}{hashes}"
  const exp = TS + 600_000;
  assert.equal(
    text(expireToSign({ expiry: exp, messages: [H2, H1] })),
    `expire1700000600000${H2}${H1}`,
  );
  assert.equal(
    text(expireToSign({ mode: 'shorten', expiry: exp, messages: [H1] })),
    `expireshorten1700000600000${H1}`,
  );
  assert.equal(
    text(expireToSign({ mode: 'extend', expiry: [exp], messages: [H1] })),
    `expireextend1700000600000${H1}`,
  );
  // per-message expiries: expiry[0] || expiry[1] || ... then the hashes
  assert.equal(
    text(expireToSign({ mode: 'extend', expiry: [exp, exp + 1], messages: [H1, H2] })),
    `expireextend17000006000001700000600001${H1}${H2}`,
  );
  // network-tests/test_expire.py: "expire_all{}".format(ts)
  assert.equal(text(expireAllToSign({ namespace: 0, expiry: exp })), 'expire_all1700000600000');
  assert.equal(
    text(expireAllToSign({ namespace: 'all', expiry: exp })),
    'expire_allall1700000600000',
  );
  // network-tests/test_expire.py: f"get_expiries{now}{hashes}"
  assert.equal(
    text(getExpiriesToSign({ timestamp: TS, messages: [H1, H3] })),
    `get_expiries1700000000000${H1}${H3}`,
  );
  assert.equal(
    text(getExpiriesToSign({ timestamp: TS, messages: ['all'] })),
    'get_expiries1700000000000all',
  );
  assert.equal(
    text(revokedSubaccountsToSign({ timestamp: TS })),
    'revoked_subaccounts1700000000000',
  );
  // network-tests/test_monitor.py: f'MONITOR{account.hex()}{ts:d}{data:d}' + ','.join(ns)
  assert.equal(
    text(
      monitorToSign({
        account: ACCOUNT,
        timestampSeconds: 1_700_000_000,
        wantData: true,
        namespaces: [-5, 0, 23],
      }),
    ),
    `MONITOR${ACCOUNT}17000000001-5,0,23`,
  );
  assert.equal(
    text(
      monitorToSign({
        account: fromHex(ACCOUNT),
        timestampSeconds: 1_700_000_000,
        wantData: false,
        namespaces: [0],
      }),
    ),
    `MONITOR${ACCOUNT}1700000000` + '0' + '0',
  );
});

test('revoke and unrevoke sign the raw token bytes', () => {
  const t1 = buildSubaccountToken({
    prefix: 0x03,
    flags: ['read', 'write'],
    publicKey: new Uint8Array(32).fill(0x11),
  });
  const t2 = buildSubaccountToken({
    prefix: 0x03,
    flags: ['read'],
    publicKey: new Uint8Array(32).fill(0xee),
  });
  assert.deepEqual(
    revokeSubaccountToSign({ timestamp: TS, tokens: [t1, t2] }),
    concatBytes(utf8('revoke_subaccount1700000000000'), t1, t2),
  );
  assert.deepEqual(
    unrevokeSubaccountToSign({ timestamp: TS, tokens: [t2] }),
    concatBytes(utf8('unrevoke_subaccount1700000000000'), t2),
  );
  // client_rpc_endpoints.h: node signs ( PUBKEY_HEX || timestamp || SUBACCOUNT_TAG_BYTES... )
  assert.deepEqual(
    revokeSubaccountResultToSign({ account: ACCOUNT, timestamp: TS, tokens: [t1] }),
    concatBytes(utf8(`${ACCOUNT}1700000000000`), t1),
  );
  assert.deepEqual(
    unrevokeSubaccountResultToSign({
      account: ACCOUNT.toUpperCase(),
      timestamp: TS,
      tokens: [t1, t2],
    }),
    concatBytes(utf8(`${ACCOUNT}1700000000000`), t1, t2),
  );
  const tooMany = Array.from({ length: 51 }, () => t1);
  assert.throws(() => revokeSubaccountToSign({ timestamp: TS, tokens: tooMany }), /at most 50/);
  assert.throws(
    () => revokeSubaccountToSign({ timestamp: TS, tokens: [t1.subarray(1)] }),
    fails('invalid-length'),
  );
});

test('node result signatures match upstream (request_handler.cpp, network-tests/test_expire.py)', () => {
  // store: the 43-character hash string itself (network.md §12.6)
  assert.equal(text(storeResultToSign(H1)), H1);
  // delete: pubkey_hex, requested (request order), deleted (sorted)
  assert.equal(
    text(deleteResultToSign({ account: ACCOUNT, requested: [H2, H1, H4], deleted: [H2, H1] })),
    `${ACCOUNT}${H2}${H1}${H4}${H1}${H2}`,
  );
  assert.equal(
    text(deleteResultToSign({ account: ACCOUNT, requested: [H2], deleted: [] })),
    `${ACCOUNT}${H2}`,
  );
  // delete_all / delete_before / expire_all: one sorted list, across namespaces for "all"
  assert.equal(
    text(
      deleteAllResultToSign({
        account: ACCOUNT,
        timestamp: TS,
        deleted: { '0': [H2, H4], '-11': [H1] },
      }),
    ),
    `${ACCOUNT}1700000000000${H1}${H4}${H2}`,
  );
  assert.equal(
    text(deleteBeforeResultToSign({ account: ACCOUNT, before: TS, deleted: [H2, H3] })),
    `${ACCOUNT}1700000000000${H3}${H2}`,
  );
  assert.equal(
    text(expireAllResultToSign({ account: ACCOUNT, expiry: TS, updated: [H4, H1] })),
    `${ACCOUNT}1700000000000${H1}${H4}`,
  );
  // expire, one expiry: pubkey_hex, applied expiry, requested, updated (sorted), unchanged
  assert.equal(
    text(
      expireResultToSign({
        account: ACCOUNT,
        expiry: TS,
        requested: [H2, H1, H3],
        updated: [H2, H1],
        unchanged: { [H3]: TS + 5, [H1.replace('4', '0')]: TS + 7 },
      }),
    ),
    `${ACCOUNT}1700000000000${H2}${H1}${H3}${H1}${H2}${H3}1700000000005${H1.replace('4', '0')}1700000000007`,
  );
  // the single expiry is signed even when nothing was updated
  assert.equal(
    text(expireResultToSign({ account: ACCOUNT, expiry: TS, requested: [H1], updated: [] })),
    `${ACCOUNT}1700000000000${H1}`,
  );
  // expire, per-message expiries: the applied ones, in sorted-updated order
  assert.equal(
    text(
      expireResultToSign({
        account: ACCOUNT,
        expiry: [TS + 2, TS + 1],
        requested: [H1, H2],
        updated: [H2, H1],
      }),
    ),
    `${ACCOUNT}17000000000011700000000002${H1}${H2}${H1}${H2}`,
  );
  assert.equal(
    text(expireResultToSign({ account: ACCOUNT, expiry: [], requested: [H1], updated: [] })),
    `${ACCOUNT}${H1}`,
  );
});

test('signed strings refuse bad input', () => {
  const bad: [() => unknown, ProtocolErrorCode][] = [
    [() => retrieveToSign({ namespace: 1.5, timestamp: TS }), 'invalid-input'],
    [() => retrieveToSign({ namespace: 40000, timestamp: TS }), 'invalid-input'],
    [() => retrieveToSign({ namespace: 0, timestamp: -1 }), 'invalid-input'],
    [() => storeToSign({ namespace: 0, sigTimestamp: 1.5 }), 'invalid-input'],
    [
      () => storeToSign({ namespace: 'all' as unknown as number, sigTimestamp: TS }),
      'invalid-input',
    ],
    [() => deleteToSign({ messages: [] }), 'invalid-input'],
    [() => deleteToSign({ messages: [H1.slice(1)] }), 'invalid-input'],
    [() => deleteToSign({ messages: ['all'] }), 'invalid-input'],
    [() => expireToSign({ expiry: [TS, TS], messages: [H1] }), 'invalid-input'],
    [() => expireToSign({ expiry: [], messages: [H1] }), 'invalid-input'],
    [
      () => expireToSign({ mode: 'both' as 'shorten', expiry: TS, messages: [H1] }),
      'invalid-input',
    ],
    [() => getExpiriesToSign({ timestamp: TS, messages: [] }), 'invalid-input'],
    [
      () =>
        monitorToSign({ account: ACCOUNT, timestampSeconds: 1, wantData: true, namespaces: [] }),
      'invalid-input',
    ],
    [
      () =>
        monitorToSign({
          account: ACCOUNT,
          timestampSeconds: 1,
          wantData: true,
          namespaces: [0, 0],
        }),
      'invalid-input',
    ],
    [
      () =>
        monitorToSign({
          account: ACCOUNT,
          timestampSeconds: 1,
          wantData: true,
          namespaces: [5, 2],
        }),
      'invalid-input',
    ],
    [
      () =>
        monitorToSign({
          account: ACCOUNT.slice(2),
          timestampSeconds: 1,
          wantData: true,
          namespaces: [0],
        }),
      'invalid-length',
    ],
    [
      () =>
        monitorToSign({
          account: 'zz' + ACCOUNT.slice(2),
          timestampSeconds: 1,
          wantData: true,
          namespaces: [0],
        }),
      'invalid-hex',
    ],
    [
      () => deleteResultToSign({ account: new Uint8Array(32), requested: [H1], deleted: [] }),
      'invalid-length',
    ],
    [
      () => expireResultToSign({ account: ACCOUNT, expiry: [TS], requested: [H1], updated: [] }),
      'invalid-input',
    ],
    [() => storeResultToSign(H1 + '='), 'invalid-input'],
  ];
  for (const [call, code] of bad) assert.throws(call, fails(code), call.toString());
});

test('subaccount tokens: layout, flags, text forms', () => {
  const pk = new Uint8Array(32).map((_, i) => i);
  const bytes = buildSubaccountToken({ prefix: 0x03, flags: ['read', 'delete'], publicKey: pk });
  assert.equal(bytes.length, 36);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x03, 0x05, 0x00, 0x00]);
  assert.deepEqual(bytes.subarray(4), pk);
  const token = parseSubaccountToken(bytes);
  assert.equal(token.prefix, 0x03);
  assert.equal(token.flags, 0x05);
  assert.deepEqual(token.publicKey, pk);
  assert.ok(subaccountHas(token, 'read'));
  assert.ok(subaccountHas(token, 'read', 'delete'));
  assert.ok(!subaccountHas(token, 'write'));
  assert.ok(!subaccountHas(token, 'read', 'write'));
  assert.ok(subaccountPrefixAllowed(token, 0x03));
  assert.ok(!subaccountPrefixAllowed(token, 0x05));
  const any = parseSubaccountToken(
    buildSubaccountToken({ prefix: 0x03, flags: ['write', 'anyPrefix'], publicKey: pk }),
  );
  assert.equal(any.flags, 0x0a);
  assert.ok(subaccountPrefixAllowed(any, 0x05));
  assert.deepEqual(subaccountTokenFromText(Buffer.from(bytes).toString('base64')).bytes, bytes);
  assert.deepEqual(subaccountTokenFromText(toHex(bytes)).bytes, bytes);
  assert.deepEqual(subaccountTokenFromText(toHex(bytes).toUpperCase()).bytes, bytes);
  // Reserved bytes and unknown flag bits are kept, as upstream keeps them.
  const odd = bytes.slice();
  odd[1] = 0x81;
  odd[2] = 0xff;
  const parsed = parseSubaccountToken(odd);
  assert.equal(parsed.flags, 0x81);
  assert.deepEqual(parsed.bytes, odd);
  assert.ok(subaccountHas(parsed, 'read'));
  // The parsed token does not alias the caller's buffer.
  odd[0] = 0x99;
  assert.equal(parsed.prefix, 0x03);
});

test('bad subaccount tokens are typed errors', () => {
  const pk = new Uint8Array(32);
  const cases: [() => unknown, ProtocolErrorCode][] = [
    [() => parseSubaccountToken(new Uint8Array(35)), 'invalid-length'],
    [() => parseSubaccountToken(new Uint8Array(37)), 'invalid-length'],
    [() => parseSubaccountToken('00' as unknown as Uint8Array), 'invalid-input'],
    [() => subaccountTokenFromText('A'.repeat(47)), 'invalid-length'],
    [() => subaccountTokenFromText('00'.repeat(35)), 'invalid-length'],
    [() => subaccountTokenFromText('!'.repeat(48)), 'invalid-base64'],
    [() => subaccountTokenFromText('zz'.repeat(36)), 'invalid-hex'],
    [() => subaccountTokenFromText(36 as unknown as string), 'invalid-input'],
    [() => buildSubaccountToken({ prefix: 256, flags: [], publicKey: pk }), 'invalid-input'],
    [() => buildSubaccountToken({ prefix: -1, flags: [], publicKey: pk }), 'invalid-input'],
    [
      () => buildSubaccountToken({ prefix: 3, flags: ['admin' as 'read'], publicKey: pk }),
      'invalid-input',
    ],
    [
      () => buildSubaccountToken({ prefix: 3, flags: [], publicKey: new Uint8Array(31) }),
      'invalid-length',
    ],
  ];
  for (const [call, code] of cases) assert.throws(call, fails(code), call.toString());
});

test('limits and the retrieve size rule (request_handler.cpp)', () => {
  assert.equal(MAX_MESSAGE_BASE64_CHARS, 102_400);
  assert.equal(Buffer.alloc(MAX_MESSAGE_BYTES).toString('base64').length, MAX_MESSAGE_BASE64_CHARS);
  assert.equal(BATCH_REQUEST_MAX, 20);
  assert.equal(effectiveRetrieveMaxSize(), RETRIEVE_MAX_SIZE / 5);
  assert.equal(effectiveRetrieveMaxSize(0, 0), RETRIEVE_MAX_SIZE / 5);
  assert.equal(effectiveRetrieveMaxSize(undefined, -1), RETRIEVE_MAX_SIZE);
  assert.equal(effectiveRetrieveMaxSize(undefined, -7), Math.floor(RETRIEVE_MAX_SIZE / 7));
  assert.equal(effectiveRetrieveMaxSize(10), RETRIEVE_MAX_SIZE);
  assert.equal(effectiveRetrieveMaxSize(10, 1000), 1000);
  assert.equal(effectiveRetrieveMaxSize(undefined, 9_000_000), RETRIEVE_MAX_SIZE);
  assert.throws(() => effectiveRetrieveMaxSize(undefined, 1.5), fails('invalid-input'));
  assert.ok(isWithinSignatureWindow(TS + 60_000, TS));
  assert.ok(!isWithinSignatureWindow(TS + 60_001, TS));
  assert.ok(!isWithinSignatureWindow(TS - 60_001, TS));
  assert.ok(isWithinSignatureWindow(TS - 70_000, TS, true));
  assert.ok(!isWithinSignatureWindow(TS - 70_001, TS, true));
});
