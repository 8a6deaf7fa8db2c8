/**
 * The in-memory twin of the SQLite `MessageStore` (CONVENTIONS.md, habit 2): the same
 * semantics over maps, for tests and simulations that want no disk. Storage order is a counter
 * standing in for SQLite's row id; a replaced outbox message takes the old one's place, as the
 * SQLite upsert does. The size cap counts each message as 100 bytes plus hash and data.
 * Both stores pass `test-support/message-store-contract.ts`.
 */
import { isPublicOutboxNamespace, toHex, type NamespaceSelector } from '@session-ts/core';
import {
  assertExpiryCount,
  effectiveMaxCount,
  MAX_REVOKED_SUBACCOUNTS,
  pageMessages,
  RETRIEVE_MESSAGE_OVERHEAD,
  type MessageStore,
  type NamespacedHash,
  type StoredMessage,
} from './message-store.ts';
import { StoreError } from '@session-ts/sqlite';

/** Options of `createMemoryMessageStore`. */
export interface MemoryMessageStoreOptions {
  /** Size cap: stores past it are `full` (default: none). */
  readonly maxBytes?: number;
}

interface Entry {
  id: number;
  message: StoredMessage;
}

interface Revocation {
  timestamp: number;
  seq: number;
  token: Uint8Array;
}

const cost = (m: StoredMessage): number =>
  RETRIEVE_MESSAGE_OVERHEAD + m.hash.length + m.data.length;

/** Creates an empty in-memory message store. */
export function createMemoryMessageStore(options: MemoryMessageStoreOptions = {}): MessageStore {
  let nextId = 1;
  let nextSeq = 1;
  let bytes = 0;
  let closed = false;
  const byHash = new Map<string, Entry>();
  // account → namespace → id → entry (Map keeps insertion, i.e. id, order)
  const byAccount = new Map<string, Map<number, Map<number, Entry>>>();
  const revoked = new Map<string, Map<string, Revocation>>();

  const open = (): void => {
    if (closed) throw new StoreError('closed', 'message store is closed');
  };
  const namespaces = (account: string): Map<number, Map<number, Entry>> | undefined =>
    byAccount.get(account);
  const bucket = (account: string, ns: number): Map<number, Entry> => {
    let nss = byAccount.get(account);
    if (nss === undefined) byAccount.set(account, (nss = new Map<number, Map<number, Entry>>()));
    let b = nss.get(ns);
    if (b === undefined) nss.set(ns, (b = new Map<number, Entry>()));
    return b;
  };
  const entriesOf = (account: string, ns: NamespaceSelector): Entry[] => {
    const nss = namespaces(account);
    if (nss === undefined) return [];
    const lists = ns === 'all' ? [...nss.values()] : [nss.get(ns) ?? new Map<number, Entry>()];
    return lists.flatMap((b) => [...b.values()]).sort((a, b) => a.id - b.id);
  };
  const remove = (e: Entry): void => {
    const m = e.message;
    byHash.delete(m.hash);
    bytes -= cost(m);
    const nss = byAccount.get(m.account);
    const b = nss?.get(m.namespace);
    b?.delete(e.id);
    if (b !== undefined && b.size === 0) nss?.delete(m.namespace);
    if (nss !== undefined && nss.size === 0) byAccount.delete(m.account);
  };
  const insert = (m: StoredMessage, replaceOutbox: (old: StoredMessage) => boolean): boolean => {
    if (isPublicOutboxNamespace(m.namespace)) {
      const b = byAccount.get(m.account)?.get(m.namespace);
      const old = b === undefined ? undefined : [...b.values()][0];
      if (old !== undefined) {
        if (!replaceOutbox(old.message)) return false;
        if (
          options.maxBytes !== undefined &&
          bytes - cost(old.message) + cost(m) > options.maxBytes
        ) {
          throw new StoreError('full', 'message store is full');
        }
        byHash.delete(old.message.hash);
        bytes += cost(m) - cost(old.message);
        old.message = m;
        byHash.set(m.hash, old);
        return true;
      }
    }
    if (options.maxBytes !== undefined && bytes + cost(m) > options.maxBytes) {
      throw new StoreError('full', 'message store is full');
    }
    const e: Entry = { id: nextId++, message: copy(m) };
    byHash.set(m.hash, e);
    bucket(m.account, m.namespace).set(e.id, e);
    bytes += cost(m);
    return true;
  };
  const revocationsOf = (account: string): Map<string, Revocation> => {
    let r = revoked.get(account);
    if (r === undefined) revoked.set(account, (r = new Map<string, Revocation>()));
    return r;
  };

  const self: MessageStore = {
    storeMany(messages) {
      return messages.map((m) => self.store(m));
    },

    store(m) {
      open();
      const existing = byHash.get(m.hash);
      if (existing !== undefined) {
        if (existing.message.expiry < m.expiry) {
          existing.message = { ...existing.message, expiry: m.expiry };
          return { kind: 'extended', expiry: m.expiry };
        }
        return { kind: 'exists', expiry: existing.message.expiry };
      }
      try {
        insert(m, () => true);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'full') return { kind: 'full' };
        throw error;
      }
      return { kind: 'new', expiry: m.expiry };
    },

    retrieve(query) {
      open();
      const b = byAccount.get(query.account)?.get(query.namespace);
      if (b === undefined) return { messages: [], more: false };
      const after = query.lastHash === undefined ? undefined : byHash.get(query.lastHash);
      const afterId =
        after !== undefined &&
        after.message.account === query.account &&
        after.message.namespace === query.namespace
          ? after.id
          : 0;
      const rows = [...b.values()]
        .filter((e) => e.id > afterId && e.message.expiry > query.now)
        .map((e) => e.message);
      return pageMessages(rows, copy, effectiveMaxCount(query.maxCount), query.maxSize);
    },

    deleteByHashes(account, hashes) {
      open();
      const deleted: string[] = [];
      for (const h of hashes) {
        const e = byHash.get(h);
        if (e !== undefined && e.message.account === account) {
          remove(e);
          deleted.push(h);
        }
      }
      return deleted;
    },

    deleteAll(account, ns) {
      open();
      return entriesOf(account, ns).map((e) => {
        remove(e);
        return { namespace: e.message.namespace, hash: e.message.hash };
      });
    },

    deleteBefore(account, ns, before) {
      open();
      return entriesOf(account, ns)
        .filter((e) => e.message.timestamp <= before)
        .map((e) => {
          remove(e);
          return { namespace: e.message.namespace, hash: e.message.hash };
        });
    },

    updateExpiries(account, hashes, expiries, change) {
      open();
      assertExpiryCount(hashes, expiries);
      const seen = new Set<string>();
      const updated: { hash: string; expiry: number }[] = [];
      hashes.forEach((hash, i) => {
        if (expiries.length === 1) {
          if (seen.has(hash)) return;
          seen.add(hash);
        }
        const expiry = (expiries.length === 1 ? expiries[0] : expiries[i]) as number;
        const e = byHash.get(hash);
        if (e === undefined || e.message.account !== account) return;
        const current = e.message.expiry;
        if (change === 'extend' && !(current < expiry)) return;
        if (change === 'shorten' && !(current > expiry)) return;
        e.message = { ...e.message, expiry };
        updated.push({ hash, expiry });
      });
      return updated;
    },

    shortenAll(account, ns, expiry) {
      open();
      const out: NamespacedHash[] = [];
      for (const e of entriesOf(account, ns)) {
        if (e.message.expiry > expiry) {
          e.message = { ...e.message, expiry };
          out.push({ namespace: e.message.namespace, hash: e.message.hash });
        }
      }
      return out;
    },

    getExpiries(account, hashes) {
      open();
      const result = new Map<string, number>();
      if (hashes === 'all') {
        for (const e of entriesOf(account, 'all')) result.set(e.message.hash, e.message.expiry);
        return result;
      }
      for (const h of hashes) {
        const e = byHash.get(h);
        if (e !== undefined && e.message.account === account) result.set(h, e.message.expiry);
      }
      return result;
    },

    revokeSubaccounts(account, tokens, now) {
      open();
      const r = revocationsOf(account);
      for (const t of tokens) {
        const key = toHex(t);
        const existing = r.get(key);
        if (existing !== undefined) {
          if (existing.timestamp < now) existing.timestamp = now;
          continue;
        }
        r.set(key, { timestamp: now, seq: nextSeq++, token: Uint8Array.from(t) });
        if (r.size > MAX_REVOKED_SUBACCOUNTS) {
          const keep = new Set(
            newestFirst([...r.entries()])
              .slice(0, MAX_REVOKED_SUBACCOUNTS)
              .map(([k]) => k),
          );
          for (const k of [...r.keys()]) if (!keep.has(k)) r.delete(k);
        }
      }
    },

    unrevokeSubaccounts(account, tokens) {
      open();
      const r = revoked.get(account);
      if (r === undefined) return 0;
      let count = 0;
      for (const t of tokens) if (r.delete(toHex(t))) count++;
      if (r.size === 0) revoked.delete(account);
      return count;
    },

    isRevoked(account, token) {
      open();
      return revoked.get(account)?.has(toHex(token)) ?? false;
    },

    revokedSubaccounts(account) {
      open();
      const r = revoked.get(account);
      if (r === undefined) return [];
      return newestFirst([...r.entries()])
        .reverse()
        .map(([, v]) => Uint8Array.from(v.token));
    },

    cleanExpired(now, limit = Infinity) {
      open();
      const expired = [...byHash.values()]
        .filter((e) => e.message.expiry <= now)
        .sort((a, b) => a.message.expiry - b.message.expiry)
        .slice(0, limit);
      for (const e of expired) remove(e);
      return expired.length;
    },

    stats() {
      open();
      const accounts = new Set([...byAccount.keys(), ...revoked.keys()]);
      return { messages: byHash.size, accounts: accounts.size, bytes };
    },

    *exportAll({ now, batchSize = 1000 }) {
      open();
      const all = [...byHash.values()]
        .filter((e) => e.message.expiry > now)
        .sort((a, b) => a.id - b.id)
        .map((e) => copy(e.message));
      for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize);
    },

    importMessages(messages) {
      open();
      // All or nothing: check the cap against the worst case before touching anything.
      if (options.maxBytes !== undefined) {
        const extra = messages.reduce((sum, m) => sum + cost(m), 0);
        if (bytes + extra > options.maxBytes) throw new StoreError('full', 'message store is full');
      }
      let added = 0;
      for (const m of messages) {
        const existing = byHash.get(m.hash);
        if (existing !== undefined) {
          if (existing.message.expiry < m.expiry) {
            existing.message = { ...existing.message, expiry: m.expiry };
          }
          continue;
        }
        if (insert(m, (old) => m.timestamp > old.timestamp)) added++;
      }
      return added;
    },

    close() {
      closed = true;
    },
  };
  return self;
}

function newestFirst(entries: [string, Revocation][]): [string, Revocation][] {
  return entries.sort(([, a], [, b]) => b.timestamp - a.timestamp || b.seq - a.seq);
}

function copy(m: StoredMessage): StoredMessage {
  return { ...m, data: Uint8Array.from(m.data) };
}
