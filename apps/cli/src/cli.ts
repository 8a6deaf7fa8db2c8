/**
 * The session-cli dispatcher: picks the command from the leading words of argv, parses its
 * options strictly, runs it, and prints one JSON object (`--json`) or human text. It never
 * calls `process.exit` and reads nothing ambient, so tests run it in-process; `main.ts` wires it
 * to the real process. Start-up is kept cheap: the command's module is imported only once argv
 * selected it, and `--help` loads none (command.ts).
 */
import { parseArgs } from 'node:util';
import type { Rng } from '@session-ts/core';
import { CliError, EXIT, toCliError } from './cli-error.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './command-table.ts';
import { createProgress } from './progress.ts';

/** Where the CLI writes, and what it is given. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * The system randomness, or how to build it: main.ts passes a function so that core (and its
   * sodium) is loaded only by commands that run, not by `--help` or a usage error.
   */
  readonly rng: Rng | (() => Promise<Rng>);
  /** The environment (default: empty). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborted to stop long-running commands (main.ts wires it to SIGTERM and SIGINT). */
  readonly signal?: AbortSignal;
  /** stderr is a terminal: long operations show their progress there (default: false). */
  readonly terminal?: boolean;
}

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function findCommand(args: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    const matches = c.path.every((word, i) => args[i] === word);
    if (matches && (best === undefined || c.path.length > best.path.length)) best = c;
  }
  return best === undefined ? undefined : { command: best, rest: args.slice(best.path.length) };
}

/** The `--help` text. */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  session-cli ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    'session-cli: the session-ts command-line client',
    '',
    'Usage:',
    ...lines,
    '',
    'Every command takes --json (one JSON object on stdout). Exit codes: 0 ok, 2 bad input, 1 failure.',
  ].join('\n');
}

/** Runs session-cli with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const progress = createProgress(io.stderr, io.terminal === true && !json);
  // Anything written clears the progress line first, so it never runs into output.
  const stdout = (text: string): void => {
    progress.clear();
    io.stdout(text);
  };
  const stderr = (text: string): void => {
    progress.clear();
    io.stderr(text);
  };
  try {
    const found = findCommand(argv);
    if (found === undefined) {
      if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
        io.stdout(helpText() + '\n');
        return argv.length === 0 ? EXIT.badInput : EXIT.ok;
      }
      const words = argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ');
      throw new CliError('bad-input', `unknown command '${words}' (see session-cli --help)`);
    }
    const { command, rest } = found;
    const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (flags.includes('--help') || flags.includes('-h')) {
      io.stdout(`Usage: session-cli ${command.usage}\n${command.summary}\n`);
      return EXIT.ok;
    }
    const impl = await command.load();
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...impl.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new CliError('bad-input', `${command.path.join(' ')}: ${reason}`, { cause });
    }
    const [min, max] = impl.positionals;
    const n = parsed.positionals.length;
    if (n < min || n > max) {
      throw new CliError('bad-input', `usage: session-cli ${command.usage}`);
    }
    const result = await impl.run({
      positionals: parsed.positionals,
      options: parsed.values,
      rng: typeof io.rng === 'function' ? await io.rng() : io.rng,
      env: io.env ?? {},
      signal: io.signal ?? new AbortController().signal,
      log: stderr,
      print: stdout,
      json,
      progress: (step) => progress.step(step),
    });
    stdout((json ? JSON.stringify(result.json) : result.text) + '\n');
    await result.running;
    return EXIT.ok;
  } catch (error) {
    const e = await toCliError(error);
    const oneLine = e.message.replace(/\s*\n\s*/g, ' ');
    stderr(
      (json ? JSON.stringify({ error: e.code, message: oneLine }) : `session-cli: ${oneLine}`) +
        '\n',
    );
    return e.exitCode;
  }
}
