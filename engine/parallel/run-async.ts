// ProgramRunner.runAsync() with workers: strata run in order, each starting on
// the calling thread; one still running after a while (policy.ts) goes to the
// parallel executor, which starts the worker threads then. Most programs are
// done before that, and never pay for threads.

import type { ProgramRunner } from "../eval/program-runner.js";
import type { ParallelExecutor } from "./executor.js";
import { envAfterMs, envThreshold, PARALLEL_AFTER_MS } from "./policy.js";

export async function runParallel(runner: ProgramRunner): Promise<void> {
  const { workers = 1, parallelThreshold, parallelAfterMs } = runner.options;
  const patience = parallelAfterMs ?? envAfterMs() ?? ((parallelThreshold ?? envThreshold()) === 0 ? 0 : PARALLEL_AFTER_MS);
  for (const s of runner.stages()) {
    if (runner.iterate(s.plan, s.report, patience)) continue;
    // Loaded only now: a run whose strata all end early never loads the parallel machinery.
    const { ParallelExecutor } = await import("./executor.js");
    runner.parallel ??= new ParallelExecutor(runner, workers, parallelThreshold);
    await (runner.parallel as ParallelExecutor).iterate(s);
  }
}
