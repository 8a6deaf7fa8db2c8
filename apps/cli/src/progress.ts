/**
 * Progress of long operations (network round trips through onion paths take seconds): on a
 * terminal, one status line on stderr that each step replaces and that is cleared before any
 * output; nothing at all with `--json` or when stderr is not a terminal (a pipe, a log file, a
 * test), so machine-read output stays exactly the result.
 */

/** A progress line. */
export interface Progress {
  /** Shows `step` ("fetching the device group") as the current step. */
  step(step: string): void;
  /** Removes the line (before output, and when the command ends). */
  clear(): void;
}

/** Erase the current line and return the cursor to its start (ECMA-48 CR + EL 2). */
const CLEAR_LINE = '\r\x1b[2K';

/** The progress line over `write` (stderr); silent unless `enabled`. */
export function createProgress(write: (text: string) => void, enabled: boolean): Progress {
  let shown = false;
  return {
    step(step) {
      if (!enabled) return;
      write(`${CLEAR_LINE}… ${step}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      write(CLEAR_LINE);
      shown = false;
    },
  };
}
