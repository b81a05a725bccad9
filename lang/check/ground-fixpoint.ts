// Which variables a scope's literals ground: those of positive atoms, then,
// to a fixpoint, those equated to a grounded term. Scoping, witnesses and the
// grounding check all ask it.

import type { Aggregate, Literal, Term, Variable } from "../ast.js";
import { subterms } from "./ast-terms.js";

/** The variables (model names) grounded by `literals`, starting from `initial`. */
export function groundFixpoint(
  literals: readonly Literal[],
  nameOf: (v: Variable) => string | undefined,
  initial: ReadonlySet<string>,
  aggregateGrounded: (a: Aggregate) => boolean,
): Set<string> {
  const g = new Set(initial);
  const grounded = (t: Term): boolean => {
    switch (t.kind) {
      case "number":
      case "string":
      case "nil":
        return true;
      case "var": {
        const n = nameOf(t);
        return n !== undefined && g.has(n);
      }
      case "wildcard":
        return false;
      case "aggregate":
        return aggregateGrounded(t);
      default:
        return subterms(t).every(grounded);
    }
  };
  // Binds a variable, possibly under casts; true when something changed.
  const bind = (t: Term): boolean => {
    if (t.kind === "cast") return bind(t.term);
    // A record or branch pattern binds its fields.
    if (t.kind === "record" || t.kind === "adt") return t.args.map(bind).some((b) => b);
    if (t.kind !== "var") return false;
    const n = nameOf(t);
    if (n === undefined || g.has(n)) return false;
    g.add(n);
    return true;
  };
  for (const l of literals) if (l.kind === "atom") l.args.forEach(bind);
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of literals) {
      if (l.kind !== "compare" || l.op !== "=") continue;
      if (grounded(l.right) && bind(l.left)) changed = true;
      if (grounded(l.left) && bind(l.right)) changed = true;
    }
  }
  return g;
}
