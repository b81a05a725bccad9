// The lattice rewrite suggested for a min or max aggregate in a recursive
// cycle: declare the aggregated column as min<T> or max<T> (moved last), and
// let the relation keep the best value per key instead of aggregating.

import type { AggregateFn } from "../ast.js";
import type { Note } from "../diagnostics.js";
import type { Rule } from "../model.js";
import type { Relations } from "./declarations.js";

/** The head column that receives the rule's aggregate (directly, or through `v = aggregate`), or -1. */
function aggregateColumn(rule: Rule): number {
  const bound = new Set<string>();
  for (const l of rule.body) {
    if (l.kind !== "compare" || l.op !== "=") continue;
    if (l.left.kind === "var" && l.right.kind === "aggregate") bound.add(l.left.name);
    if (l.right.kind === "var" && l.left.kind === "aggregate") bound.add(l.right.name);
  }
  return rule.head.args.findIndex((a) => a.kind === "aggregate" || (a.kind === "var" && bound.has(a.name)));
}

/** A note suggesting the lattice column that replaces a min/max aggregate in recursion, where one fits. */
export function aggregateHint(relations: Relations): (rule: Rule, fn: AggregateFn) => Note | undefined {
  return (rule, fn) => {
    if (fn !== "min" && fn !== "max") return undefined;
    const rel = relations.get(rule.head.relation);
    const k = aggregateColumn(rule);
    if (!rel || k < 0 || rel.columns.length !== rule.head.args.length || rel.columns.some((c) => c.lattice)) return undefined;
    const col = rel.columns[k]!;
    if (!col.base || col.base === "symbol") return undefined;
    const others = rel.columns.filter((_, i) => i !== k).map((c) => `${c.name}: ${c.display}`);
    const decl = `.decl ${rel.name}(${[...others, `${col.name}: ${fn}<${col.display}>`].join(", ")})`;
    const best = fn === "min" ? "least" : "greatest";
    return {
      message:
        `a lattice column keeps the ${best} value per key without an aggregate: declare "${decl}" ` +
        `and derive each candidate value of "${col.name}" in a rule of its own; the relation joins them with ${fn}`,
    };
  };
}
