// Keeping a frozen relation frozen from upstream: an insert into a relation
// that rules carry on into a frozen one is rejected at insert() when the run
// after it would change the frozen relation, so the database never reaches a
// state in which every run() throws. Whether it would is found exactly, by
// evaluating on a copy: the runner's state is copied into a fresh runner
// through the state file's format (engine/state/runner-state.ts, in memory),
// the insert is applied there and the copy runs to its fixpoint with the same
// relations frozen. The copy costs time and memory in proportion to the
// database, and is made only for an insert that adds something to a relation
// upstream of a frozen one. A retraction that takes facts back from a
// relation a frozen one depends on is judged the same way: taken back on the
// copy, which then runs with the frozen relations frozen. A frozen relation
// whose stratum that run recomputes must come out of it as it was
// (ProgramRunner.stages), so only a change to its contents is refused.

import type { CheckedProgram } from "../../lang/model.js";
import { ProgramRunner, type RunnerOptions } from "../eval/program-runner.js";
import { restoreState, stateBytes } from "../state/runner-state.js";
import { StateReader } from "../state/state-file.js";
import { FrozenRelationError } from "../storage/relation.js";
import { keepingBounds } from "./bounds.js";

/** Rows for one relation: `count` rows of its arity, end to end. */
export interface RowBatch {
  readonly relation: string;
  readonly cells: Int32Array;
  readonly count: number;
}

/** The first of `frozen` that the run after adding `batches` would change; undefined when none would. */
export function frozenChangedBy(
  program: CheckedProgram,
  runner: ProgramRunner,
  options: RunnerOptions,
  frozen: readonly string[],
  batches: readonly RowBatch[],
): string | undefined {
  return frozenChangedOnCopy(program, runner, options, frozen, (copy) => {
    for (const { relation, cells, count } of batches) {
      const target = copy.relation(relation);
      const arity = target.arity;
      for (let i = 0; i < count; i++) {
        target.tmp.set(cells.subarray(i * arity, (i + 1) * arity));
        target.addBase();
      }
    }
  });
}

/**
 * The first of `frozen` that the run after `change` (applied to a copy of
 * `runner`, the frozen relations already frozen there) would change;
 * undefined when none would.
 */
export function frozenChangedOnCopy(
  program: CheckedProgram,
  runner: ProgramRunner,
  options: RunnerOptions,
  frozen: readonly string[],
  change: (copy: ProgramRunner) => void,
): string | undefined {
  const identity = { program: "copy", engine: "copy" };
  const copy = new ProgramRunner(program, { ...options, workers: 1, profile: undefined });
  const bytes = keepingBounds(runner, () => stateBytes(runner, identity));
  const restored = restoreState(StateReader.of(bytes), copy, identity);
  if (!restored.ok) throw new Error(`internal: a copy of the database could not be made (${restored.reason})`);
  for (const name of frozen) copy.relation(name).frozen = true;
  change(copy);
  try {
    copy.run();
  } catch (e) {
    if (e instanceof FrozenRelationError) return e.relation;
    // Any other failure is the real run's to report.
  }
  return undefined;
}

/** An insert into `inserted` (relations, comma-separated, for a load) rejected because the run after it would change the frozen relation `relation`. */
export class FrozenUpstreamError extends FrozenRelationError {
  constructor(
    relation: string,
    readonly inserted: string,
  ) {
    super(relation);
    this.message = `inserting these facts into "${inserted}" would change relation "${relation}", which is frozen; nothing was inserted`;
  }
}

/** A retraction from `retracted` refused because the run after it would change the frozen relation `relation`. */
export class FrozenRetractError extends FrozenRelationError {
  constructor(
    relation: string,
    readonly retracted: string,
  ) {
    super(relation);
    this.message = `retracting these facts from "${retracted}" would change relation "${relation}", which is frozen; nothing was retracted`;
  }
}
