// When evaluation goes to worker threads, and how many: `-j N` (1 to
// MAX_JOBS), `-j auto` (the cores this process may use), the CAIRN_WORKERS
// default for databases, and the delta size below which a round stays on one
// thread.
//
// The threshold was measured with `node bench/parallel-threshold.mjs`: for
// transitive closure and shortest paths over graphs of growing size, -j 2
// stops losing to -j 1 once a round's delta reaches a few thousand rows (below
// that, a task's round trip and the split and merge cost more than the work).

import { availableParallelism } from "node:os";

/** Delta rows (summed over the stratum's relations) below which a round runs on the calling thread. */
export const DEFAULT_THRESHOLD = 4096;

/**
 * A stratum runs this long on the calling thread before the threads are even
 * started: most programs are done by then, and never pay for them. Past it,
 * the threads boot (while rounds go on here), and a round with at least
 * MIN_DELTA delta rows goes to them.
 */
export const PARALLEL_AFTER_MS = 100;
export const MIN_DELTA = 64;

/**
 * Handing a stratum to the workers costs in proportion to its relations'
 * size (each worker takes its rows and indexes them): only while a round's
 * delta is at least 1/GROWTH of them, so that much work likely remains. (A
 * long chain of small deltas, as transitive closure over a path, never
 * qualifies: measured, handing it off late loses.)
 */
export const GROWTH = 4;

/**
 * The ways of using the workers tried by default. Co-partitioned strata
 * ("local") pay off; exchanging deltas between workers ("exchange") and
 * parallel rounds with a serial merge ("round") are correct (the tests run
 * them) but measured slower than one thread on this machine (see
 * engine/parallel/README.md), so they are opt-in: CAIRN_PARALLEL_MODES.
 */
export const DEFAULT_MODES = ["local"];

/** How long a stratum keeps running on this thread while the worker threads boot, before it waits for them. */
export const BOOT_WAIT_MS = 1000;

/** The most worker threads `-j` and the workers option take. */
export const MAX_JOBS = 1024;

/** The cores this process may use. */
export function availableCores(): number {
  return Math.max(1, availableParallelism());
}

/** The number of worker threads `spec` asks for: an integer from 1 to MAX_JOBS, or "auto" for the available cores. */
export function parseJobs(spec: string | number): number | undefined {
  if (spec === "auto") return availableCores();
  const n = typeof spec === "number" ? spec : /^\d+$/.test(spec) ? Number(spec) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_JOBS ? n : undefined;
}

/** The default worker count for databases: CAIRN_WORKERS (a number or "auto"), else 1. */
export function envWorkers(): number {
  const v = process.env.CAIRN_WORKERS;
  return v ? (parseJobs(v) ?? 1) : 1;
}

/** How long a stratum runs on one thread before threads are considered, if CAIRN_PARALLEL_AFTER_MS says (for measurements). */
export function envAfterMs(): number | undefined {
  const v = process.env.CAIRN_PARALLEL_AFTER_MS;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The threshold, unless CAIRN_PARALLEL_THRESHOLD overrides it (0 sends every eligible round to the workers, as the tests do). */
export function envThreshold(): number | undefined {
  const v = process.env.CAIRN_PARALLEL_THRESHOLD;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** With CAIRN_PARALLEL_TRACE set, one line per parallel step on stderr (for measuring). */
export function trace(line: () => string): void {
  if (process.env.CAIRN_PARALLEL_TRACE) process.stderr.write(`[parallel] ${line()}\n`);
}
