// Walks over the checked program's terms and literals (lang/model.ts): the
// terms directly under a literal, the variables of a term or a literal
// (aggregates' local variables included), and every atom a rule reads with
// where it stands. Code generation, the checks, the CALM analysis and the
// magic-set transformation share them.

import type { AggregateFn } from "./ast.js";
import type { MAtom, MLiteral, MTerm, Rule } from "./model.js";

/** The terms directly under a literal. */
export function literalTerms(l: MLiteral): readonly MTerm[] {
  switch (l.kind) {
    case "atom":
      return l.args;
    case "negation":
      return l.atom.args;
    case "compare":
      return [l.left, l.right];
    case "test":
      return l.args;
  }
}

/** The variables of a term, aggregates' local variables included, added to `out`. */
export function termVars(t: MTerm, out: Set<string> = new Set()): Set<string> {
  switch (t.kind) {
    case "var":
      out.add(t.name);
      break;
    case "binary":
      termVars(t.left, out);
      termVars(t.right, out);
      break;
    case "unary":
      termVars(t.operand, out);
      break;
    case "cast":
      termVars(t.term, out);
      break;
    case "call":
      for (const a of t.args) termVars(a, out);
      break;
    case "aggregate":
      if (t.target) termVars(t.target, out);
      for (const l of t.body) literalVars(l, out);
      break;
    default:
      break;
  }
  return out;
}

/** The variables of a literal, added to `out`. */
export function literalVars(l: MLiteral, out: Set<string> = new Set()): Set<string> {
  for (const t of literalTerms(l)) termVars(t, out);
  return out;
}

/** Where an atom stands in a rule: under negation, and inside which aggregate (the outermost), if any. */
export interface AtomPlace {
  readonly negated: boolean;
  readonly aggregate?: AggregateFn;
}

/**
 * Calls `visit` for every atom a rule reads, negated ones and those inside
 * aggregates (of the head's terms or the body) included, with its place and
 * the literal it stands in.
 */
export function visitRuleAtoms(rule: Rule, visit: (atom: MAtom, place: AtomPlace, literal: MLiteral) => void): void {
  const inTerm = (t: MTerm, agg: AggregateFn | undefined): void => {
    switch (t.kind) {
      case "binary":
        inTerm(t.left, agg);
        inTerm(t.right, agg);
        break;
      case "unary":
        inTerm(t.operand, agg);
        break;
      case "cast":
        inTerm(t.term, agg);
        break;
      case "call":
        for (const a of t.args) inTerm(a, agg);
        break;
      case "aggregate":
        if (t.target) inTerm(t.target, agg ?? t.fn);
        inLiterals(t.body, agg ?? t.fn);
        break;
      default:
        break;
    }
  };
  const inLiterals = (ls: readonly MLiteral[], agg: AggregateFn | undefined): void => {
    for (const l of ls) {
      if (l.kind === "atom") visit(l, { negated: false, aggregate: agg }, l);
      else if (l.kind === "negation") visit(l.atom, { negated: true, aggregate: agg }, l);
      for (const t of literalTerms(l)) inTerm(t, agg);
    }
  };
  for (const t of rule.head.args) inTerm(t, undefined);
  inLiterals(rule.body, undefined);
}
