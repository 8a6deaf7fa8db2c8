/**
 * `session-cli receive [--follow] [--interval MS]`: polls the account's swarm (device group, then
 * messages; docs/sdk.md "Receiving") and runs the schedules (`tick`: queued sends, key
 * rotations, expiries). Each event is printed as it happens — with `--json` one JSON line
 * (`{"event": "message", "path": "pfs", ...}`) — and the last line is the summary
 * (`{"event": "done", "handled", "undecryptable"}`). `--follow` keeps polling until SIGINT
 * (a failed poll is reported on stderr and retried at the next interval).
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';
import { printEvents } from '../event-printer.ts';

/** Time between polls with --follow: prompt enough for a chat on a local network. */
const DEFAULT_INTERVAL_MS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const receive: CommandImpl = {
  options: { ...CLIENT_OPTIONS, follow: { type: 'boolean' }, interval: { type: 'string' } },
  positionals: [0, 0],
  run: (ctx) => {
    const raw = ctx.options['interval'];
    const interval = typeof raw === 'string' ? Number(raw) : DEFAULT_INTERVAL_MS;
    if (!Number.isSafeInteger(interval) || interval < 100) {
      throw new CliError(
        'bad-input',
        `--interval: expected milliseconds ≥ 100, got "${String(raw)}"`,
      );
    }
    return withClient(ctx, { network: true }, async ({ client }) => {
      const off = printEvents(client, ctx);
      let handled = 0;
      let undecryptable = 0;
      try {
        const follow = ctx.options['follow'] === true;
        do {
          try {
            ctx.progress('fetching new messages');
            const s = await client.poll();
            await client.tick();
            handled += s.handled;
            undecryptable += s.undecryptable;
          } catch (error) {
            // One poll failing is network weather when following: say so and poll again.
            if (!follow) throw error;
            const reason = error instanceof Error ? error.message : String(error);
            ctx.log(`session-cli: receive: ${reason.split('\n')[0] ?? ''} (retrying)\n`);
          }
          if (follow) {
            ctx.progress('waiting for new messages (Ctrl-C stops)');
            await sleep(interval, ctx.signal);
          }
        } while (follow && !ctx.signal.aborted);
      } finally {
        off();
      }
      return {
        json: { event: 'done', handled, undecryptable },
        text:
          handled === 0 && undecryptable === 0
            ? 'nothing new'
            : `${handled} new${undecryptable > 0 ? `, ${undecryptable} undecryptable` : ''}`,
      };
    });
  },
};
