/**
 * A small benchmark harness: each case runs for a fixed time after a warm-up, in several
 * rounds, and reports the median ops/s. A case is always paired with a baseline measured in
 * the same process and run, so the figure that matters (case ÷ baseline) does not depend on
 * how fast this machine happens to be today.
 */
import { performance } from 'node:perf_hooks';

/** One measured function. */
export interface BenchFn {
  readonly name: string;
  readonly fn: () => unknown;
}

/** A case and the baseline it is judged against. */
export interface BenchPair {
  readonly name: string;
  readonly subject: BenchFn;
  readonly baseline: BenchFn;
  /** What the ratio means, for the report. */
  readonly note: string;
}

/** The measured outcome of a pair. */
export interface BenchResult {
  readonly name: string;
  readonly subject: string;
  readonly baseline: string;
  readonly subjectOpsPerSec: number;
  readonly baselineOpsPerSec: number;
  /** subject ÷ baseline ops/s (1.0 = no overhead over the raw primitives). */
  readonly ratio: number;
  readonly note: string;
}

export interface BenchOptions {
  readonly roundMs: number;
  readonly rounds: number;
}

let sink: unknown;

function opsPerSec(fn: () => unknown, ms: number): number {
  // Calibrate a batch size so the clock is read rarely relative to the work.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    if (performance.now() - t0 > 5 || batch > 1 << 20) break;
    batch *= 2;
  }
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Measures each pair, interleaving subject and baseline rounds so drift hits both alike. */
export function runPairs(pairs: readonly BenchPair[], options: BenchOptions): BenchResult[] {
  const results: BenchResult[] = [];
  for (const pair of pairs) {
    opsPerSec(pair.subject.fn, options.roundMs / 2);
    opsPerSec(pair.baseline.fn, options.roundMs / 2);
    const s: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      s.push(opsPerSec(pair.subject.fn, options.roundMs));
      b.push(opsPerSec(pair.baseline.fn, options.roundMs));
    }
    const subjectOpsPerSec = median(s);
    const baselineOpsPerSec = median(b);
    results.push({
      name: pair.name,
      subject: pair.subject.name,
      baseline: pair.baseline.name,
      subjectOpsPerSec,
      baselineOpsPerSec,
      ratio: subjectOpsPerSec / baselineOpsPerSec,
      note: pair.note,
    });
  }
  if (sink === Symbol.for('never')) throw new Error('unreachable');
  return results;
}

/** Renders results as an aligned table. */
export function formatTable(results: readonly BenchResult[]): string {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.subjectOpsPerSec)}/s`,
    `${fmt(r.baselineOpsPerSec)}/s`,
    `${r.ratio.toFixed(2)}×`,
    r.note,
  ]);
  const header = ['case', 'ops/s', 'baseline ops/s', 'ratio', 'baseline'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One measured function that may return a promise (libsignal's API is asynchronous). */
export interface AsyncBenchFn {
  readonly name: string;
  readonly fn: () => unknown;
}

/** A pair whose functions may be asynchronous; each call is awaited before the next. */
export interface AsyncBenchPair {
  readonly name: string;
  readonly subject: AsyncBenchFn;
  readonly baseline: AsyncBenchFn;
  readonly note: string;
}

async function opsPerSecAsync(fn: () => unknown, ms: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    // Awaiting a plain value costs a microtask (well under a microsecond), so synchronous
    // subjects measured here are comparable with the asynchronous baselines.
    for (let i = 0; i < 8; i++) sink = await fn();
    ops += 8;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Like `runPairs`, for pairs where either side returns a promise. */
export async function runPairsAsync(
  pairs: readonly AsyncBenchPair[],
  options: BenchOptions,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const pair of pairs) {
    await opsPerSecAsync(pair.subject.fn, options.roundMs / 2);
    await opsPerSecAsync(pair.baseline.fn, options.roundMs / 2);
    const s: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      s.push(await opsPerSecAsync(pair.subject.fn, options.roundMs));
      b.push(await opsPerSecAsync(pair.baseline.fn, options.roundMs));
    }
    const subjectOpsPerSec = median(s);
    const baselineOpsPerSec = median(b);
    results.push({
      name: pair.name,
      subject: pair.subject.name,
      baseline: pair.baseline.name,
      subjectOpsPerSec,
      baselineOpsPerSec,
      ratio: subjectOpsPerSec / baselineOpsPerSec,
      note: pair.note,
    });
  }
  return results;
}
