/**
 * The shape every session-cli command has, in two parts: the entry in the command table (a path
 * of words such as `keys new`, its usage and summary, and how to load it) and the implementation
 * its module exports (its options in `node:util` parseArgs form, its positionals and a `run` that
 * returns a result). The table imports no command module: a module, and the packages it needs
 * (core's sodium, the SDK, the servers), is imported only when its command runs, so `--help`
 * and a `keys` command do not pay for loading the daemons. The dispatcher prints the result as
 * one JSON object with `--json`, or as the human text the command renders.
 */
import type { Rng } from '@session-ts/core';

/** Option definitions, as `node:util` parseArgs takes them. */
export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
>;

/** What a command receives. */
export interface CommandContext {
  /** Positional arguments after the command words. */
  readonly positionals: readonly string[];
  /** Parsed options (strings, booleans). */
  readonly options: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  /** The system randomness, built once by main.ts. */
  readonly rng: Rng;
  /** The environment (settings fall back to it), as main.ts passes it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the process is asked to stop (SIGTERM, SIGINT): long-running commands end. */
  readonly signal: AbortSignal;
  /** Where a long-running command writes its logs (stderr). */
  readonly log: (text: string) => void;
  /**
   * Writes to stdout before the result: for commands that report events as they happen
   * (`receive`), one JSON line per event with `--json`.
   */
  readonly print: (text: string) => void;
  /** `--json` was given: print JSON lines, no progress text. */
  readonly json: boolean;
  /**
   * Names the step a long operation is in ("sending"): a status line on a terminal, nothing
   * with `--json` or off a terminal (progress.ts).
   */
  readonly progress: (step: string) => void;
}

/** What a command returns: the JSON object, and how to show it to a person. */
export interface CommandResult {
  readonly json: Record<string, unknown>;
  readonly text: string;
  /**
   * For commands that keep running after their result (daemons): settles when they have
   * stopped. The dispatcher prints the result first (the "ready" line), then waits for it.
   */
  readonly running?: Promise<void>;
}

/** One command as the table lists it: enough to find it and describe it, nothing loaded. */
export interface Command {
  /** The words that select it, e.g. `['keys', 'new']`. */
  readonly path: readonly string[];
  /** One-line usage after `session-cli`. */
  readonly usage: string;
  /** One-line description. */
  readonly summary: string;
  /** Imports the command's module (on use only). */
  load(): Promise<CommandImpl>;
}

/** What a command module exports: its options and the code that runs it. */
export interface CommandImpl {
  readonly options: OptionSpec;
  /** How many positionals it takes: [min, max]. */
  readonly positionals: readonly [number, number];
  run(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}
