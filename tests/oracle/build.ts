// Constructors for checked-program nodes with placeholder spans, so that the
// property generator can build a CheckedProgram directly, bypassing the frontend.

import type { ArithOp, CompareOp, UnaryOp, AggregateFn } from "../../lang/ast.js";
import type { BaseType, CheckedProgram, MAtom, MLiteral, MTerm, RelationInfo, Rule, Stratum } from "../../lang/model.js";
import type { Span } from "../../lang/span.js";

const at = { line: 1, col: 1, offset: 0 };
export const span: Span = { file: "<generated>", start: at, end: at };

export const num = (value: number): MTerm => ({ kind: "const", type: "number", value, span });
export const sym = (value: string): MTerm => ({ kind: "const", type: "symbol", value, span });
export const uns = (value: number): MTerm => ({ kind: "const", type: "unsigned", value: value >>> 0, span });
export const flt = (value: number): MTerm => ({ kind: "const", type: "float", value: Math.fround(value), span });
export const v = (name: string, type: BaseType = "number"): MTerm => ({ kind: "var", name, type, span });
export const wild = (type: BaseType = "number"): MTerm => ({ kind: "wildcard", type, span });
export const bin = (op: ArithOp, left: MTerm, right: MTerm, type: BaseType = "number"): MTerm => ({
  kind: "binary",
  op,
  type,
  left,
  right,
  span,
});
export const un = (op: UnaryOp, operand: MTerm): MTerm => ({ kind: "unary", op, type: operand.type, operand, span });
export const call = (name: string, type: BaseType, ...args: MTerm[]): MTerm => ({ kind: "call", name, type, args, span });
export const agg = (fn: AggregateFn, body: MLiteral[], target?: MTerm, witnesses?: string[]): MTerm => ({
  kind: "aggregate",
  fn,
  type: fn === "count" ? "number" : fn === "mean" ? "float" : target!.type,
  target,
  body,
  ...(witnesses && witnesses.length > 0 ? { witnesses } : {}),
  span,
});

export const atom = (relation: string, args: MTerm[]): MAtom => ({ kind: "atom", relation, args, span });
export const neg = (a: MAtom): MLiteral => ({ kind: "negation", atom: a, span });
export const cmp = (op: CompareOp, left: MTerm, right: MTerm): MLiteral => ({ kind: "compare", op, type: left.type, left, right, span });
export const tst = (name: "contains" | "match", args: MTerm[], negated = false): MLiteral => ({ kind: "test", name, args, negated, span });

export function relation(name: string, types: readonly BaseType[]): RelationInfo {
  return {
    name,
    columns: types.map((type, i) => ({ name: `c${i}`, type, typeName: type })),
    span,
    qualifiers: [],
    inputs: [],
    outputs: [],
    printsize: false,
  };
}

/** A checked program from relations, and rules grouped by stratum in evaluation order. */
export function program(relations: RelationInfo[], strata: { head: MAtom; body: MLiteral[] }[][]): CheckedProgram {
  const rules: Rule[] = [];
  const out: Stratum[] = [];
  for (const group of strata) {
    const ids = group.map(({ head, body }) => {
      rules.push({ id: rules.length, head, body, span });
      return rules.length - 1;
    });
    const defined = [...new Set(group.map((r) => r.head.relation))];
    const recursive = group.some((r) => reads(r.body).some((rel) => defined.includes(rel)));
    if (defined.length > 0) out.push({ relations: defined, rules: ids, recursive });
  }
  return { relations: new Map(relations.map((r) => [r.name, r])), rules, strata: out };
}

/** Relations a body reads, including inside negations and aggregates. */
export function reads(body: readonly MLiteral[]): string[] {
  const out: string[] = [];
  const term = (t: MTerm): void => {
    if (t.kind === "aggregate") out.push(...reads(t.body));
    else if (t.kind === "binary") {
      term(t.left);
      term(t.right);
    } else if (t.kind === "unary") term(t.operand);
    else if (t.kind === "call") t.args.forEach(term);
    else if (t.kind === "cast") term(t.term);
  };
  for (const l of body) {
    if (l.kind === "atom") {
      out.push(l.relation);
      l.args.forEach(term);
    } else if (l.kind === "negation") out.push(l.atom.relation);
    else if (l.kind === "compare") {
      term(l.left);
      term(l.right);
    } else l.args.forEach(term);
  }
  return out;
}
