// Checked programs built by hand, for what the checks never hand over: a rule
// the checks would reject (a non-monotone lattice head, a freeze point inside
// recursion) or an `exact` mark the analysis cannot explain.

import type { CheckedProgram, LatticeRef, MAtom, MLiteral, MTerm, RelationInfo, Rule, Stratum } from "../../lang/model.js";
import type { Span } from "../../lang/span.js";

export const span = (line: number, col = 1, len = 1): Span => ({
  file: "h.dl",
  start: { line, col, offset: line * 1000 + col },
  end: { line, col: col + len, offset: line * 1000 + col + len },
});

export const v = (name: string, line = 1, col = 1): MTerm => ({ kind: "var", name, type: "number", span: span(line, col) });
export const c = (value: number, line = 1, col = 1): MTerm => ({ kind: "const", type: "number", value, span: span(line, col) });

export function atom(relation: string, args: MTerm[], line: number, col = 1): MAtom {
  return { kind: "atom", relation, args, span: span(line, col, relation.length + 2) };
}

export function relation(name: string, columns: string[], lattice?: LatticeRef, line = 1): RelationInfo {
  return {
    name,
    columns: columns.map((col, i) => ({
      name: col,
      type: "number",
      typeName: "number",
      ...(lattice && i === columns.length - 1 ? { lattice } : {}),
    })),
    span: span(line),
    qualifiers: [],
    inputs: [],
    outputs: [],
    printsize: false,
  };
}

export function rule(id: number, head: MAtom, body: MLiteral[]): Rule {
  return { id, head, body, span: { ...head.span, end: body.at(-1)?.span.end ?? head.span.end } };
}

export function program(relations: RelationInfo[], rules: Rule[], strata: Stratum[], extra: Partial<CheckedProgram> = {}): CheckedProgram {
  return { relations: new Map(relations.map((r) => [r.name, r])), rules, strata, ...extra };
}

export const MIN: LatticeRef = { name: "min", elem: "number" };
export const MAX: LatticeRef = { name: "max", elem: "number" };
