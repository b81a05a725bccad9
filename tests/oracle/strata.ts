// Checks that a checked program's strata are a valid evaluation order before the
// oracle trusts them: every rule in exactly one stratum (its head's), reading
// positively from no later stratum, and negating or aggregating only earlier ones.

import type { CheckedProgram, MLiteral, MTerm } from "../../lang/model.js";
import { OracleError } from "./values.js";
import { literalArgs, operands } from "./vars.js";

/** Relations a literal reads, split by whether they must be complete (negation, aggregates). */
function reads(lit: MLiteral, complete: boolean, out: { positive: Set<string>; complete: Set<string> }): void {
  const term = (t: MTerm, inAgg: boolean): void => {
    if (t.kind !== "aggregate") for (const s of operands(t)) term(s, inAgg);
    else {
      if (t.target) term(t.target, true);
      for (const l of t.body) reads(l, true, out);
    }
  };
  if (lit.kind === "atom") (complete ? out.complete : out.positive).add(lit.relation);
  else if (lit.kind === "negation") out.complete.add(lit.atom.relation);
  for (const a of literalArgs(lit)) term(a, complete);
}

export function checkStrata(program: CheckedProgram): void {
  const stratumOf = new Map<string, number>();
  program.strata.forEach((s, i) => {
    for (const r of s.relations) {
      if (stratumOf.has(r)) throw new OracleError(`relation ${r} is in two strata`);
      stratumOf.set(r, i);
    }
  });
  const seen = new Set<number>();
  program.strata.forEach((s, i) => {
    for (const id of s.rules) {
      const rule = program.rules[id];
      if (!rule || rule.id !== id) throw new OracleError(`stratum ${i} names rule ${id}, which is not rules[${id}]`);
      if (seen.has(id)) throw new OracleError(`rule ${id} is in two strata`);
      seen.add(id);
      if (stratumOf.get(rule.head.relation) !== i) throw new OracleError(`rule ${id} defines ${rule.head.relation} outside its stratum`);
      const r = { positive: new Set<string>(), complete: new Set<string>() };
      for (const l of rule.body) reads(l, false, r);
      for (const a of rule.head.args) reads({ kind: "compare", op: "=", type: a.type, left: a, right: a, span: a.span }, false, r);
      for (const rel of r.positive) {
        if ((stratumOf.get(rel) ?? -1) > i) throw new OracleError(`rule ${id} reads ${rel} before its stratum`);
      }
      for (const rel of r.complete) {
        if ((stratumOf.get(rel) ?? -1) >= i) throw new OracleError(`rule ${id} negates or aggregates ${rel}, which is not complete yet`);
      }
    }
  });
  program.rules.forEach((r) => {
    if (!seen.has(r.id)) throw new OracleError(`rule ${r.id} (defining ${r.head.relation}) is in no stratum`);
  });
}
