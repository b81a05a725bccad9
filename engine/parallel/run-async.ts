// ProgramRunner.runAsync() with workers: strata run in order, each starting on
// the calling thread; one still running after a while (policy.ts) goes to the
// parallel executor, which starts the worker threads then. Most programs are
// done before that, and never pay for threads.

import type { ProgramRunner, StratumPlan } from "../program-runner.js";
import type { ParallelExecutor } from "./executor.js";
import { envAfterMs, envThreshold, PARALLEL_AFTER_MS } from "./policy.js";

export async function runParallel(runner: ProgramRunner): Promise<void> {
  const { workers = 1, parallelThreshold, parallelAfterMs } = runner.options;
  const patience = parallelAfterMs ?? envAfterMs() ?? ((parallelThreshold ?? envThreshold()) === 0 ? 0 : PARALLEL_AFTER_MS);
  for (const s of runner.stages()) {
    if (iterateFor(runner, s.plan, s.report, patience)) continue;
    // Loaded only now: a run whose strata all end early never loads the parallel machinery.
    const { ParallelExecutor } = await import("./executor.js");
    runner.parallel ??= new ParallelExecutor(runner, workers, parallelThreshold);
    await (runner.parallel as ParallelExecutor).iterate(s);
  }
}

/** As ProgramRunner.iterate(), but gives up at a round's end once `ms` have passed; returns whether the fixpoint was reached. */
function iterateFor(runner: ProgramRunner, plan: StratumPlan, report: (round: number) => void, ms: number): boolean {
  const rels = plan.relations;
  const start = performance.now();
  if (plan.step.length > 0) {
    for (let round = 1; rels.some((r) => r.deltaEnd > r.stableEnd); round++) {
      if (performance.now() - start >= ms) return false;
      for (const v of plan.step) runner.runVersion(v);
      for (const r of rels) {
        r.syncIndexes();
        r.stableEnd = r.deltaEnd;
        r.deltaEnd = r.size;
      }
      report(round);
    }
  }
  for (const r of rels) r.settle();
  return true;
}
