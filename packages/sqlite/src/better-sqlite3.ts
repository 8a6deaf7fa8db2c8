/**
 * The one driver adapter: the `Database` port over better-sqlite3 (synchronous, in-process
 * SQLite). Opening a file turns on what upstream's storage server uses
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
import BetterSqlite3 from 'better-sqlite3';
import type { Database, SqlParams, SqlValue, Statement } from './database.ts';
import { StoreError, type StoreErrorCode } from './store-error.ts';

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

/** Upstream's busy timeout (`SQLite_busy_timeout = 15s`, database.cpp). */
const DEFAULT_BUSY_TIMEOUT_MS = 15_000;

const PRAGMA_NAME = /^[a-z_]+$/;

/** Maps a driver error to a `StoreError` code. */
function codeOf(error: unknown): StoreErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
    if (code === 'SQLITE_FULL') return 'full';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      return 'io';
    }
  }
  if (error instanceof TypeError && /not open/i.test(error.message)) return 'closed';
  return 'query-failed';
}

/** Runs a driver call, turning whatever it throws into a `StoreError`. */
function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(codeOf(error), `${what}: ${message}`, { cause: error });
  }
}

function bind(params: SqlParams | undefined): unknown[] {
  if (params === undefined) return [];
  return Array.isArray(params) ? (params as unknown[]) : [params];
}

function adaptStatement<Row>(stmt: BetterSqlite3.Statement): Statement<Row> {
  return {
    run: (params) =>
      wrap('run', () => {
        const r = stmt.run(...bind(params));
        return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
      }),
    get: (params) => wrap('get', () => stmt.get(...bind(params)) as Row | undefined),
    all: (params) => wrap('all', () => stmt.all(...bind(params)) as Row[]),
    *iterate(params) {
      const it = wrap('iterate', () => stmt.iterate(...bind(params)) as IterableIterator<Row>);
      try {
        for (;;) {
          const step = wrap('iterate', () => it.next());
          if (step.done === true) return;
          yield step.value;
        }
      } finally {
        it.return?.();
      }
    },
  };
}

/** Opens (creating if needed) a database and applies the settings above. */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const memory = options.path === ':memory:';
  const raw = wrap('open', () => {
    try {
      return new BetterSqlite3(options.path, { readonly: options.readonly ?? false });
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

function adaptDatabase(raw: BetterSqlite3.Database, path: string): Database {
  const cache = new Map<string, Statement<unknown>>();
  const cached = <Row>(sql: string): Statement<Row> => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = adaptStatement<unknown>(wrap('prepare', () => raw.prepare(sql)));
      cache.set(sql, stmt);
    }
    return stmt as Statement<Row>;
  };
  // One transaction function, built once: better-sqlite3's wrapper handles BEGIN IMMEDIATE,
  // COMMIT, ROLLBACK on throw, and savepoints when nested; `current` is the body to run.
  let current: () => unknown = () => undefined;
  const tx = raw.transaction(() => current());
  return {
    path,
    get inTransaction() {
      return raw.inTransaction;
    },
    prepare: <Row>(sql: string) => adaptStatement<Row>(wrap('prepare', () => raw.prepare(sql))),
    exec: (sql) => {
      wrap('exec', () => raw.exec(sql));
    },
    run: (sql, params) => cached(sql).run(params),
    get: <Row>(sql: string, params?: SqlParams) => cached<Row>(sql).get(params),
    all: <Row>(sql: string, params?: SqlParams) => cached<Row>(sql).all(params),
    transaction<T>(fn: () => T): T {
      const previous = current;
      current = fn;
      try {
        return wrap('transaction', () => tx.immediate() as T);
      } finally {
        current = previous;
      }
    },
    pragma(name) {
      assertPragmaName(name);
      return wrap('pragma', () => raw.pragma(name, { simple: true }) as SqlValue | undefined);
    },
    setPragma(name, value) {
      assertPragmaName(name);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new StoreError('invalid-input', `pragma ${name}: expected a finite number`);
      }
      if (typeof value === 'string' && !PRAGMA_NAME.test(value.toLowerCase())) {
        throw new StoreError('invalid-input', `pragma ${name}: expected a plain word value`);
      }
      wrap('pragma', () => raw.pragma(`${name} = ${value}`));
    },
    close: () => {
      cache.clear();
      wrap('close', () => raw.close());
    },
  };
}

function assertPragmaName(name: string): void {
  if (!PRAGMA_NAME.test(name)) {
    throw new StoreError('invalid-input', `pragma name: expected letters and _, got "${name}"`);
  }
}
