/** The in-memory `ContactStore` (see contact-store.ts). */
import type { ContactV2Record, PfsKeyCacheEntry } from '@session-ts/core';
import type { Contact, ContactPatch, ContactStore } from '../contact-store.ts';
import { compact, compareText, copyBytes } from '../internal/records.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

function copyEntry(entry: PfsKeyCacheEntry): PfsKeyCacheEntry {
  const keys = entry.keys;
  return compact<PfsKeyCacheEntry>({
    fetchedAt: entry.fetchedAt,
    nakAt: entry.nakAt,
    keys:
      keys === undefined
        ? undefined
        : {
            mlkemPublicKey: copyBytes(keys.mlkemPublicKey),
            x25519PublicKey: copyBytes(keys.x25519PublicKey),
          },
  });
}

/** The contact port over `state`. */
export function createMemoryContactStore(state: MemoryState): ContactStore {
  return {
    getContact: (accountId) => onOpen(state, () => state.contacts.get(accountId)),
    putContact: (contact) =>
      onOpen(state, () => {
        state.contacts.set(contact.accountId, compact<Contact>({ ...contact }));
      }),
    updateContact: (accountId, patch: ContactPatch) =>
      onOpen(state, () => {
        const held = state.contacts.get(accountId);
        if (held === undefined) return undefined;
        const next = compact<Contact>({ ...held, ...patch, accountId, createdAt: held.createdAt });
        state.contacts.set(accountId, next);
        return next;
      }),
    listContacts: (filter = {}) =>
      onOpen(state, () =>
        [...state.contacts.values()]
          .filter((c) => filter.blocked === undefined || c.blocked === filter.blocked)
          .sort((a, b) => compareText(a.accountId, b.accountId)),
      ),
    setBlocked: (accountId, blocked, now) =>
      onOpen(state, () => {
        const held = state.contacts.get(accountId);
        const next: Contact =
          held === undefined
            ? { accountId, approved: false, approvedMe: false, blocked, createdAt: now }
            : { ...held, blocked };
        state.contacts.set(accountId, next);
        return next;
      }),
    deleteContact: (accountId) =>
      onOpen(state, () => {
        const a = state.contacts.delete(accountId);
        const b = state.pfsKeys.delete(accountId);
        const c = state.v2Records.delete(accountId);
        return a || b || c;
      }),
    getPfsKeys: (accountId) =>
      onOpen(state, () => {
        const entry = state.pfsKeys.get(accountId);
        return entry === undefined ? undefined : copyEntry(entry);
      }),
    putPfsKeys: (accountId, entry) =>
      onOpen(state, () => {
        state.pfsKeys.set(accountId, copyEntry(entry));
      }),
    getV2Record: (accountId) => onOpen(state, () => state.v2Records.get(accountId)),
    putV2Record: (accountId, record: ContactV2Record) =>
      onOpen(state, () => {
        state.v2Records.set(accountId, compact<ContactV2Record>({ ...record }));
      }),
  };
}
