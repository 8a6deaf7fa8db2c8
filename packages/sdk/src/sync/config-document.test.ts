/**
 * The config document model: the merge laws (commutative, associative, idempotent) and
 * convergence of devices editing at once, as fast-check properties; the codec's round trip
 * and strict validation; the sealed message (upstream's padding and encryption around it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError, encodeBencode, identityFromSeed, utf8 } from '@session-ts/core';
import {
  applyLocalChange,
  emptyConfigDocument,
  mergeConfigDocuments,
  type ConfigChange,
  type ConfigDocument,
  type FieldEntry,
} from './config-document.ts';
import {
  decodeConfigDocument,
  encodeConfigDocument,
  openConfigDocument,
  sealConfigDocument,
} from './config-codec.ts';
import {
  contactsView,
  convoInfoView,
  profileView,
  setContact,
  setProfile,
} from './config-views.ts';

const IDS = ['05' + 'a'.repeat(64), '05' + 'b'.repeat(64), '05' + 'c'.repeat(64)] as const;
const DEVICES = ['dev-a', 'dev-b', 'dev-c'] as const;

const hex = (doc: ConfigDocument): string => Buffer.from(encodeConfigDocument(doc)).toString('hex');

const entryArb: fc.Arbitrary<[string, FieldEntry]> = fc
  .tuple(
    fc.constantFrom('exists', 'approved', 'blocked', 'nickname'),
    fc.integer({ min: 1, max: 6 }),
    fc.constantFrom(...DEVICES),
    fc.option(fc.constantFrom<boolean | string>(true, false, 'x', 'y'), { nil: undefined }),
  )
  .map(([field, seqno, device, raw]) => {
    // A value of the field's type: flags for flags, text for the nickname.
    const value =
      raw === undefined
        ? undefined
        : field === 'nickname'
          ? typeof raw === 'string'
            ? raw
            : String(raw)
          : typeof raw === 'boolean'
            ? raw
            : raw === 'x';
    return [field, { seqno, device, value }];
  });

const docArb: fc.Arbitrary<ConfigDocument> = fc
  .array(fc.tuple(fc.constantFrom(...IDS), fc.array(entryArb, { minLength: 1, maxLength: 4 })), {
    maxLength: 4,
  })
  .map((records) => {
    const map = new Map<string, Map<string, FieldEntry>>();
    for (const [id, entries] of records) map.set(id, new Map(entries));
    // Through the codec, so every generated document is one a device could receive.
    return decodeConfigDocument(
      encodeConfigDocument({ kind: 'contacts', records: map }),
      'contacts',
    );
  });

const changeArb: fc.Arbitrary<ConfigChange> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...IDS),
      fc.record(
        {
          approved: fc.boolean(),
          blocked: fc.boolean(),
          nickname: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
        },
        { requiredKeys: [] },
      ),
    )
    .map(([id, patch]) => setContact(id, patch)),
  fc.constantFrom(...IDS).map((id): ConfigChange => ({ op: 'delete', record: id })),
);

describe('merge laws', () => {
  test('commutative', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        assert.equal(hex(mergeConfigDocuments(a, b)), hex(mergeConfigDocuments(b, a)));
      }),
      { numRuns: 300 },
    );
  });

  test('associative', () => {
    fc.assert(
      fc.property(docArb, docArb, docArb, (a, b, c) => {
        assert.equal(
          hex(mergeConfigDocuments(mergeConfigDocuments(a, b), c)),
          hex(mergeConfigDocuments(a, mergeConfigDocuments(b, c))),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('idempotent, and the empty document is the identity', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        const ab = mergeConfigDocuments(a, b);
        assert.equal(hex(mergeConfigDocuments(a, a)), hex(a));
        assert.equal(hex(mergeConfigDocuments(ab, b)), hex(ab));
        assert.equal(hex(mergeConfigDocuments(a, emptyConfigDocument('contacts'))), hex(a));
      }),
      { numRuns: 300 },
    );
  });
});

describe('devices editing at once', () => {
  test('any schedule of edits and pairwise syncs converges once everyone has synced', () => {
    const stepArb = fc.oneof(
      fc.tuple(fc.constant('edit' as const), fc.nat(2), changeArb),
      fc.tuple(fc.constant('sync' as const), fc.nat(2), fc.nat(2)),
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), fc.nat(5), (steps, order) => {
        const docs = DEVICES.map(() => emptyConfigDocument('contacts'));
        const edits: ConfigDocument[] = [];
        for (const step of steps) {
          if (step[0] === 'edit') {
            const i = step[1];
            docs[i] = applyLocalChange(docs[i]!, step[2], DEVICES[i]!);
            edits.push(docs[i]);
          } else {
            docs[step[1]] = mergeConfigDocuments(docs[step[1]]!, docs[step[2]]!);
          }
        }
        // Every device receives every other's document, in some order.
        const perms = [
          [0, 1, 2],
          [0, 2, 1],
          [1, 0, 2],
          [1, 2, 0],
          [2, 0, 1],
          [2, 1, 0],
        ];
        const finals = docs.map((doc, i) =>
          (perms[(order + i) % 6] ?? []).reduce(
            (acc, j) => mergeConfigDocuments(acc, docs[j]!),
            doc,
          ),
        );
        assert.equal(hex(finals[0]!), hex(finals[1]!));
        assert.equal(hex(finals[1]!), hex(finals[2]!));
        // Nothing an edit wrote is lost: the final document dominates every edit.
        for (const e of edits)
          assert.equal(hex(mergeConfigDocuments(finals[0]!, e)), hex(finals[0]!));
      }),
      { numRuns: 200 },
    );
  });

  test('an edit made after seeing another supersedes it', () => {
    const id = IDS[0];
    const a = applyLocalChange(
      emptyConfigDocument('contacts'),
      setContact(id, { nickname: 'A' }),
      'dev-z',
    );
    const b = applyLocalChange(a, setContact(id, { nickname: 'B' }), 'dev-a');
    assert.equal(contactsView(mergeConfigDocuments(a, b)).get(id)?.nickname, 'B');
    // Concurrent edits at the same seqno: the greater device ID wins, on both sides.
    const c1 = applyLocalChange(a, setContact(id, { nickname: 'C1' }), 'dev-1');
    const c2 = applyLocalChange(a, setContact(id, { nickname: 'C2' }), 'dev-2');
    assert.equal(contactsView(mergeConfigDocuments(c1, c2)).get(id)?.nickname, 'C2');
    assert.equal(contactsView(mergeConfigDocuments(c2, c1)).get(id)?.nickname, 'C2');
  });

  test('a deletion is a tombstone that a later re-add overrides', () => {
    const id = IDS[1];
    const added = applyLocalChange(
      emptyConfigDocument('contacts'),
      setContact(id, { approved: true, nickname: 'n' }),
      'd1',
    );
    const removed = applyLocalChange(added, { op: 'delete', record: id }, 'd2');
    assert.equal(contactsView(mergeConfigDocuments(added, removed)).has(id), false);
    const readded = applyLocalChange(removed, setContact(id, { blocked: true }), 'd1');
    const view = contactsView(mergeConfigDocuments(removed, readded)).get(id);
    assert.deepEqual(view, { approved: false, blocked: true });
  });

  test('an edit that changes nothing returns the same document', () => {
    const doc = applyLocalChange(
      emptyConfigDocument('contacts'),
      setContact(IDS[0], { approved: true }),
      'd',
    );
    assert.equal(applyLocalChange(doc, setContact(IDS[0], { approved: true }), 'e'), doc);
  });
});

describe('views and validation', () => {
  test('profile and conversation info', () => {
    const key = new Uint8Array(32).fill(9);
    let p = applyLocalChange(emptyConfigDocument('userProfile'), setProfile({ name: 'Ann' }), 'd');
    p = applyLocalChange(p, setProfile({ avatar: { url: 'http://f/1', key } }), 'd');
    assert.deepEqual(profileView(p), { name: 'Ann', avatar: { url: 'http://f/1', key } });
    p = applyLocalChange(p, setProfile({ avatar: null }), 'd');
    assert.deepEqual(profileView(p), { name: 'Ann' });
    let c = emptyConfigDocument('convoInfoVolatile');
    c = applyLocalChange(
      c,
      {
        op: 'set',
        record: IDS[2],
        fields: { readAt: 5, disappearingMode: 'after-read', disappearingSeconds: 60 },
      },
      'd',
    );
    assert.deepEqual(convoInfoView(c).get(IDS[2]), {
      readAt: 5,
      mutedUntil: 0,
      disappearing: { mode: 'after-read', timerSeconds: 60 },
    });
  });

  test('local edits are checked against the schema', () => {
    const empty = emptyConfigDocument('userProfile');
    assert.throws(
      () => applyLocalChange(empty, setProfile({ name: 'x'.repeat(101) }), 'd'),
      /≤ 100 bytes/,
    );
    assert.throws(
      () => applyLocalChange(empty, { op: 'set', record: 'self', fields: { bogus: 1 } }, 'd'),
      ProtocolError,
    );
    assert.throws(
      () => applyLocalChange(empty, { op: 'set', record: 'other', fields: {} }, 'd'),
      ProtocolError,
    );
    assert.throws(() => applyLocalChange(empty, setProfile({ name: 'a' }), ''), /device ID/);
  });

  test('the codec round-trips and rejects anything off-schema', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        assert.equal(hex(decodeConfigDocument(encodeConfigDocument(doc), 'contacts')), hex(doc));
      }),
    );
    const bad = (value: Map<string, unknown>): Uint8Array => encodeBencode(value as never);
    const rec = (fields: Map<string, unknown>): Map<string, unknown> =>
      new Map<string, unknown>([
        ['k', utf8('Contacts')],
        ['r', new Map([[IDS[0], fields]])],
        ['v', 1],
      ]);
    const cases: [string, Uint8Array][] = [
      [
        'wrong kind',
        bad(
          new Map<string, unknown>([
            ['k', utf8('UserProfile')],
            ['r', new Map()],
            ['v', 1],
          ]),
        ),
      ],
      [
        'version',
        bad(
          new Map<string, unknown>([
            ['k', utf8('Contacts')],
            ['r', new Map()],
            ['v', 2],
          ]),
        ),
      ],
      [
        'extra key',
        bad(
          new Map<string, unknown>([
            ['k', utf8('Contacts')],
            ['r', new Map()],
            ['v', 1],
            ['x', 1],
          ]),
        ),
      ],
      ['unknown field', bad(rec(new Map([['color', [1, utf8('d'), 1]]])))],
      ['flag not 0/1', bad(rec(new Map([['approved', [1, utf8('d'), 2]]])))],
      ['seqno 0', bad(rec(new Map([['approved', [0, utf8('d'), 1]]])))],
      ['no device', bad(rec(new Map([['approved', [1, utf8(''), 1]]])))],
      ['long nickname', bad(rec(new Map([['nickname', [1, utf8('d'), utf8('n'.repeat(101))]]])))],
      ['empty record', bad(rec(new Map()))],
      ['not bencode', utf8('hello')],
    ];
    for (const [what, bytes] of cases) {
      assert.throws(() => decodeConfigDocument(bytes, 'contacts'), ProtocolError, what);
    }
    assert.throws(
      () =>
        decodeConfigDocument(encodeConfigDocument(emptyConfigDocument('contacts')), 'userProfile'),
      /kind/,
    );
  });

  test('sealed messages open only with the account seed and the right domain', () => {
    const me = identityFromSeed(new Uint8Array(32).fill(1));
    const other = identityFromSeed(new Uint8Array(32).fill(2));
    const doc = applyLocalChange(
      emptyConfigDocument('contacts'),
      setContact(IDS[0], { approved: true }),
      'd',
    );
    const sealed = sealConfigDocument(doc, me.seed);
    assert.equal((sealed.length + 0) % 256, 0, 'padded to 256 with the 40-byte overhead');
    const opened = openConfigDocument(sealed, me.seed, 'contacts');
    assert.ok(opened.ok);
    assert.equal(hex(opened.document), hex(doc));
    assert.equal(openConfigDocument(sealed, other.seed, 'contacts').ok, false);
    assert.equal(openConfigDocument(sealed, me.seed, 'convoInfoVolatile').ok, false);
  });
});
