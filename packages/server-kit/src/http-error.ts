/**
 * The server layer's error class: an HTTP status, a stable string `code`, a reason a client
 * developer can act on, and an optional `cause`. Handlers throw it; `createApp` turns it into
 * the response in one place (CONVENTIONS.md, habit 6).
 */

/** An error that becomes an HTTP response with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be 4xx or 5xx, got ${status}`);
    }
    this.status = status;
    this.code = code;
  }
}

/** Type guard for `HttpError`. */
export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}
