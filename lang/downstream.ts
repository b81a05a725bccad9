// Which relations depend on a relation through the rules: every relation a
// rule derives from an atom it reads (positive, negated, inside an aggregate
// of its body or head), and so on down. Used by the database wherever a
// change to one relation may reach others: the guard of frozen relations
// (engine/api/freeze-guard.ts, database.ts), retraction (database.ts), and the
// threshold reads a change may withdraw (engine/api/threshold-reads.ts).

import type { CheckedProgram } from "./model.js";
import { visitRuleAtoms } from "./model-terms.js";

/** The relations rules derive from `relation`, directly or through others (`relation` itself only when it is recursive). */
export function downstreamOf(program: CheckedProgram, relation: string): Set<string> {
  const readers = new Map<string, Set<string>>();
  for (const rule of program.rules) {
    visitRuleAtoms(rule, (atom) => {
      if (atom === rule.head) return;
      let heads = readers.get(atom.relation);
      if (!heads) readers.set(atom.relation, (heads = new Set()));
      heads.add(rule.head.relation);
    });
  }
  const seen = new Set<string>();
  const stack = [relation];
  while (stack.length > 0) {
    for (const head of readers.get(stack.pop()!) ?? []) {
      if (seen.has(head)) continue;
      seen.add(head);
      stack.push(head);
    }
  }
  return seen;
}

/** `relation` and every relation downstream of it: whose contents a change to it may change. */
export function dependents(program: CheckedProgram, relation: string): Set<string> {
  return new Set([relation, ...downstreamOf(program, relation)]);
}
