// Walks over the checked program's terms and literals (lang/model.ts): the
// terms directly under a literal, and the variables of a term or a literal,
// aggregates' local variables included. Code generation, the checks, the CALM
// analysis and the magic-set transformation share them.

import type { MLiteral, MTerm } from "./model.js";

/** The terms directly under a literal. */
export function literalTerms(l: MLiteral): readonly MTerm[] {
  switch (l.kind) {
    case "atom": return l.args;
    case "negation": return l.atom.args;
    case "compare": return [l.left, l.right];
    case "test": return l.args;
  }
}

/** The variables of a term, aggregates' local variables included, added to `out`. */
export function termVars(t: MTerm, out: Set<string> = new Set()): Set<string> {
  switch (t.kind) {
    case "var": out.add(t.name); break;
    case "binary": termVars(t.left, out); termVars(t.right, out); break;
    case "unary": termVars(t.operand, out); break;
    case "cast": termVars(t.term, out); break;
    case "call": for (const a of t.args) termVars(a, out); break;
    case "aggregate":
      if (t.target) termVars(t.target, out);
      for (const l of t.body) literalVars(l, out);
      break;
    default: break;
  }
  return out;
}

/** The variables of a literal, added to `out`. */
export function literalVars(l: MLiteral, out: Set<string> = new Set()): Set<string> {
  for (const t of literalTerms(l)) termVars(t, out);
  return out;
}
