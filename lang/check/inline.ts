// Soufflé's restrictions on `inline` relations, which are substituted into the
// rules that use them (inline-expand.ts): an inline relation cannot be read
// from or written to files, cannot depend on itself through other inline
// relations only, and cannot be negated where its rules have variables of
// their own (their negation would quantify them) or with `_` among its
// arguments. A relation also declared `no_inline`, or named by
// `.pragma "inline-exclude"`, is not inlined and not restricted.

import { error, type Diagnostic } from "../diagnostics.js";
import type { RelationInfo, Rule } from "../model.js";
import { literalVars, termVars, visitRuleAtoms } from "../model-terms.js";

export function checkInline(
  relations: ReadonlyMap<string, RelationInfo>,
  rules: readonly Rule[],
  diagnostics: Diagnostic[],
  excluded: ReadonlySet<string> = new Set(),
): void {
  const inline = new Set(
    [...relations.values()]
      .filter((r) => r.qualifiers.includes("inline") && !r.qualifiers.includes("no_inline") && !excluded.has(r.name))
      .map((r) => r.name),
  );
  if (inline.size === 0) return;
  for (const name of inline) {
    const r = relations.get(name)!;
    if (r.inputs.length > 0 || r.outputs.length > 0 || r.printsize) {
      diagnostics.push(
        error("bad-inline", `relation "${name}" is input or output, so it cannot be inlined`, r.span, [
          { message: `drop "inline", or the .input/.output/.printsize of "${name}"` },
        ]),
      );
    }
  }

  // Cycles among inline relations only.
  const edges = new Map<string, Set<string>>();
  const ownVariables = new Set<string>();
  for (const rule of rules) {
    const head = rule.head.relation;
    if (!inline.has(head)) continue;
    const heads = new Set<string>();
    for (const t of rule.head.args) termVars(t, heads);
    const body = new Set<string>();
    for (const l of rule.body) literalVars(l, body);
    if ([...body].some((v) => !heads.has(v) && !v.startsWith("$"))) ownVariables.add(head);
    visitRuleAtoms(rule, (atom) => {
      if (!inline.has(atom.relation)) return;
      const out = edges.get(head) ?? new Set<string>();
      out.add(atom.relation);
      edges.set(head, out);
    });
  }
  const reported = new Set<string>();
  const onStack: string[] = [];
  const done = new Set<string>();
  const visit = (n: string): void => {
    if (done.has(n)) return;
    const at = onStack.indexOf(n);
    if (at >= 0) {
      const cycle = [...onStack.slice(at)].sort();
      if (cycle.some((c) => reported.has(c))) return;
      for (const c of cycle) reported.add(c);
      diagnostics.push(
        error(
          "bad-inline",
          `inline relations {${cycle.join(", ")}} depend on each other, so they cannot be inlined`,
          relations.get(cycle[0]!)!.span,
        ),
      );
      return;
    }
    onStack.push(n);
    for (const m of edges.get(n) ?? []) visit(m);
    onStack.pop();
    done.add(n);
  };
  for (const n of [...inline].sort()) visit(n);

  // Negated inline atoms.
  for (const rule of rules) {
    visitRuleAtoms(rule, (atom, place) => {
      if (!place.negated || !inline.has(atom.relation)) return;
      if (ownVariables.has(atom.relation)) {
        diagnostics.push(
          error(
            "bad-inline",
            `"${atom.relation}" cannot be inlined here: its rules have variables of their own, which a negation would quantify`,
            atom.span,
          ),
        );
      } else if (atom.args.some((t) => t.kind === "wildcard")) {
        diagnostics.push(error("bad-inline", `a negated inline atom cannot have "_" among its arguments`, atom.span));
      }
    });
  }
}
