/**
 * The `MessageStore` contract: one suite that every implementation must pass (the SQLite store
 * and its in-memory twin; CONVENTIONS.md, habit 2). It pins the semantics the RPC relies on:
 * duplicates and their position, public outboxes, paging and size limits, deletes, expiries,
 * revocations, the size cap, cleanup, export/import, and atomicity.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, identityFromSeed, messageHash, type Namespace } from '@session-ts/core';
import { isStoreError } from '@session-ts/sqlite';
import type { MessageStore, StoredMessage } from '../message-store.ts';

/** Builds a fresh, empty store; `maxBytes` asks for a size cap of about that many bytes. */
export type MessageStoreFactory = (options: { maxBytes?: number }) => MessageStore;

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

function account(n: number): string {
  return identityFromSeed(new Uint8Array(32).fill(n)).sessionId;
}

const ALICE = account(1);
const BOB = account(2);

let counter = 0;
/** A message with a real hash; `body` makes it unique. */
export function makeMessage(
  owner: string,
  ns: Namespace = 0,
  opts: { size?: number; timestamp?: number; expiry?: number; body?: string } = {},
): StoredMessage {
  const data = new Uint8Array(opts.size ?? 32);
  const tag = new TextEncoder().encode(opts.body ?? `message ${++counter}`);
  data.set(tag.subarray(0, data.length));
  const timestamp = opts.timestamp ?? NOW;
  return {
    account: owner,
    hash: messageHash(fromHex(owner), ns, data),
    namespace: ns,
    timestamp,
    expiry: opts.expiry ?? timestamp + DAY,
    data,
  };
}

function hashes(list: readonly { hash: string }[]): string[] {
  return list.map((m) => m.hash);
}

/** Registers the contract tests for one implementation. */
export function messageStoreContract(name: string, make: MessageStoreFactory): void {
  describe(`MessageStore contract: ${name}`, () => {
    const fresh = (): MessageStore => make({});

    test('stores and retrieves a message with all its fields', () => {
      const s = fresh();
      const m = makeMessage(ALICE, 0, { size: 100 });
      assert.deepEqual(s.store(m), { kind: 'new', expiry: m.expiry });
      const { messages, more } = s.retrieve({ account: ALICE, namespace: 0, now: NOW });
      assert.equal(more, false);
      assert.equal(messages.length, 1);
      const got = messages[0] as StoredMessage;
      assert.deepEqual({ ...got, data: [...got.data] }, { ...m, data: [...m.data] });
      s.close();
    });

    test('a duplicate keeps one copy and its position; only a later expiry moves it', () => {
      const s = fresh();
      const a = makeMessage(ALICE);
      const b = makeMessage(ALICE);
      s.store(a);
      s.store(b);
      assert.deepEqual(s.store({ ...a, expiry: a.expiry - 1000 }), {
        kind: 'exists',
        expiry: a.expiry,
      });
      assert.deepEqual(s.store({ ...a, expiry: a.expiry + 1000 }), {
        kind: 'extended',
        expiry: a.expiry + 1000,
      });
      const { messages } = s.retrieve({ account: ALICE, namespace: 0, now: NOW });
      assert.deepEqual(hashes(messages), [a.hash, b.hash]);
      assert.equal(messages[0]?.expiry, a.expiry + 1000);
      const after = s.retrieve({ account: ALICE, namespace: 0, lastHash: a.hash, now: NOW });
      assert.deepEqual(hashes(after.messages), [b.hash]);
      assert.equal(s.stats().messages, 2);
      s.close();
    });

    test('storeMany gives what store would, in order, with one commit', () => {
      const s = fresh();
      const a = makeMessage(ALICE);
      const b = makeMessage(BOB, 3);
      s.store(a);
      const outcomes = s.storeMany([a, b, b, { ...a, expiry: a.expiry + 5 }]);
      assert.deepEqual(outcomes, [
        { kind: 'exists', expiry: a.expiry },
        { kind: 'new', expiry: b.expiry },
        { kind: 'exists', expiry: b.expiry },
        { kind: 'extended', expiry: a.expiry + 5 },
      ]);
      assert.equal(s.stats().messages, 2);
      assert.deepEqual(s.storeMany([]), []);
      s.close();
    });

    test('a public outbox holds one message: a new store replaces the old one', () => {
      const s = fresh();
      const first = makeMessage(ALICE, -21, { timestamp: NOW });
      const second = makeMessage(ALICE, -21, { timestamp: NOW - 5000 });
      s.store(first);
      s.store(makeMessage(ALICE, 0));
      assert.equal(s.store(second).kind, 'new');
      const { messages } = s.retrieve({ account: ALICE, namespace: -21, now: NOW });
      assert.deepEqual(hashes(messages), [second.hash]);
      assert.equal(s.getExpiries(ALICE, [first.hash]).size, 0);
      assert.equal(s.stats().messages, 2);
      s.close();
    });

    test('retrieve pages after last_hash, by count and by size, keeping accounts and namespaces apart', () => {
      const s = fresh();
      const ms = Array.from({ length: 5 }, () => makeMessage(ALICE, 0, { size: 300 }));
      for (const m of ms) s.store(m);
      s.store(makeMessage(ALICE, 3));
      s.store(makeMessage(BOB, 0));
      const all = hashes(ms);
      const q = { account: ALICE, namespace: 0, now: NOW };
      assert.deepEqual(hashes(s.retrieve(q).messages), all);
      const two = s.retrieve({ ...q, maxCount: 2 });
      assert.deepEqual([hashes(two.messages), two.more], [all.slice(0, 2), true]);
      const next = s.retrieve({ ...q, maxCount: 2, lastHash: all[1] });
      assert.deepEqual([hashes(next.messages), next.more], [all.slice(2, 4), true]);
      const last = s.retrieve({ ...q, maxCount: 2, lastHash: all[3] });
      assert.deepEqual([hashes(last.messages), last.more], [all.slice(4), false]);
      const exact = s.retrieve({ ...q, maxCount: 5 });
      assert.equal(exact.more, false);
      assert.equal(s.retrieve({ ...q, maxCount: 0 }).messages.length, 1, 'below 1 means 1');
      // 300 bytes of data cost 100 + 43 + 400 = 543 each.
      const sized = s.retrieve({ ...q, maxSize: 543 * 2 });
      assert.deepEqual([hashes(sized.messages), sized.more], [all.slice(0, 2), true]);
      const tiny = s.retrieve({ ...q, maxSize: 1 });
      assert.deepEqual([hashes(tiny.messages), tiny.more], [all.slice(0, 1), true]);
      const unknown = s.retrieve({ ...q, lastHash: makeMessage(ALICE).hash });
      assert.deepEqual(hashes(unknown.messages), all, 'an unknown last_hash starts over');
      const otherNs = s.retrieve({ ...q, lastHash: all[4] ?? '', namespace: 3 });
      assert.equal(otherNs.messages.length, 1, 'a last_hash from another namespace starts over');
      assert.equal(s.retrieve({ ...q, account: account(9) }).messages.length, 0);
      s.close();
    });

    test('expired messages are not retrieved and cleanup removes them', () => {
      const s = fresh();
      const old = makeMessage(ALICE, 0, { expiry: NOW - 1 });
      const live = makeMessage(ALICE, 0, { expiry: NOW + 10_000 });
      s.store(old);
      s.store(live);
      assert.deepEqual(hashes(s.retrieve({ account: ALICE, namespace: 0, now: NOW }).messages), [
        live.hash,
      ]);
      assert.equal(s.cleanExpired(NOW), 1);
      assert.equal(s.cleanExpired(NOW), 0);
      assert.equal(s.stats().messages, 1);
      assert.equal(s.cleanExpired(NOW + 10_000), 1, 'expiry <= now is expired');
      for (let i = 0; i < 5; i++) s.store(makeMessage(BOB, 0, { expiry: NOW + i }));
      assert.equal(s.cleanExpired(NOW + 100, 2), 2, 'in slices');
      assert.equal(s.cleanExpired(NOW + 100, 2), 2);
      assert.equal(s.cleanExpired(NOW + 100, 2), 1);
      assert.deepEqual(s.stats().messages, 0);
      assert.equal(s.stats().accounts, 0, 'an account with nothing left is dropped');
      s.close();
    });

    test('delete by hashes deletes only the account own messages, in request order', () => {
      const s = fresh();
      const [a, b, c] = [makeMessage(ALICE), makeMessage(ALICE, 5), makeMessage(ALICE)];
      const bobs = makeMessage(BOB);
      for (const m of [a, b, c, bobs]) s.store(m);
      const missing = makeMessage(ALICE).hash;
      assert.deepEqual(s.deleteByHashes(ALICE, [c.hash, missing, b.hash, bobs.hash, c.hash]), [
        c.hash,
        b.hash,
      ]);
      assert.deepEqual(hashes(s.retrieve({ account: ALICE, namespace: 0, now: NOW }).messages), [
        a.hash,
      ]);
      assert.equal(s.retrieve({ account: BOB, namespace: 0, now: NOW }).messages.length, 1);
      assert.deepEqual(s.deleteByHashes(account(9), [a.hash]), []);
      s.close();
    });

    test('delete_all and delete_before, per namespace and for all', () => {
      const s = fresh();
      const a0 = makeMessage(ALICE, 0, { timestamp: NOW - 3000 });
      const a5 = makeMessage(ALICE, 5, { timestamp: NOW - 2000 });
      const a5b = makeMessage(ALICE, 5, { timestamp: NOW });
      const b0 = makeMessage(BOB, 0);
      for (const m of [a0, a5, a5b, b0]) s.store(m);
      const before = s.deleteBefore(ALICE, 'all', NOW - 2000);
      assert.deepEqual(
        sortNh(before),
        sortNh([
          { namespace: 0, hash: a0.hash },
          { namespace: 5, hash: a5.hash },
        ]),
      );
      assert.deepEqual(s.deleteBefore(ALICE, 0, NOW), []);
      assert.deepEqual(s.deleteAll(ALICE, 0), []);
      assert.deepEqual(s.deleteAll(ALICE, 5), [{ namespace: 5, hash: a5b.hash }]);
      s.store(makeMessage(ALICE, 7));
      assert.equal(s.deleteAll(ALICE, 'all').length, 1);
      assert.equal(s.deleteAll(ALICE, 'all').length, 0);
      assert.equal(s.stats().messages, 1, "bob's message stays");
      s.close();
    });

    test('expiry updates: any, extend only, shorten only, per message, repeats', () => {
      const s = fresh();
      const [a, b] = [
        makeMessage(ALICE, 0, { expiry: NOW + 1000 }),
        makeMessage(ALICE, 2, { expiry: NOW + 5000 }),
      ];
      s.store(a);
      s.store(b);
      const missing = makeMessage(ALICE).hash;
      assert.deepEqual(
        s.updateExpiries(ALICE, [a.hash, b.hash, missing, a.hash], [NOW + 3000], 'extend'),
        [{ hash: a.hash, expiry: NOW + 3000 }],
      );
      assert.deepEqual(s.updateExpiries(ALICE, [a.hash, b.hash], [NOW + 4000], 'shorten'), [
        { hash: b.hash, expiry: NOW + 4000 },
      ]);
      assert.deepEqual(s.updateExpiries(ALICE, [a.hash, a.hash], [NOW + 2000], 'any'), [
        { hash: a.hash, expiry: NOW + 2000 },
      ]);
      assert.deepEqual(s.updateExpiries(ALICE, [a.hash, b.hash], [NOW + 7000, NOW + 8000], 'any'), [
        { hash: a.hash, expiry: NOW + 7000 },
        { hash: b.hash, expiry: NOW + 8000 },
      ]);
      assert.deepEqual(s.updateExpiries(BOB, [a.hash], [NOW], 'any'), []);
      assert.throws(
        () => s.updateExpiries(ALICE, [a.hash, b.hash], [1, 2, 3], 'any'),
        (e) => isStoreError(e, 'invalid-input'),
      );
      assert.deepEqual(
        [...s.getExpiries(ALICE, [b.hash, missing, a.hash]).entries()],
        [
          [b.hash, NOW + 8000],
          [a.hash, NOW + 7000],
        ],
      );
      assert.equal(s.getExpiries(ALICE, 'all').size, 2);
      assert.equal(s.getExpiries(BOB, 'all').size, 0);
      s.close();
    });

    test('shortenAll lowers only later expiries, per namespace or all', () => {
      const s = fresh();
      const a = makeMessage(ALICE, 0, { expiry: NOW + 1000 });
      const b = makeMessage(ALICE, 0, { expiry: NOW + 9000 });
      const c = makeMessage(ALICE, 4, { expiry: NOW + 9000 });
      for (const m of [a, b, c]) s.store(m);
      assert.deepEqual(s.shortenAll(ALICE, 0, NOW + 5000), [{ namespace: 0, hash: b.hash }]);
      assert.deepEqual(s.shortenAll(ALICE, 'all', NOW + 5000), [{ namespace: 4, hash: c.hash }]);
      assert.equal(s.getExpiries(ALICE, [a.hash]).get(a.hash), NOW + 1000);
      s.close();
    });

    test('revocations: kept per account, 50 newest, refreshed on repeat, without messages too', () => {
      const s = fresh();
      const token = (i: number): Uint8Array => new Uint8Array(36).fill(i);
      s.revokeSubaccounts(ALICE, [token(1)], NOW);
      assert.equal(s.isRevoked(ALICE, token(1)), true);
      assert.equal(s.isRevoked(BOB, token(1)), false);
      assert.equal(s.stats().accounts, 1, 'an account with only a revocation is kept');
      for (let i = 2; i <= 55; i++) s.revokeSubaccounts(ALICE, [token(i)], NOW + i);
      const list = s.revokedSubaccounts(ALICE);
      assert.equal(list.length, 50);
      assert.deepEqual(list[0], token(6), 'the oldest were pruned');
      s.revokeSubaccounts(ALICE, [token(6)], NOW + 100);
      s.revokeSubaccounts(ALICE, [token(56)], NOW + 101);
      assert.equal(s.isRevoked(ALICE, token(6)), true, 'refreshed, so not pruned');
      assert.equal(s.isRevoked(ALICE, token(7)), false);
      const m = makeMessage(ALICE);
      s.store(m);
      s.deleteByHashes(ALICE, [m.hash]);
      assert.equal(s.isRevoked(ALICE, token(6)), true, 'revocations outlive the messages');
      assert.equal(s.unrevokeSubaccounts(ALICE, [token(6), token(7), token(8)]), 2);
      assert.equal(s.isRevoked(ALICE, token(6)), false);
      assert.equal(s.unrevokeSubaccounts(BOB, [token(6)]), 0);
      s.close();
    });

    test('export in storage order and import with upstream bulk-store rules', () => {
      const source = fresh();
      const ms = [
        makeMessage(ALICE),
        makeMessage(BOB, 3),
        makeMessage(ALICE, -21, { timestamp: NOW }),
        makeMessage(ALICE, 0, { expiry: NOW - 1 }),
      ];
      for (const m of ms) source.store(m);
      const batches = [...source.exportAll({ now: NOW, batchSize: 2 })];
      assert.deepEqual(
        batches.map((b) => b.length),
        [2, 1],
      );
      const exported = batches.flat();
      assert.deepEqual(hashes(exported), hashes(ms.slice(0, 3)));
      assert.deepEqual([...(exported[1]?.data ?? [])], [...(ms[1]?.data ?? [])]);
      assert.equal(exported[1]?.account, BOB);

      const target = fresh();
      const newerOutbox = makeMessage(ALICE, -21, { timestamp: NOW + 10 });
      target.store(newerOutbox);
      const first = ms[0] as StoredMessage;
      target.store({ ...first, expiry: first.expiry - 500 });
      assert.equal(target.importMessages(exported), 1, 'only bob is new');
      assert.equal(
        target.getExpiries(ALICE, [first.hash]).get(first.hash),
        first.expiry,
        'later expiry kept',
      );
      assert.deepEqual(
        hashes(target.retrieve({ account: ALICE, namespace: -21, now: NOW }).messages),
        [newerOutbox.hash],
        'the later outbox message wins',
      );
      const newest = makeMessage(ALICE, -21, { timestamp: NOW + 20 });
      assert.equal(target.importMessages([newest]), 1);
      assert.deepEqual(
        hashes(target.retrieve({ account: ALICE, namespace: -21, now: NOW }).messages),
        [newest.hash],
      );
      source.close();
      target.close();
    });

    test('the size cap: a store past it is "full" and writes nothing; an import past it throws', () => {
      const s = make({ maxBytes: 256 * 1024 });
      const stored: string[] = [];
      let full = false;
      for (let i = 0; i < 200 && !full; i++) {
        const m = makeMessage(ALICE, 0, { size: 10_000 });
        const outcome = s.store(m);
        if (outcome.kind === 'full') full = true;
        else stored.push(m.hash);
      }
      assert.ok(full, 'the cap was reached');
      assert.ok(stored.length > 3);
      const small = makeMessage(ALICE, 0, { size: 10 });
      const many = s.storeMany([makeMessage(ALICE, 0, { size: 10_000 }), small]);
      assert.equal(many[0]?.kind, 'full');
      // The small one fits or not on its own; a full neighbour does not decide for it.
      if (many[1]?.kind === 'new') stored.push(small.hash);
      const got = s.retrieve({ account: ALICE, namespace: 0, now: NOW });
      assert.deepEqual(hashes(got.messages), stored);
      const before = s.stats().messages;
      const batch = Array.from({ length: 20 }, () => makeMessage(BOB, 0, { size: 10_000 }));
      assert.throws(
        () => s.importMessages(batch),
        (e) => isStoreError(e, 'full'),
      );
      assert.equal(s.stats().messages, before, 'a failed import writes nothing');
      // Deleting makes room again.
      s.deleteAll(ALICE, 'all');
      assert.equal(s.store(makeMessage(ALICE, 0, { size: 10_000 })).kind, 'new');
      s.close();
    });

    test('a closed store refuses work', () => {
      const s = fresh();
      s.close();
      assert.throws(
        () => s.store(makeMessage(ALICE)),
        (e) => isStoreError(e),
      );
    });
  });
}

function sortNh<T extends { hash: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.hash < b.hash ? -1 : 1));
}
