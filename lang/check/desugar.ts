// Desugaring: a clause becomes one rule per (head, disjunct) pair, a fact a
// rule with an empty body; eqrel relations get their closure rules
// (reflexive over the elements that occur, symmetric, transitive).

import type { Atom, Clause, Literal, PlanEntry } from "../ast.js";
import type { MAtom, MLiteral, MTerm, RelationInfo, Rule } from "../model.js";
import type { Span } from "../span.js";

export interface RuleDraft {
  /** Index of the clause it comes from: rules of one clause are checked together for single-use variables. */
  readonly clause: number;
  readonly head: Atom;
  readonly body: readonly Literal[];
  readonly span: Span;
  /** Written without a body. */
  readonly fact: boolean;
  /** The clause's `.plan`, and how many bodies its `;` gives. */
  readonly plan?: readonly PlanEntry[];
  readonly disjuncts: number;
}

export function desugar(clauses: readonly Clause[]): RuleDraft[] {
  const out: RuleDraft[] = [];
  clauses.forEach((c, clause) => {
    const disjuncts = c.body === undefined ? [[]] : c.body;
    for (const head of c.heads) {
      for (const body of disjuncts) {
        out.push({
          clause,
          head,
          body,
          span: c.span,
          fact: c.body === undefined,
          ...(c.plan ? { plan: c.plan } : {}),
          disjuncts: disjuncts.length,
        });
      }
    }
  });
  return out;
}

/** The closure rules of an eqrel relation, numbered from `firstId`. */
export function eqrelRules(rel: RelationInfo, firstId: number): Rule[] {
  const type = rel.columns[0]!.type;
  const span = rel.span;
  const v = (name: string): MTerm => ({ kind: "var", name, type, span });
  const w: MTerm = { kind: "wildcard", type, span };
  const atom = (a: MTerm, b: MTerm): MAtom => ({ kind: "atom", relation: rel.name, args: [a, b], span });
  const rule = (head: MAtom, body: MLiteral[], k: number): Rule => ({ id: firstId + k, head, body, span });
  return [
    rule(atom(v("x"), v("x")), [atom(v("x"), w)], 0),
    rule(atom(v("x"), v("x")), [atom(w, v("x"))], 1),
    rule(atom(v("y"), v("x")), [atom(v("x"), v("y"))], 2),
    rule(atom(v("x"), v("z")), [atom(v("x"), v("y")), atom(v("y"), v("z"))], 3),
  ];
}
