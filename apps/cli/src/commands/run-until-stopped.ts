/**
 * What `seed run` and `node run` share: keep a started daemon until the CLI's stop signal
 * (SIGTERM or SIGINT, wired in main.ts) and then stop it, so the dispatcher can print the ready
 * line and wait for the daemon to end.
 */

/** Something that can be stopped. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** Settles after `signal` aborts and `daemon` has stopped. */
export function runUntilStopped(daemon: Stoppable, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  }).then(() => daemon.stop());
}
