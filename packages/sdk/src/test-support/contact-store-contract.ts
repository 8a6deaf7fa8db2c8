/** The contract of `ContactStore` (see stores/contact-store.ts). */
import assert from 'node:assert/strict';
import type { PfsKeyCacheEntry } from '@session-ts/core';
import type { Contact } from '../stores/contact-store.ts';
import {
  isPlainBytes,
  testAccountId,
  testBytes,
  type ContractCase,
  type MakeClientStore,
} from './contract-case.ts';

function contact(label: string, fields: Partial<Contact> = {}): Contact {
  return {
    accountId: testAccountId(label),
    approved: true,
    approvedMe: false,
    blocked: false,
    createdAt: 1_700_000_000_000,
    ...fields,
  };
}

function pfsEntry(label: string): PfsKeyCacheEntry {
  return {
    fetchedAt: 1_700_000_000,
    keys: {
      mlkemPublicKey: testBytes(`mlkem:${label}`, 1184),
      x25519PublicKey: testBytes(`x25519:${label}`, 32),
    },
  };
}

/** The cases a `ContactStore` must pass. */
export function contactStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'contacts: put, get, list in account-ID order, filter by blocked',
      run: async () => {
        const { contacts } = await make();
        assert.equal(await contacts.getContact(testAccountId('x')), undefined);
        const all = [
          contact('a', { name: 'Alice', nickname: 'Al' }),
          contact('b', { blocked: true }),
          contact('c', { approvedMe: true }),
        ];
        for (const c of all) await contacts.putContact(c);
        assert.deepEqual(await contacts.getContact(testAccountId('a')), all[0]);
        const sorted = [...all].sort((p, q) => (p.accountId < q.accountId ? -1 : 1));
        assert.deepEqual(await contacts.listContacts(), sorted);
        assert.deepEqual(await contacts.listContacts({ blocked: true }), [all[1]]);
        assert.deepEqual(
          await contacts.listContacts({ blocked: false }),
          sorted.filter((c) => !c.blocked),
        );
      },
    },
    {
      name: 'contacts: put replaces; update merges, keeps ID and creation time, clears a name',
      run: async () => {
        const { contacts } = await make();
        const id = testAccountId('a');
        await contacts.putContact(contact('a', { name: 'Alice', nickname: 'Al' }));
        await contacts.putContact(contact('a', { name: 'Alicia' }));
        assert.deepEqual(await contacts.getContact(id), contact('a', { name: 'Alicia' }));
        const updated = await contacts.updateContact(id, { approvedMe: true, nickname: 'A' });
        const expected = contact('a', { name: 'Alicia', approvedMe: true, nickname: 'A' });
        assert.deepEqual(updated, expected);
        assert.deepEqual(await contacts.getContact(id), expected);
        assert.equal(
          await contacts.updateContact(testAccountId('nobody'), { approved: true }),
          undefined,
        );
      },
    },
    {
      name: 'contacts: blocking an unknown sender makes an unapproved contact; unblock keeps it',
      run: async () => {
        const { contacts } = await make();
        const id = testAccountId('spammer');
        const blocked = await contacts.setBlocked(id, true, 1_700_000_000_500);
        const expected: Contact = {
          accountId: id,
          approved: false,
          approvedMe: false,
          blocked: true,
          createdAt: 1_700_000_000_500,
        };
        assert.deepEqual(blocked, expected);
        assert.deepEqual(await contacts.getContact(id), expected);
        await contacts.setBlocked(id, false, 1_800_000_000_000);
        assert.deepEqual(await contacts.getContact(id), { ...expected, blocked: false });
      },
    },
    {
      name: 'contacts: the key cache round-trips (copied bytes), with or without a contact row',
      run: async () => {
        const { contacts } = await make();
        const id = testAccountId('stranger');
        assert.equal(await contacts.getPfsKeys(id), undefined);
        const entry = pfsEntry('s');
        await contacts.putPfsKeys(id, entry);
        const expected = pfsEntry('s');
        entry.keys?.mlkemPublicKey.fill(0); // the store kept its own copy
        const back = await contacts.getPfsKeys(id);
        assert.deepEqual(back, expected);
        assert.ok(isPlainBytes(back?.keys?.x25519PublicKey));
        // A NAK after the keys: the caller's new entry replaces the old one whole.
        const nak: PfsKeyCacheEntry = { ...expected, nakAt: 1_700_100_000 };
        await contacts.putPfsKeys(id, nak);
        assert.deepEqual(await contacts.getPfsKeys(id), nak);
        await contacts.putPfsKeys(id, { nakAt: 1_700_200_000 });
        assert.deepEqual(await contacts.getPfsKeys(id), { nakAt: 1_700_200_000 });
        assert.equal(await contacts.getContact(id), undefined);
      },
    },
    {
      name: 'contacts: the V2 record round-trips',
      run: async () => {
        const { contacts } = await make();
        const id = testAccountId('v2');
        assert.equal(await contacts.getV2Record(id), undefined);
        await contacts.putV2Record(id, {});
        assert.deepEqual(await contacts.getV2Record(id), {});
        await contacts.putV2Record(id, { v2KeysSeenAt: 1_700_000_000 });
        assert.deepEqual(await contacts.getV2Record(id), { v2KeysSeenAt: 1_700_000_000 });
      },
    },
    {
      name: "contacts: deleting a contact forgets its keys and V2 record, and no one else's",
      run: async () => {
        const { contacts } = await make();
        const [a, b] = [testAccountId('a'), testAccountId('b')];
        for (const id of [a, b]) {
          await contacts.putContact(contact(id === a ? 'a' : 'b'));
          await contacts.putPfsKeys(id, pfsEntry(id));
          await contacts.putV2Record(id, { v2KeysSeenAt: 1_700_000_000 });
        }
        assert.equal(await contacts.deleteContact(a), true);
        assert.equal(await contacts.getContact(a), undefined);
        assert.equal(await contacts.getPfsKeys(a), undefined);
        assert.equal(await contacts.getV2Record(a), undefined);
        assert.equal(await contacts.deleteContact(a), false);
        assert.deepEqual(await contacts.getPfsKeys(b), pfsEntry(b));
        assert.deepEqual(await contacts.getV2Record(b), { v2KeysSeenAt: 1_700_000_000 });
        // Keys alone (a stranger) are deleted the same way.
        const stranger = testAccountId('stranger');
        await contacts.putPfsKeys(stranger, { nakAt: 1 });
        assert.equal(await contacts.deleteContact(stranger), true);
        assert.equal(await contacts.getPfsKeys(stranger), undefined);
      },
    },
  ];
}
