// Every read of a planned pipeline, nested aggregates' included: what the
// runner watches to know when a plan is out of date, what the operator graph
// draws edges from, what tests compare.

import type { Op, Read } from "./ir.js";

/** Every read of a pipeline, in nested aggregates too, outermost first. */
export function readsOf(ops: readonly Op[], out: Read[] = []): Read[] {
  for (const op of ops) {
    if (op.kind === "scan" || op.kind === "probe") out.push(op);
    else if (op.kind === "aggregate") {
      readsOf(op.body, out);
      if (op.witnesses) readsOf(op.witnesses.body, out);
    }
  }
  return out;
}
