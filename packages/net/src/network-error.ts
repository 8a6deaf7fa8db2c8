/**
 * The network layer's one error class (CONVENTIONS.md, habit 6): a stable string `code` a caller
 * can branch on, a message a developer can act on, and an optional `cause`. Answers a node gave
 * (a 401, a 404, a 421 the client could not resolve) are values, not errors; a `NetworkError`
 * means no usable answer came back at all.
 */

/** Every code a `NetworkError` may carry. */
export const NETWORK_ERROR_CODES = [
  /** A single request ran out of time (the per-request timeout). */
  'timeout',
  /** The caller's `AbortSignal` fired. */
  'aborted',
  /** Nothing listens at the target (connection refused, no such in-process node). */
  'unreachable',
  /** A reply that does not have the shape the protocol promises. */
  'bad-response',
  /** Bad arguments from the caller (checked at the boundary). */
  'invalid-input',
  /** The seed nodes gave no usable node list. */
  'seed-failed',
  /** Too few nodes in the pool to build paths or agree on a refresh. */
  'pool-too-small',
  /** No onion path could be built (no guard answered). */
  'no-path',
  /** No node of the account's swarm is known or reachable. */
  'no-swarm',
  /** Every attempt failed; `cause` holds the last failure. */
  'retries-exhausted',
] as const;

/** A `NetworkError` code. */
export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

/** The error class of `@session-ts/net`. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly code: NetworkErrorCode;

  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Type guard for `NetworkError`, optionally of one code. */
export function isNetworkError(value: unknown, code?: NetworkErrorCode): value is NetworkError {
  return value instanceof NetworkError && (code === undefined || value.code === code);
}
