/**
 * The logger the network layer writes to: the subset of `@session-ts/server-kit`'s `Logger` it
 * uses (net may not import server-kit), so a server-kit logger can be passed as is. Quiet on
 * success; `warn` for network weather (a dead node, a dropped path); never keys or payloads,
 * and node keys only shortened (CONVENTIONS.md, habits 8 and 15).
 */

/** Structured fields of a log line. */
export type NetLogFields = Readonly<Record<string, unknown>>;

/** A logger. */
export interface NetLogger {
  debug(message: string, fields?: NetLogFields): void;
  info(message: string, fields?: NetLogFields): void;
  warn(message: string, fields?: NetLogFields): void;
  error(message: string, fields?: NetLogFields): void;
}

/** A logger that drops everything. */
export const SILENT_LOGGER: NetLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A node key shortened for logs (the first 8 hex characters). */
export function shortKey(hex: string): string {
  return hex.length > 8 ? `${hex.slice(0, 8)}…` : hex;
}
