// Soufflé's "mutually dependent aggregate" check: two aggregates of one rule
// body, each reading a variable that only the other's body binds, are an
// error (which of them would bind it is ambiguous). A variable an aggregate
// reads without binding it is one its body does not ground; it depends on the
// other aggregate when that one's body grounds a variable of the same name.

import type { Aggregate, Literal, Variable } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { allVariables, directAggregates, termsOfLiterals } from "./ast-terms.js";
import { groundFixpoint } from "./ground-fixpoint.js";

export function checkAggregateDependence(body: readonly Literal[], diagnostics: Diagnostic[]): void {
  const aggregates = directAggregates(termsOfLiterals(body));
  if (aggregates.length < 2) return;
  const name = (v: Variable) => v.name;
  const info = aggregates.map((a) => {
    const grounded = groundFixpoint(a.body, name, new Set(), () => true);
    const used = new Set(allVariables(a.body, a.target ? [a.target] : []).map(name));
    return { a, grounded, free: new Set([...used].filter((v) => !grounded.has(v))) };
  });
  const dependsOn = (x: (typeof info)[number], y: (typeof info)[number]) => [...x.free].some((v) => y.grounded.has(v));
  const reported = new Set<Aggregate>();
  for (const x of info)
    for (const y of info) {
      if (x === y || reported.has(x.a) || !dependsOn(x, y) || !dependsOn(y, x)) continue;
      reported.add(x.a);
      diagnostics.push(
        error(
          "mutually-dependent-aggregates",
          `this aggregate and another of the rule each read a variable only the other binds`,
          x.a.span,
          [{ message: "the other aggregate", span: y.a.span }],
        ),
      );
    }
}
