// A failure of a run itself as a located diagnostic: an evaluation error at its
// rule, a relation past the growth limit or the memory budget at its
// declaration, anything else (a worker thread that failed) without a place.
// The command line (cli/main.ts) and the playground's worker
// (playground/worker.ts) show them alike; only the note saying what sets the
// bound is theirs.

import { type Diagnostic, error } from "../../lang/diagnostics.js";
import type { CheckedProgram } from "../../lang/model.js";
import { MemoryLimitError } from "../storage/memory-budget.js";
import { GrowthLimitError } from "../storage/relation.js";
import { EvaluationError } from "./functors.js";

/** What sets each bound, where the run happened: the note under a relation that went past it. */
export interface BoundNotes {
  readonly memory: string;
  readonly growth: string;
}

export function runtimeDiagnostic(e: Error, checked: CheckedProgram, notes: BoundNotes): Diagnostic {
  const grown = e instanceof GrowthLimitError || e instanceof MemoryLimitError ? e.relation : undefined;
  const span = e instanceof EvaluationError ? e.span : grown === undefined ? undefined : checked.relations.get(grown)?.span;
  const note =
    e instanceof EvaluationError
      ? "while evaluating this rule"
      : `declared here; ${e instanceof MemoryLimitError ? notes.memory : notes.growth}`;
  return error("runtime", e.message, span, span ? [{ message: note }] : []);
}
