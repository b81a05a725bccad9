// Facts about model terms and literals that the magic-set transformation needs:
// their variables, whether evaluating them can fail or depends on evaluation
// order, and whether they hold aggregates, autoinc() or float comparisons.

import type { MTerm, Rule } from "../model.js";
import { literalVars, ruleTerms, someTerm, termVars } from "../model-terms.js";

export { literalVars, termVars };

/** Whether some term of `r` (aggregate bodies included) satisfies `p`. */
const someInRule = (r: Rule, p: (t: MTerm) => boolean) => ruleTerms(r).some((t) => someTerm(t, p));

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
export const safeTerm = (t: MTerm) => !someTerm(t, (s) => isAggregate(s) || fallible(s) || isRange(s));
