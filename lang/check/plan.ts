// `.plan` after a rule: for each version of a recursive rule (the one that
// reads the delta of its k-th recursive atom, from 0), the order in which to
// join its body atoms, numbered from 1 as written. Checked once the strata are
// known, as Soufflé checks them: a version the rule has, every atom exactly
// once, a rule of a recursive stratum; then handed to code generation.

import type { PlanEntry } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { Rule, Stratum } from "../model.js";

export interface PlannedRule {
  readonly rule: number;
  readonly plan: readonly PlanEntry[];
  /** How many bodies the clause's `;` gave. */
  readonly disjuncts: number;
  /** How many atoms the written body has (the lowered body appends witness copies after them). */
  readonly atoms: number;
}

/** The rules with their checked plans attached (as Rule.plan); reports bad plans. */
export function applyPlans(rules: Rule[], planned: readonly PlannedRule[], strata: readonly Stratum[], diagnostics: Diagnostic[]): void {
  const stratumOf = new Map<string, Stratum>();
  for (const s of strata) for (const r of s.relations) stratumOf.set(r, s);
  const reported = new Set<PlanEntry>();
  const bad = (e: PlanEntry, message: string) => {
    if (reported.has(e)) return;
    reported.add(e);
    diagnostics.push(error("bad-plan", message, e.span));
  };
  for (const p of planned) {
    const rule = rules[p.rule]!;
    if (p.disjuncts > 1) {
      bad(p.plan[0]!, "a .plan on a clause with alternatives (;) is not supported: write one clause per alternative");
      continue;
    }
    const stratum = stratumOf.get(rule.head.relation);
    // The written body's atoms, in order (witness copies come after it and are not numbered).
    const atoms: number[] = [];
    rule.body.forEach((l, i) => {
      if (l.kind === "atom" && atoms.length < p.atoms) atoms.push(i);
    });
    const recursive = stratum?.recursive
      ? atoms.filter((i) => stratum.relations.includes((rule.body[i] as { relation: string }).relation)).length
      : 0;
    if (recursive === 0) {
      bad(p.plan[0]!, "a .plan is for a rule of a recursive stratum; this rule runs once, in the order Cairn chooses");
      continue;
    }
    const plan = new Map<number, number[]>();
    for (const e of p.plan) {
      if (e.version >= recursive) {
        bad(
          e,
          `this rule has ${recursive === 1 ? "version 0 only" : `versions 0 to ${recursive - 1}`} (one per atom of its recursive stratum), not ${e.version}`,
        );
        continue;
      }
      if (plan.has(e.version)) {
        bad(e, `version ${e.version} is planned twice`);
        continue;
      }
      if (e.order.length !== atoms.length) {
        bad(
          e,
          `the rule's body has ${atoms.length} atom${atoms.length === 1 ? "" : "s"}, and a plan orders all of them, not ${e.order.length}`,
        );
        continue;
      }
      const seen = new Set<number>();
      const wrong = e.order.find((k) => k < 1 || k > atoms.length || seen.has(k) || !seen.add(k));
      if (wrong !== undefined) {
        bad(
          e,
          wrong < 1 || wrong > atoms.length
            ? `there is no atom ${wrong}: atoms are numbered 1 to ${atoms.length}`
            : `atom ${wrong} is listed twice`,
        );
        continue;
      }
      plan.set(
        e.version,
        e.order.map((k) => atoms[k - 1]!),
      );
    }
    if (plan.size > 0) rules[p.rule] = { ...rule, plan };
  }
}
