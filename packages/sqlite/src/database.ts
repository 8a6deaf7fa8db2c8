/**
 * The database port: the few operations the stores of session-ts need from SQL storage
 * (CONVENTIONS.md, habit 2). One adapter implements it (`better-sqlite3.ts`); a store written
 * against this port never sees the driver, so the driver can change in one file.
 *
 * Calls are synchronous, as better-sqlite3's are: a statement on a local file takes
 * microseconds, and a synchronous transaction cannot interleave with another request's, which
 * is what makes every store operation atomic without locks. Every failure is a `StoreError`.
 */

/** A value SQLite stores or returns. BLOBs come back as `Uint8Array`s (Node `Buffer`s). */
export type SqlValue = number | bigint | string | Uint8Array | null;

/** Positional (`?`) parameters, or named (`@name`, `:name`, `$name`) ones. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/** What a write reports. */
export interface RunResult {
  /** Rows inserted, updated or deleted by the statement itself (not by triggers). */
  readonly changes: number;
  /** The rowid of the last inserted row. */
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement; prepare once, run many times. */
export interface Statement<Row = Record<string, SqlValue>> {
  run(params?: SqlParams): RunResult;
  /** The first row, or `undefined`. */
  get(params?: SqlParams): Row | undefined;
  all(params?: SqlParams): Row[];
  /** Rows one at a time (for exports too large to hold). */
  iterate(params?: SqlParams): IterableIterator<Row>;
}

/** An open database. */
export interface Database {
  /** The file path, or `:memory:`. */
  readonly path: string;
  /** True while a `transaction` is running. */
  readonly inTransaction: boolean;
  prepare<Row = Record<string, SqlValue>>(sql: string): Statement<Row>;
  /** Runs one or more statements without parameters (schema, pragmas). */
  exec(sql: string): void;
  /** Shorthands that prepare (and cache) the statement. */
  run(sql: string, params?: SqlParams): RunResult;
  get<Row = Record<string, SqlValue>>(sql: string, params?: SqlParams): Row | undefined;
  all<Row = Record<string, SqlValue>>(sql: string, params?: SqlParams): Row[];
  /**
   * Runs `fn` in a transaction (BEGIN IMMEDIATE, so a read-then-write never fails to upgrade its
   * lock) and commits, or rolls back if `fn` throws. Nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T;
  /** Reads a pragma's single value (`pragma('user_version')`). */
  pragma(name: string): SqlValue | undefined;
  /** Sets a pragma (`setPragma('user_version', 3)`); the name must be a plain identifier. */
  setPragma(name: string, value: number | string): void;
  close(): void;
}
