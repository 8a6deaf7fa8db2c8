/**
 * The testnet layer's error (CONVENTIONS.md habit 6): a string `code` the caller can branch on
 * and the underlying `cause`.
 */

/** What went wrong with a devnet. */
export type DevnetErrorCode =
  /** Sizes or options that cannot work (e.g. zero nodes). */
  | 'invalid-input'
  /** A devnet is already running in that directory. */
  | 'already-running'
  /** No devnet was ever started in that directory. */
  | 'not-found'
  /** A file of the devnet directory is not what we wrote. */
  | 'corrupt'
  /** A seed or node did not become ready. */
  | 'start-failed';

/** An error of the testnet layer. */
export class DevnetError extends Error {
  override readonly name = 'DevnetError';
  readonly code: DevnetErrorCode;

  constructor(code: DevnetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a `DevnetError` (with `code`, if given). */
export function isDevnetError(error: unknown, code?: DevnetErrorCode): error is DevnetError {
  return error instanceof DevnetError && (code === undefined || error.code === code);
}
