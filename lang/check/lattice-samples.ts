// Runs the compile-time law check of every user lattice whose Lub the checks can
// evaluate, with the constants the program stores in columns of its carrier
// type (facts, rule heads and body atoms) among the samples.

import type { Diagnostic } from "../diagnostics.js";
import type { MAtom, Rule, UserLattice } from "../model.js";
import type { Relations } from "./declarations.js";
import type { Value } from "./lattice-eval.js";
import { checkLatticeLaws } from "./lattice-laws.js";
import { opSpan, type LatticeInfo } from "./user-lattices.js";

/** The constants of columns of type `type` (a lattice's carrier, or that lattice) in the rules' atoms. */
function constantsOf(type: string, relations: Relations, rules: readonly Rule[]): Value[] {
  const out: Value[] = [];
  const visit = (a: MAtom) => {
    const cols = relations.get(a.relation)?.columns;
    if (cols?.length !== a.args.length) return;
    a.args.forEach((t, i) => {
      if (t.kind === "const" && cols[i]!.typeName === type && !out.includes(t.value)) out.push(t.value);
    });
  };
  for (const r of rules) {
    visit(r.head);
    for (const l of r.body) if (l.kind === "atom") visit(l);
  }
  return out;
}

export function checkProgramLaws(
  lattices: ReadonlyMap<string, UserLattice>,
  infos: ReadonlyMap<string, LatticeInfo>,
  relations: Relations,
  rules: readonly Rule[],
  diagnostics: Diagnostic[],
): void {
  for (const lattice of lattices.values()) {
    const span = opSpan(infos.get(lattice.name)!.decl, "Lub");
    if (span) checkLatticeLaws(lattice, span, constantsOf(lattice.name, relations, rules), diagnostics);
  }
}
