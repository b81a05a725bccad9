// `cairn run --state FILE` with a cluster: the coordinator keeps the state.
// It opens the state and reads the inputs as a run in one process does (new
// files only, facts the input lost retracted: engine/state/state-session.ts),
// then the cluster evaluates from the given facts, every relation that rules
// derive emptied back to them (the nodes start from nothing else, so what a
// retraction or a new fact under a negation took away is not carried over),
// every relation is collected into the coordinator's runner, and the run is
// recorded as completed there, so the state saved is the one a run in one
// process saves: a later run, on one process or a cluster, continues from it.

import type { ProgramRunner } from "../engine/eval/program-runner.js";

/** Empties every relation that keeps its given facts apart (those rules derive, and lattice inputs) back to them. */
export function fromGivenFacts(runner: ProgramRunner): void {
  for (const r of runner.relations.values()) if (r.recordBase) r.rebuild();
  // What was retracted is gone from the given facts: nothing is left to recompute incrementally.
  runner.retracted.clear();
  runner.losses.clear();
}

/** Records the cluster's run as completed in `runner`, which now holds every relation: each relation's size marks where the next run's new rows start. */
export function recordRun(runner: ProgramRunner): void {
  const p = runner.exportProgress();
  runner.importProgress({ runs: p.runs + 1, counter: p.counter, marks: [...runner.relations].map(([name, r]) => [name, r.size] as const) });
}
