// Facts about model terms and literals that the magic-set transformation needs:
// their variables, whether evaluating them can fail or depends on evaluation
// order, and whether they hold aggregates, autoinc() or float comparisons.

import type { MLiteral, MTerm, Rule } from "../model.js";
import { literalTerms, literalVars, termVars } from "../model-terms.js";

export { literalVars, termVars };

/** Whether some subterm of `t` (aggregate bodies included) satisfies `p`. */
export function someSubterm(t: MTerm, p: (t: MTerm) => boolean): boolean {
  if (p(t)) return true;
  switch (t.kind) {
    case "binary":
      return someSubterm(t.left, p) || someSubterm(t.right, p);
    case "unary":
      return someSubterm(t.operand, p);
    case "cast":
      return someSubterm(t.term, p);
    case "call":
      return t.args.some((a) => someSubterm(a, p));
    case "aggregate":
      return (t.target !== undefined && someSubterm(t.target, p)) || t.body.some((l) => someInLiteral(l, p));
    default:
      return false;
  }
}

export function someInLiteral(l: MLiteral, p: (t: MTerm) => boolean): boolean {
  return literalTerms(l).some((t) => someSubterm(t, p));
}

export function someInRule(r: Rule, p: (t: MTerm) => boolean): boolean {
  return r.head.args.some((t) => someSubterm(t, p)) || r.body.some((l) => someInLiteral(l, p));
}

const isAggregate = (t: MTerm) => t.kind === "aggregate";
const isAutoinc = (t: MTerm) => t.kind === "call" && t.name === "autoinc";

/** Built-in functions that fail on some arguments (a run-time error) or whose value is not a function of them. */
const FALLIBLE_CALLS = new Set(["to_number", "to_unsigned", "to_float", "autoinc"]);

/**
 * Whether evaluating `t` may fail or depend on evaluation order: division and modulo (by zero),
 * the string-to-number conversions, autoinc(), user functors (arbitrary code).
 */
const fallible = (t: MTerm) =>
  (t.kind === "binary" && (t.op === "/" || t.op === "%")) || (t.kind === "call" && (FALLIBLE_CALLS.has(t.name) || t.name.startsWith("@")));

/** range(…) generates values rather than computing one: the pass leaves rules with it as they are. */
const isRange = (t: MTerm) => t.kind === "call" && t.name === "range";

export const hasAggregate = (r: Rule) => someInRule(r, isAggregate);
export const hasRange = (r: Rule) => someInRule(r, isRange);
export const hasAutoinc = (r: Rule) => someInRule(r, isAutoinc);
export const hasFallible = (r: Rule) => someInRule(r, fallible);
export const ruleHasFloatCompare = (r: Rule) => r.body.some((l) => l.kind === "compare" && l.type === "float");

/** A term that may be evaluated on more bindings than the rule it came from: no aggregate, nothing fallible. */
export const safeTerm = (t: MTerm) => !someSubterm(t, (s) => isAggregate(s) || fallible(s) || isRange(s));
