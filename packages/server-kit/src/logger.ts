/**
 * The injected logger: structured JSON lines, one per event, quiet on success
 * (CONVENTIONS.md, habit 15). Byte arrays are never written, only their length, so a careless
 * field cannot leak key material or message data; long hex strings are shortened the same way.
 */
import type { Clock } from '@session-ts/core';

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured context of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A logger. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options of `createJsonLogger`. */
export interface JsonLoggerOptions {
  /** Receives each line, newline included. */
  readonly write: (line: string) => void;
  readonly clock: Clock;
  /** Lines below this level are dropped (default `info`). */
  readonly level?: LogLevel;
}

/** Hex of keys or hashes is cut to this many characters in logs. */
const MAX_HEX_IN_LOGS = 16;

function scrub(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (typeof value === 'string' && value.length > 32 && /^[0-9a-f]+$/i.test(value)) {
    return `${value.slice(0, MAX_HEX_IN_LOGS)}…`;
  }
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
    return out;
  }
  return value;
}

/** A logger writing one JSON object per line: `{time, level, msg, ...fields}`. */
export function createJsonLogger(options: JsonLoggerOptions, base: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = {
      time: new Date(options.clock.now()).toISOString(),
      level,
      msg: message,
      ...(scrub({ ...base, ...fields }) as Record<string, unknown>),
    };
    options.write(JSON.stringify(line) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createJsonLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything (for tests that do not look at logs). */
export function createSilentLogger(): Logger {
  const self: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => self,
  };
  return self;
}
