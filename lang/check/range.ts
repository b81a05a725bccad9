// Where range(from, to[, step]) may be written. It is a generator, not a function:
// `x = range(…)` (or `range(…) = x`) in a rule body or an aggregate body binds x to
// each value in turn. Anywhere else (a head, an atom argument, inside arithmetic,
// another comparison) it has no single value, and is reported where it stands.

import type { Literal, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { literalTerms, subterms } from "./ast-terms.js";

const isRange = (t: Term): boolean => t.kind === "call" && t.name === "range";

/** Reports each range(…) of a rule that is not one side of an equality in a body. */
export function checkRangePlacement(headArgs: readonly Term[], body: readonly Literal[], diagnostics: Diagnostic[]): void {
  const misplaced = (t: Term, where: string): void => {
    diagnostics.push(
      error("range-misplaced", `range(…) can only be one side of "=" in a rule body or an aggregate body, not ${where}`, t.span, [
        { message: `bind it to a variable first, as in "x = range(from, to)", and use the variable here` },
      ]),
    );
  };
  // `where` names the position of the term being visited; `allowed` is true only for a side of `=`.
  const inTerm = (t: Term, where: string, allowed: boolean): void => {
    if (t.kind === "aggregate") {
      if (t.target) inTerm(t.target, "an aggregate's target", false);
      inLiterals(t.body);
      return;
    }
    if (isRange(t) && !allowed) misplaced(t, where);
    const inner = isRange(t)
      ? "an argument of range(…)"
      : where === "a head" || where === "an atom argument"
        ? where
        : "inside an expression";
    for (const s of subterms(t)) inTerm(s, inner, false);
  };
  const inLiterals = (ls: readonly Literal[]): void => {
    for (const l of ls) {
      if (l.kind === "compare" && l.op === "=") {
        inTerm(l.left, "inside an expression", true);
        inTerm(l.right, "both sides of one equality", !isRange(l.left));
        continue;
      }
      const where =
        l.kind === "atom" || l.kind === "negation"
          ? "an atom argument"
          : l.kind === "compare"
            ? `a "${l.op}" comparison`
            : `a ${l.name} test`;
      for (const t of literalTerms(l)) inTerm(t, where, false);
    }
  };
  for (const t of headArgs) inTerm(t, "a head", false);
  inLiterals(body);
}
