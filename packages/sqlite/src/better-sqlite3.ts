/**
 * Opening a plain database: the `Database` port over better-sqlite3-multiple-ciphers
 * (better-sqlite3's synchronous in-process SQLite, built with SQLite3 Multiple Ciphers so one
 * native driver serves plain and encrypted files; without a key it is plain SQLite). Opening a file turns on what upstream's storage server uses
 * (session-foundation/session-storage-server `oxenss/storage/database.cpp`,
 * `Database::setup_connection`; network.md §1.8): WAL journalling, `synchronous=NORMAL`,
 * foreign keys, a 15 s busy timeout, and optionally a size cap through `max_page_count`.
 *
 * Durability of WAL + `synchronous=NORMAL` (https://www.sqlite.org/pragma.html#pragma_synchronous,
 * https://www.sqlite.org/wal.html): a commit appends its pages to the WAL file with write(2) but
 * does not fsync; the WAL is synced only at checkpoints. So
 * - a process crash (kill -9, a panic, the OOM killer) loses **nothing** that was committed: the
 *   written pages are in the operating system's cache and reach the file regardless
 *   (`sqlite.test.ts` kills a writer with SIGKILL and checks every acknowledged row);
 * - a power loss or kernel crash may lose the **last transactions** since the last sync, but the
 *   database stays consistent (never half a transaction).
 * `synchronous: 'FULL'` closes that window at the cost of an fsync per commit.
 */
import Driver from 'better-sqlite3-multiple-ciphers';
import type { Database } from './database.ts';
import { adaptDatabase, DEFAULT_BUSY_TIMEOUT_MS, wrap } from './driver-adapter.ts';
import { StoreError } from './store-error.ts';

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** A file path, or `:memory:` for a private in-memory database (tests). */
  readonly path: string;
  /**
   * `NORMAL` (default, as upstream): durable across process crashes, not power loss.
   * `FULL`: durable across power loss too. `OFF`: for throwaway data only.
   */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  /** Largest size of the database file; writes past it fail with `full`. Default: no cap. */
  readonly maxSizeBytes?: number;
  /** How long to wait for another connection's lock (default 15 s, upstream's). */
  readonly busyTimeoutMs?: number;
  readonly readonly?: boolean;
}

/** Opens (creating if needed) a database and applies the settings above. */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const memory = options.path === ':memory:';
  const raw = wrap('open', () => {
    try {
      return new Driver(options.path, { readonly: options.readonly ?? false });
    } catch (cause) {
      throw new StoreError('open-failed', `cannot open database ${options.path}`, { cause });
    }
  });
  try {
    raw.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
    raw.pragma('foreign_keys = ON');
    if (!memory && options.readonly !== true) raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    if (options.maxSizeBytes !== undefined) {
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      const pages = Math.max(1, Math.floor(options.maxSizeBytes / pageSize));
      raw.pragma(`max_page_count = ${pages}`);
    }
  } catch (cause) {
    raw.close();
    throw new StoreError('open-failed', `cannot configure database ${options.path}`, { cause });
  }
  return adaptDatabase(raw, options.path);
}
