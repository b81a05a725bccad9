// Soufflé's warnings: a variable that occurs only once in a clause (suggest
// `_`), a `_x` variable that occurs more than once, a declared relation with
// neither rules, facts nor input.

import { warning, type Diagnostic } from "../diagnostics.js";
import type { Span } from "../span.js";
import type { RuleDraft } from "./desugar.js";
import { allVariables } from "./ast-terms.js";
import { before } from "./util.js";

/**
 * Warns, for the rules of one clause, about each variable (by its written name) that occurs in no head
 * and at most once in every body, at its first occurrence; and about `_x` variables used more than once.
 */
export function singleUseWarnings(rules: readonly RuleDraft[], diagnostics: Diagnostic[]): void {
  const inHead = new Set<string>();
  const many = new Set<string>();
  const first = new Map<string, Span>();
  for (const draft of rules) {
    for (const v of allVariables([], draft.head.args)) inHead.add(v.name);
  }
  for (const draft of rules) {
    const count = new Map<string, number>();
    for (const v of allVariables(draft.body)) {
      count.set(v.name, (count.get(v.name) ?? 0) + 1);
      const f = first.get(v.name);
      if (!f || before(v.span, f)) first.set(v.name, v.span);
    }
    for (const [name, n] of count) if (n > 1) many.add(name);
  }
  for (const [name, span] of first) {
    if (name.startsWith("_") || inHead.has(name) || many.has(name)) continue;
    diagnostics.push(
      warning("single-use-variable", `variable "${name}" only occurs once`, span, [
        { message: `if this is intended, write "_" instead (or "_${name}")` },
      ]),
    );
  }
  // `_x` is a named wildcard: occurring more than once in a rule defeats its purpose.
  for (const draft of rules) {
    const seen = new Map<string, number>();
    for (const v of allVariables(draft.body, draft.head.args)) {
      if (!v.name.startsWith("_")) continue;
      const n = (seen.get(v.name) ?? 0) + 1;
      seen.set(v.name, n);
      if (n === 2) {
        diagnostics.push(
          warning("singleton-reused", `variable "${v.name}" is marked as unused by its leading "_" but occurs more than once`, v.span),
        );
      }
    }
  }
}

/** Declared relations with no rules or facts that are not inputs: they are empty. */
export function noRulesWarnings(
  relations: readonly { name: string; span: Span; input: boolean }[],
  defined: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): void {
  for (const r of relations) {
    if (r.input || defined.has(r.name)) continue;
    diagnostics.push(
      warning("no-rules", `no rules or facts defined for relation "${r.name}"`, r.span, [
        { message: `"${r.name}" is not an input either, so it is empty` },
      ]),
    );
  }
}
