/**
 * The driver adapter shared by `openDatabase` and `openEncryptedDatabase`: it turns a
 * better-sqlite3-style connection (the better-sqlite3-multiple-ciphers driver, which is
 * better-sqlite3 plus SQLite3 Multiple Ciphers) into the `Database` port, and every driver
 * error into a `StoreError` with a code callers can branch on.
 */
import type Driver from 'better-sqlite3-multiple-ciphers';
import type { Database, SqlParams, SqlValue, Statement } from './database.ts';
import { StoreError, type StoreErrorCode } from './store-error.ts';

/** Upstream's busy timeout (`SQLite_busy_timeout = 15s`, database.cpp). */
export const DEFAULT_BUSY_TIMEOUT_MS = 15_000;

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
export function wrap<T>(what: string, fn: () => T): T {
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

function adaptStatement<Row>(stmt: Driver.Statement): Statement<Row> {
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

export function adaptDatabase(raw: Driver.Database, path: string): Database {
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
