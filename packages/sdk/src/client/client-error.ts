/**
 * The SDK client's one error class (CONVENTIONS.md habit 6): a string `code` and a `cause`.
 * Outcomes a caller must branch on (a send refused by the downgrade policy) are return values.
 */

export const CLIENT_ERROR_CODES = ['no-account', 'invalid-input', 'swarm', 'state'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export class ClientError extends Error {
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientError';
    this.code = code;
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError;
}
