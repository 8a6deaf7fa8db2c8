/** The SQLite `ContactStore` (tables `contacts`, `pfs_key_cache`, `contact_v2`). */
import type { ContactV2Record, PfsKeyCacheEntry } from '@session-ts/core';
import type { Database } from '@session-ts/sqlite';
import type { Contact, ContactStore } from '../contact-store.ts';
import { compact, copyBytes, opt, promised } from '../internal/records.ts';

interface ContactRow {
  account_id: string;
  name: string | null;
  nickname: string | null;
  approved: number;
  approved_me: number;
  blocked: number;
  created_at: number;
}

interface PfsRow {
  fetched_at_s: number | null;
  mlkem_public_key: Uint8Array | null;
  x25519_public_key: Uint8Array | null;
  nak_at_s: number | null;
}

const CONTACT_COLUMNS = 'account_id, name, nickname, approved, approved_me, blocked, created_at';

function toContact(row: ContactRow): Contact {
  return compact<Contact>({
    accountId: row.account_id,
    name: opt(row.name),
    nickname: opt(row.nickname),
    approved: row.approved === 1,
    approvedMe: row.approved_me === 1,
    blocked: row.blocked === 1,
    createdAt: row.created_at,
  });
}

function toPfsEntry(row: PfsRow): PfsKeyCacheEntry {
  const { mlkem_public_key: mlkem, x25519_public_key: x25519 } = row;
  return compact<PfsKeyCacheEntry>({
    fetchedAt: opt(row.fetched_at_s),
    keys:
      mlkem === null || x25519 === null
        ? undefined
        : { mlkemPublicKey: copyBytes(mlkem), x25519PublicKey: copyBytes(x25519) },
    nakAt: opt(row.nak_at_s),
  });
}

/** The contact port over `db` (migrated). */
export function createSqliteContactStore(db: Database): ContactStore {
  const get = (accountId: string): Contact | undefined => {
    const row = db.get<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE account_id = ?`, [
      accountId,
    ]);
    return row === undefined ? undefined : toContact(row);
  };
  const put = (c: Contact): void => {
    db.run(`INSERT OR REPLACE INTO contacts (${CONTACT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      c.accountId,
      c.name ?? null,
      c.nickname ?? null,
      c.approved ? 1 : 0,
      c.approvedMe ? 1 : 0,
      c.blocked ? 1 : 0,
      c.createdAt,
    ]);
  };
  return {
    getContact: (accountId) => promised(() => get(accountId)),
    putContact: (contact) => promised(() => put(contact)),
    updateContact: (accountId, patch) =>
      promised(() =>
        db.transaction(() => {
          const held = get(accountId);
          if (held === undefined) return undefined;
          const next = compact<Contact>({
            ...held,
            ...patch,
            accountId,
            createdAt: held.createdAt,
          });
          put(next);
          return next;
        }),
      ),
    listContacts: (filter = {}) =>
      promised(() => {
        const rows =
          filter.blocked === undefined
            ? db.all<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM contacts ORDER BY account_id`)
            : db.all<ContactRow>(
                `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE blocked = ? ORDER BY account_id`,
                [filter.blocked ? 1 : 0],
              );
        return rows.map(toContact);
      }),
    setBlocked: (accountId, blocked, now) =>
      promised(() =>
        db.transaction(() => {
          const held = get(accountId);
          const next: Contact =
            held === undefined
              ? { accountId, approved: false, approvedMe: false, blocked, createdAt: now }
              : { ...held, blocked };
          put(next);
          return next;
        }),
      ),
    deleteContact: (accountId) =>
      promised(() =>
        db.transaction(() => {
          let changes = 0;
          for (const table of ['contacts', 'pfs_key_cache', 'contact_v2']) {
            changes += db.run(`DELETE FROM ${table} WHERE account_id = ?`, [accountId]).changes;
          }
          return changes > 0;
        }),
      ),
    getPfsKeys: (accountId) =>
      promised(() => {
        const row = db.get<PfsRow>(
          'SELECT fetched_at_s, mlkem_public_key, x25519_public_key, nak_at_s ' +
            'FROM pfs_key_cache WHERE account_id = ?',
          [accountId],
        );
        return row === undefined ? undefined : toPfsEntry(row);
      }),
    putPfsKeys: (accountId, entry: PfsKeyCacheEntry) =>
      promised(() => {
        db.run(
          'INSERT OR REPLACE INTO pfs_key_cache ' +
            '(account_id, fetched_at_s, mlkem_public_key, x25519_public_key, nak_at_s) ' +
            'VALUES (?, ?, ?, ?, ?)',
          [
            accountId,
            entry.fetchedAt ?? null,
            entry.keys?.mlkemPublicKey ?? null,
            entry.keys?.x25519PublicKey ?? null,
            entry.nakAt ?? null,
          ],
        );
      }),
    getV2Record: (accountId) =>
      promised(() => {
        const row = db.get<{ v2_keys_seen_at_s: number | null }>(
          'SELECT v2_keys_seen_at_s FROM contact_v2 WHERE account_id = ?',
          [accountId],
        );
        return row === undefined
          ? undefined
          : compact<ContactV2Record>({ v2KeysSeenAt: opt(row.v2_keys_seen_at_s) });
      }),
    putV2Record: (accountId, record) =>
      promised(() => {
        db.run('INSERT OR REPLACE INTO contact_v2 (account_id, v2_keys_seen_at_s) VALUES (?, ?)', [
          accountId,
          record.v2KeysSeenAt ?? null,
        ]);
      }),
  };
}
