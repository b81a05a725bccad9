// A worker's rows of a relation, taken out of the shared relation itself (in
// parallel, not by the coordinator): the live rows below the delta's end
// whose split column hashes to the worker (all of them, for a replicated
// relation), copied out, with where each was and how many were before the delta.

import type { RelationView } from "./messages.js";
import { ownerOfCell } from "./partition.js";

export interface Taken {
  readonly rows: Int32Array;
  /** Where each row is in the shared relation. */
  readonly places: Int32Array;
  /** How many of them are older than the delta. */
  readonly stable: number;
}

/** Rows of `view` for `worker` of `workers` by `column` (-1: every row). */
export function take(view: RelationView, column: number, worker: number, workers: number): Taken {
  const a = view.arity;
  const data = view.data;
  const at: number[] = [];
  let stable = 0;
  for (let r = 0; r < view.deltaEnd; r++) {
    if (view.lattice && view.dead[r] !== 0) continue;
    if (column >= 0 && ownerOfCell(data[r * a + column]!, workers) !== worker) continue;
    at.push(r);
    if (r < view.stableEnd) stable++;
  }
  const rows = new Int32Array(at.length * a);
  for (let j = 0, k = 0; j < at.length; j++) for (let c = 0, b = at[j]! * a; c < a; c++) rows[k++] = data[b + c]!;
  return { rows, places: Int32Array.from(at), stable };
}
