/**
 * The shape every session-cli command has: a path of words (`keys new`), its options in
 * `node:util` parseArgs form, and a `run` that returns a result. The dispatcher prints the
 * result as one JSON object with `--json`, or as the human text the command renders.
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
}

/** What a command returns: the JSON object, and how to show it to a person. */
export interface CommandResult {
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/** One command. */
export interface Command {
  /** The words that select it, e.g. `['keys', 'new']`. */
  readonly path: readonly string[];
  /** One-line usage after `session-cli`. */
  readonly usage: string;
  /** One-line description. */
  readonly summary: string;
  readonly options: OptionSpec;
  /** How many positionals it takes: [min, max]. */
  readonly positionals: readonly [number, number];
  run(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}
