/**
 * The storage layer's one error class (CONVENTIONS.md, habit 6): every failure that leaves
 * `@session-ts/sqlite`, and every failure of the stores built on it, is a `StoreError` with a
 * stable string `code` and the driver's error as `cause`. Outcomes a caller branches on in
 * normal operation (a duplicate, a full database for a store) are return values of the stores,
 * not errors; `full` exists here for callers that do not expect it.
 */

/** Every code a `StoreError` may carry. */
export const STORE_ERROR_CODES = [
  /** The database file could not be opened or configured. */
  'open-failed',
  /** The file was written by a newer schema than this code knows (refusing to downgrade). */
  'newer-schema',
  /** A migration failed; its transaction was rolled back and the version is unchanged. */
  'migration-failed',
  /** A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint refused a write. */
  'constraint',
  /** The size cap (`max_page_count`) or the disk is full (SQLITE_FULL). */
  'full',
  /** Another connection held a lock past the busy timeout. */
  'busy',
  /** The database was used after `close()`. */
  'closed',
  /** Disk I/O failed or the file is corrupt. */
  'io',
  /** Any other driver failure (bad SQL is a bug and lands here). */
  'query-failed',
  /** The caller gave the store something it cannot hold. */
  'invalid-input',
  /** An encrypted database did not open with the key given (or is not encrypted). */
  'wrong-key',
] as const;

/** A `StoreError` code. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** The error class of the storage layer. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Type guard for `StoreError`, optionally of one code. */
export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}
