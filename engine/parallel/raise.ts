// Turns a worker's failure report back into the error a single-threaded run
// throws: an EvaluationError located at the rule that failed, or the
// GrowthLimitError or MemoryLimitError of the relation that kept growing.

import type { Rule } from "../../lang/model.js";
import { EvaluationError } from "../eval/functors.js";
import { GrowthLimitError } from "../storage/relation.js";
import { MemoryLimitError } from "../storage/memory-budget.js";
import type { TaskError } from "./messages.js";
import { WorkerError } from "./worker-error.js";

export function raise(e: TaskError, ruleAt: (at: number) => Rule | undefined): never {
  switch (e.kind) {
    case "evaluation":
      throw new EvaluationError(e.message, e.at === undefined ? undefined : ruleAt(e.at)?.span);
    case "growth":
      throw new GrowthLimitError(e.relation ?? "?", e.rows ?? 0);
    case "memory":
      throw new MemoryLimitError(e.relation, e.rows ?? 0, e.reason ?? e.message);
    case "internal":
      throw new WorkerError(`a worker thread failed: ${e.message}`);
  }
}
