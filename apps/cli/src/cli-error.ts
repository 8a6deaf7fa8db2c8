/**
 * The CLI's error class and exit codes: 0 success, 2 bad input (a usage error or input the
 * protocol rejects, such as an unknown recovery word), 1 any other failure. Every error leaves
 * as one line on stderr.
 */
/** Exit codes of session-cli. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** What went wrong, as the caller should treat it. */
export type CliErrorCode = 'bad-input' | 'failure';

/** An error that ends a command with a one-line reason. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get exitCode(): number {
    return this.code === 'bad-input' ? EXIT.badInput : EXIT.failure;
  }
}

/** Maps anything thrown by a command to a `CliError`; protocol input errors are bad input. */
export async function toCliError(error: unknown): Promise<CliError> {
  if (error instanceof CliError) return error;
  // Imported here, not at the top: a usage error (a CliError) must not pay for loading core,
  // and any other error comes from a command that has loaded it already.
  const { isProtocolError } = await import('@session-ts/core');
  if (isProtocolError(error)) return new CliError('bad-input', error.message, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('failure', message, { cause: error });
}
