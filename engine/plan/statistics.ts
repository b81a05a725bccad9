// What the planner knows of the data when it chooses a join order: how many
// rows each range of a relation holds, how many distinct values a set of its
// columns takes, and whether an index over those columns exists already.
// engine/eval/relation-statistics.ts answers from the live relations.

import type { Range } from "./ir.js";

export interface Statistics {
  /** Rows in the range of the relation a read covers (for a lattice relation, counting superseded rows). */
  rows(relation: string, range: Range): number;
  /** Distinct values of `columns` among the relation's rows (an estimate; at least 1 for a relation with rows). */
  distinct(relation: string, columns: readonly number[]): number;
  /** Whether a probe by `columns` finds its index built (otherwise planning it means building one). */
  indexed(relation: string, columns: readonly number[]): boolean;
}
