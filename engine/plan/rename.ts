// Rewrites of a plan that keep its shape: the parallel round mode runs a
// version over slices of its delta by reading the delta atom from a relation
// of its own (an alias the worker binds to the slice).

import type { Op, RulePlan } from "./ir.js";

/** The plan with the top-level read of body atom `atom` reading `relation` instead. */
export function readingAlias(plan: RulePlan, atom: number, relation: string): RulePlan {
  const ops = plan.ops.map((op): Op => ((op.kind === "scan" || op.kind === "probe") && op.atom === atom ? { ...op, relation } : op));
  return { ...plan, ops };
}
