/**
 * The core layer's one error class. Every failure that crosses a public function of
 * `@session-ts/core` is a `ProtocolError` with a stable string `code` a caller can branch on,
 * a message a developer can act on ("expected 32 bytes, got 31"), and an optional `cause`.
 * Outcomes a caller must handle in normal operation (a message that no key decrypts) are
 * returned as values instead (see CONVENTIONS.md, habit 6).
 */

/** Every code a `ProtocolError` may carry. */
export const PROTOCOL_ERROR_CODES = [
  'invalid-input',
  'invalid-length',
  'invalid-hex',
  'invalid-base64',
  'invalid-key',
  'invalid-account-id',
  'invalid-mnemonic-word',
  'invalid-mnemonic-length',
  'invalid-mnemonic-checksum',
  'invalid-mnemonic-value',
  'decrypt-failed',
  'bad-signature',
  'bad-padding',
  'invalid-protobuf',
  'invalid-bencode',
  'too-large',
] as const;

/** A `ProtocolError` code. */
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** Details that travel with an error (never secrets). */
export interface ProtocolErrorDetails {
  readonly cause?: unknown;
  /** The offending word, field or value, when naming it helps the user (never key material). */
  readonly subject?: string;
}

/** The error class of `@session-ts/core`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly subject: string | undefined;

  constructor(code: ProtocolErrorCode, message: string, details: ProtocolErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.subject = details.subject;
  }
}

/** Type guard for `ProtocolError`, optionally of one code. */
export function isProtocolError(value: unknown, code?: ProtocolErrorCode): value is ProtocolError {
  return value instanceof ProtocolError && (code === undefined || value.code === code);
}
