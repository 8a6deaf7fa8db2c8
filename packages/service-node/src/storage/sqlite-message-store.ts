/**
 * The SQLite `MessageStore`: upstream's schema (`schema.ts`) and queries
 * (session-foundation/session-storage-server `oxenss/storage/database.cpp`) over the
 * `@session-ts/sqlite` port, with WAL, `synchronous=NORMAL` (acknowledged stores survive a
 * process kill, see `@session-ts/sqlite`), and a size cap through `max_page_count`, upstream's
 * `SIZE_LIMIT`. A store that hits the cap is the outcome `full`, not an error.
 *
 * Multi-statement operations run in one IMMEDIATE transaction; single statements are atomic by
 * themselves. Lookups go one statement per hash rather than `hash IN (…)`, as upstream does, so
 * each uses the unique hash index.
 */
import { fromHex, toHex, type NamespaceSelector } from '@session-ts/core';
import {
  isStoreError,
  migrate,
  openDatabase,
  StoreError,
  type Database,
  type SqlValue,
} from '@session-ts/sqlite';
import {
  assertExpiryCount,
  effectiveMaxCount,
  pageMessages,
  type ExpiryChange,
  type MessageStore,
  type NamespacedHash,
  type StoredMessage,
  type StoreOutcome,
} from './message-store.ts';
import { MESSAGE_STORE_MIGRATIONS } from './schema.ts';

/** Upstream v2.8's database cap: 3.5 GiB (`SIZE_LIMIT`, database.hpp; network.md §1.8). */
export const DEFAULT_MAX_DB_BYTES = 3584 * 1024 * 1024;

/** Options of `openSqliteMessageStore`. */
export interface SqliteMessageStoreOptions {
  /** The database file (`storage.db` under the node's data directory), or `:memory:`. */
  readonly path: string;
  /** Size cap in bytes (default `DEFAULT_MAX_DB_BYTES`). */
  readonly maxSizeBytes?: number;
  /** `NORMAL` by default, as upstream; see `@session-ts/sqlite` for what `FULL` adds. */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

interface MessageRow {
  type: number;
  pubkey: Uint8Array;
  id: number;
  hash: string;
  namespace: number;
  timestamp: number;
  expiry: number;
  data: Uint8Array;
}

/** Opens (creating or migrating) a node's message database. */
export function openSqliteMessageStore(options: SqliteMessageStoreOptions): MessageStore {
  const db = openDatabase({
    path: options.path,
    maxSizeBytes: options.maxSizeBytes ?? DEFAULT_MAX_DB_BYTES,
    synchronous: options.synchronous ?? 'NORMAL',
  });
  try {
    migrate(db, MESSAGE_STORE_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return createSqliteMessageStore(db);
}

/** A `MessageStore` over an open, migrated database. */
export function createSqliteMessageStore(db: Database): MessageStore {
  const q = {
    ownerId: db.prepare<{ id: number }>('SELECT id FROM owners WHERE pubkey = ? AND type = ?'),
    insertOwner: db.prepare<{ id: number }>(
      'INSERT INTO owners (pubkey, type) VALUES (?, ?) RETURNING id',
    ),
    byHash: db.prepare<{ id: number; expiry: number }>(
      'SELECT id, expiry FROM messages WHERE hash = ?',
    ),
    setExpiry: db.prepare('UPDATE messages SET expiry = ? WHERE id = ?'),
    // A public outbox holds one message: a new one takes the old row's place.
    insert: db.prepare(
      'INSERT INTO messages (owner, hash, namespace, timestamp, expiry, data) VALUES (?, ?, ?, ?, ?, ?)' +
        ' ON CONFLICT (owner, namespace) WHERE namespace < 0 AND namespace % 20 = -1' +
        ' DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp,' +
        ' expiry = excluded.expiry, data = excluded.data',
    ),
    // Pushed by a peer: the later outbox message wins (upstream's `bulk_store`).
    importInsert: db.prepare(
      'INSERT INTO messages (owner, hash, namespace, timestamp, expiry, data) VALUES (?, ?, ?, ?, ?, ?)' +
        ' ON CONFLICT (owner, namespace) WHERE namespace < 0 AND namespace % 20 = -1' +
        ' DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp,' +
        ' expiry = excluded.expiry, data = excluded.data' +
        ' WHERE excluded.timestamp > messages.timestamp',
    ),
    idInNamespace: db.prepare<{ id: number }>(
      'SELECT id FROM messages WHERE owner = ? AND namespace = ? AND hash = ?',
    ),
    page: db.prepare<MessageRow>(
      'SELECT id, hash, namespace, timestamp, expiry, data FROM messages' +
        ' WHERE owner = ? AND namespace = ? AND id > ? AND expiry > ? ORDER BY id LIMIT ?',
    ),
    deleteHash: db.prepare('DELETE FROM messages WHERE hash = ? AND owner = ?'),
    deleteAll: db.prepare<NamespacedHash>(
      'DELETE FROM messages WHERE owner = ? RETURNING namespace, hash',
    ),
    deleteAllNs: db.prepare<NamespacedHash>(
      'DELETE FROM messages WHERE owner = ? AND namespace = ? RETURNING namespace, hash',
    ),
    deleteBefore: db.prepare<NamespacedHash>(
      'DELETE FROM messages WHERE owner = ? AND timestamp <= ? RETURNING namespace, hash',
    ),
    deleteBeforeNs: db.prepare<NamespacedHash>(
      'DELETE FROM messages WHERE owner = ? AND timestamp <= ? AND namespace = ?' +
        ' RETURNING namespace, hash',
    ),
    expiryAny: db.prepare('UPDATE messages SET expiry = ? WHERE hash = ? AND owner = ?'),
    expiryExtend: db.prepare(
      'UPDATE messages SET expiry = ? WHERE hash = ? AND owner = ? AND expiry < ?',
    ),
    expiryShorten: db.prepare(
      'UPDATE messages SET expiry = ? WHERE hash = ? AND owner = ? AND expiry > ?',
    ),
    shortenAll: db.prepare<NamespacedHash>(
      'UPDATE messages SET expiry = ? WHERE expiry > ? AND owner = ? RETURNING namespace, hash',
    ),
    shortenAllNs: db.prepare<NamespacedHash>(
      'UPDATE messages SET expiry = ? WHERE expiry > ? AND owner = ? AND namespace = ?' +
        ' RETURNING namespace, hash',
    ),
    expiryOf: db.prepare<{ expiry: number }>(
      'SELECT expiry FROM messages WHERE hash = ? AND owner = ?',
    ),
    allExpiries: db.prepare<{ hash: string; expiry: number }>(
      'SELECT hash, expiry FROM messages WHERE owner = ? ORDER BY id',
    ),
    revoke: db.prepare(
      'INSERT INTO revoked_subaccounts (owner, token, timestamp) VALUES (?, ?, ?)' +
        ' ON CONFLICT (owner, token) DO UPDATE SET timestamp = excluded.timestamp' +
        ' WHERE revoked_subaccounts.timestamp < excluded.timestamp',
    ),
    unrevoke: db.prepare('DELETE FROM revoked_subaccounts WHERE owner = ? AND token = ?'),
    isRevoked: db.prepare<{ one: number }>(
      'SELECT 1 AS one FROM revoked_subaccounts WHERE owner = ? AND token = ?',
    ),
    revoked: db.prepare<{ token: Uint8Array }>(
      'SELECT token FROM revoked_subaccounts WHERE owner = ? ORDER BY timestamp, rowid',
    ),
    clean: db.prepare('DELETE FROM messages WHERE expiry <= ?'),
    cleanSome: db.prepare(
      'DELETE FROM messages WHERE id IN' +
        ' (SELECT id FROM messages WHERE expiry <= ? ORDER BY expiry LIMIT ?)',
    ),
    exportBatch: db.prepare<MessageRow>(
      'SELECT id, type, pubkey, hash, namespace, timestamp, expiry, data FROM owned_messages' +
        ' WHERE id > ? AND expiry > ? ORDER BY id LIMIT ?',
    ),
  };

  const split = (account: string): [Uint8Array, number] => {
    const bytes = fromHex(account, 'account ID');
    if (bytes.length !== 33) {
      throw new StoreError('invalid-input', `account ID: expected 66 hex characters`);
    }
    return [bytes.subarray(1), bytes[0] ?? 0];
  };
  const ownerOf = (account: string): number | undefined => q.ownerId.get(split(account))?.id;
  const ownerOrCreate = (account: string): number => {
    const key = split(account);
    return q.ownerId.get(key)?.id ?? (q.insertOwner.get(key)?.id as number);
  };
  const nsParams = (ns: NamespaceSelector): SqlValue[] => (ns === 'all' ? [] : [ns]);

  /** One store, in a transaction (a savepoint when inside `storeMany`'s). */
  const storeOne = (m: StoredMessage): StoreOutcome => {
    try {
      return db.transaction((): StoreOutcome => {
        const existing = q.byHash.get([m.hash]);
        if (existing !== undefined) {
          if (existing.expiry < m.expiry) {
            q.setExpiry.run([m.expiry, existing.id]);
            return { kind: 'extended', expiry: m.expiry };
          }
          return { kind: 'exists', expiry: existing.expiry };
        }
        const owner = ownerOrCreate(m.account);
        q.insert.run([owner, m.hash, m.namespace, m.timestamp, m.expiry, m.data]);
        return { kind: 'new', expiry: m.expiry };
      });
    } catch (error) {
      if (isStoreError(error, 'full')) return { kind: 'full' };
      throw error;
    }
  };

  return {
    store: storeOne,

    storeMany(messages) {
      if (messages.length <= 1) return messages.map(storeOne);
      try {
        return db.transaction(() =>
          messages.map((m) => {
            const outcome = storeOne(m);
            // SQLite may answer SQLITE_FULL by rolling back the whole transaction; then nothing
            // of the group was written and each message gets a transaction of its own.
            if (!db.inTransaction) throw new StoreError('full', 'group commit rolled back');
            return outcome;
          }),
        );
      } catch (error) {
        if (!isStoreError(error, 'full') || db.inTransaction) throw error;
        return messages.map(storeOne);
      }
    },

    retrieve(query) {
      const owner = ownerOf(query.account);
      if (owner === undefined) return { messages: [], more: false };
      const maxCount = effectiveMaxCount(query.maxCount);
      const after =
        query.lastHash === undefined
          ? 0
          : (q.idInNamespace.get([owner, query.namespace, query.lastHash])?.id ?? 0);
      const rows = q.page.all([
        owner,
        query.namespace,
        after,
        query.now,
        maxCount === undefined ? -1 : maxCount + 1,
      ]);
      return pageMessages(rows, (r) => toMessage(r, query.account), maxCount, query.maxSize);
    },

    deleteByHashes(account, hashes) {
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return [];
        return hashes.filter((h) => q.deleteHash.run([h, owner]).changes > 0);
      });
    },

    deleteAll(account, ns) {
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return [];
        return (ns === 'all' ? q.deleteAll : q.deleteAllNs).all([owner, ...nsParams(ns)]);
      });
    },

    deleteBefore(account, ns, before) {
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return [];
        return (ns === 'all' ? q.deleteBefore : q.deleteBeforeNs).all([
          owner,
          before,
          ...nsParams(ns),
        ]);
      });
    },

    updateExpiries(account, hashes, expiries, change: ExpiryChange) {
      assertExpiryCount(hashes, expiries);
      const st =
        change === 'extend' ? q.expiryExtend : change === 'shorten' ? q.expiryShorten : q.expiryAny;
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return [];
        const seen = new Set<string>();
        const updated: { hash: string; expiry: number }[] = [];
        hashes.forEach((hash, i) => {
          if (expiries.length === 1) {
            if (seen.has(hash)) return;
            seen.add(hash);
          }
          const expiry = (expiries.length === 1 ? expiries[0] : expiries[i]) as number;
          if (
            st.run(change === 'any' ? [expiry, hash, owner] : [expiry, hash, owner, expiry])
              .changes > 0
          )
            updated.push({ hash, expiry });
        });
        return updated;
      });
    },

    shortenAll(account, ns, expiry) {
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return [];
        return (ns === 'all' ? q.shortenAll : q.shortenAllNs).all([
          expiry,
          expiry,
          owner,
          ...nsParams(ns),
        ]);
      });
    },

    getExpiries(account, hashes) {
      const result = new Map<string, number>();
      db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return;
        if (hashes === 'all') {
          for (const r of q.allExpiries.all([owner])) result.set(r.hash, r.expiry);
          return;
        }
        for (const h of hashes) {
          const r = q.expiryOf.get([h, owner]);
          if (r !== undefined) result.set(h, r.expiry);
        }
      });
      return result;
    },

    revokeSubaccounts(account, tokens, now) {
      if (tokens.length === 0) return;
      db.transaction(() => {
        const owner = ownerOrCreate(account);
        for (const t of tokens) q.revoke.run([owner, t, now]);
      });
    },

    unrevokeSubaccounts(account, tokens) {
      return db.transaction(() => {
        const owner = ownerOf(account);
        if (owner === undefined) return 0;
        let count = 0;
        for (const t of tokens) count += q.unrevoke.run([owner, t]).changes;
        return count;
      });
    },

    isRevoked(account, token) {
      const owner = ownerOf(account);
      return owner !== undefined && q.isRevoked.get([owner, token]) !== undefined;
    },

    revokedSubaccounts(account) {
      const owner = ownerOf(account);
      if (owner === undefined) return [];
      return q.revoked.all([owner]).map((r) => Uint8Array.from(r.token));
    },

    cleanExpired(now, limit) {
      if (limit === undefined) return q.clean.run([now]).changes;
      return q.cleanSome.run([now, limit]).changes;
    },

    stats() {
      const counts = db.get<{ messages: number; accounts: number }>(
        'SELECT (SELECT COUNT(*) FROM messages) AS messages, (SELECT COUNT(*) FROM owners) AS accounts',
      );
      const pageSize = Number(db.pragma('page_size') ?? 0);
      const pages = Number(db.pragma('page_count') ?? 0) - Number(db.pragma('freelist_count') ?? 0);
      return {
        messages: counts?.messages ?? 0,
        accounts: counts?.accounts ?? 0,
        bytes: pages * pageSize,
      };
    },

    *exportAll({ now, batchSize = 1000 }) {
      let after = 0;
      for (;;) {
        const rows = q.exportBatch.all([after, now, batchSize]);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]?.id ?? after;
        yield rows.map((r) => toMessage(r, accountHex(r.type, r.pubkey)));
        if (rows.length < batchSize) return;
      }
    },

    importMessages(messages) {
      return db.transaction(() => {
        let added = 0;
        const owners = new Map<string, number>();
        for (const m of messages) {
          const existing = q.byHash.get([m.hash]);
          if (existing !== undefined) {
            if (existing.expiry < m.expiry) q.setExpiry.run([m.expiry, existing.id]);
            continue;
          }
          let owner = owners.get(m.account);
          if (owner === undefined) {
            owner = ownerOrCreate(m.account);
            owners.set(m.account, owner);
          }
          const r = q.importInsert.run([owner, m.hash, m.namespace, m.timestamp, m.expiry, m.data]);
          added += r.changes;
        }
        return added;
      });
    },

    close() {
      db.close();
    },
  };
}

function accountHex(type: number, pubkey: Uint8Array): string {
  return type.toString(16).padStart(2, '0') + toHex(pubkey);
}

function toMessage(row: MessageRow, account: string): StoredMessage {
  return {
    account,
    hash: row.hash,
    namespace: row.namespace,
    timestamp: row.timestamp,
    expiry: row.expiry,
    data: row.data,
  };
}
