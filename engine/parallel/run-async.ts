// A run with workers: strata run in order, each starting on the calling
// thread; one still running after a while (policy.ts) goes to the parallel
// executor, which starts the worker threads then. Most programs are done
// before that, and never pay for threads. A runner's executor (its pool and
// what it learnt of the strata) is kept for its later runs.

import type { ProgramRunner } from "../eval/program-runner.js";
import type { ParallelExecutor } from "./executor.js";
import { envAfterMs, envThreshold, PARALLEL_AFTER_MS } from "./policy.js";

const executors = new WeakMap<ProgramRunner, ParallelExecutor>();

/** Runs every stratum to its fixpoint, on worker threads when the runner's workers option asks for more than one. */
export async function runParallel(runner: ProgramRunner): Promise<void> {
  if ((runner.options.workers ?? 1) <= 1) return runner.run();
  const { workers = 1, parallelThreshold, parallelAfterMs } = runner.options;
  const patience = parallelAfterMs ?? envAfterMs() ?? ((parallelThreshold ?? envThreshold()) === 0 ? 0 : PARALLEL_AFTER_MS);
  for (const s of runner.stages()) {
    if (runner.iterate(s.plan, s.report, patience)) continue;
    // Loaded only now: a run whose strata all end early never loads the parallel machinery.
    const { ParallelExecutor } = await import("./executor.js");
    let executor = executors.get(runner);
    if (!executor) executors.set(runner, (executor = new ParallelExecutor(runner, workers, parallelThreshold)));
    await executor.iterate(s);
  }
}
