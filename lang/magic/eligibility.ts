// Which relations the magic-set transformation may specialise, and why the
// others are left alone. A relation it may not adorn is still computed in full,
// by its own rules; those rules are rewritten to read adorned relations unless
// the relation is "verbatim" (it feeds autoinc(), whose numbering depends on the
// order facts are derived in), in which case they run exactly as written.

import type { CheckedProgram, MAtom, Rule } from "../model.js";
import type { MagicOptions } from "./options.js";
import { visitRuleAtoms } from "../model-terms.js";
import { hasAggregate, hasAutoinc, hasFallible, hasRange, ruleHasFloatCompare } from "./terms.js";

export interface Eligibility {
  /** Relations with rules that are not adorned, with the reason. */
  readonly refused: Map<string, string>;
  /** Relations whose rules are kept exactly as written. */
  readonly verbatim: ReadonlySet<string>;
}

/** The reason for a relation the pragma does not cover (not reported). */
export const NOT_NAMED = "magic-transform does not name it";

type Read = "positive" | "negation" | "aggregate" | "exact";

/** Every atom a rule reads, with how. */
export function ruleReads(rule: Rule, visit: (a: MAtom, how: Read) => void): void {
  visitRuleAtoms(rule, (a, { negated, aggregate }) =>
    visit(a, aggregate ? "aggregate" : negated ? "negation" : a.exact ? "exact" : "positive"),
  );
}

/** Relations that feed a rule with autoinc(): the heads of such rules and everything they read, transitively. */
function autoincClosure(program: CheckedProgram): Set<string> {
  const out = new Set<string>();
  const work: string[] = [];
  const add = (r: string) => {
    if (!out.has(r)) {
      out.add(r);
      work.push(r);
    }
  };
  for (const rule of program.rules) if (hasAutoinc(rule)) add(rule.head.relation);
  const byHead = rulesByHead(program.rules);
  while (work.length > 0) {
    const r = work.pop()!;
    for (const rule of byHead.get(r) ?? []) ruleReads(rule, (a) => add(a.relation));
  }
  return out;
}

export function rulesByHead(rules: readonly Rule[]): Map<string, Rule[]> {
  const m = new Map<string, Rule[]>();
  for (const r of rules) {
    const list = m.get(r.head.relation) ?? [];
    list.push(r);
    m.set(r.head.relation, list);
  }
  return m;
}

const READ_REASON: Record<Exclude<Read, "positive">, string> = {
  negation: "it is read under negation, which needs all of it",
  aggregate: "it is read inside an aggregate, which needs all of it",
  exact: "it is read exactly (a freeze point), which needs all of it",
};

/** Decides, for every relation with rules, whether it may be adorned. */
export function eligibility(program: CheckedProgram, options: MagicOptions): Eligibility {
  const refused = new Map<string, string>();
  const byHead = rulesByHead(program.rules);
  const readAs = new Map<string, Read>();
  for (const rule of program.rules) {
    ruleReads(rule, (a, how) => {
      if (how !== "positive" && !readAs.has(a.relation)) readAs.set(a.relation, how);
    });
  }
  const verbatim = autoincClosure(program);
  for (const [name, rules] of byHead) {
    const info = program.relations.get(name);
    if (!info) continue;
    const why = ((): string | undefined => {
      if (options.excluded.has(name)) {
        return info.qualifiers.includes("no_magic") ? "it is declared no_magic" : "magic-transform-exclude names it";
      }
      if (!options.all && !options.named.has(name)) return NOT_NAMED;
      if (info.inputs.length > 0) return "it is an input relation";
      if (info.outputs.length > 0 || info.printsize) return "it is an output: all of it is written";
      if (info.columns.some((c) => c.lattice)) return "it has a lattice column";
      if (info.qualifiers.includes("eqrel")) return "it is an eqrel relation";
      if (!rules.some((r) => r.body.some((l) => l.kind === "atom"))) return "no rule of it reads a relation: there is nothing to restrict";
      const read = readAs.get(name);
      if (read && read !== "positive") return READ_REASON[read];
      if (verbatim.has(name)) return "it feeds autoinc(), whose numbers depend on the order facts are derived in";
      if (rules.some(hasAggregate)) return "a rule of it has an aggregate";
      if (rules.some(hasRange)) return "a rule of it uses range(…), which generates values rather than computing one";
      if (rules.some(ruleHasFloatCompare)) return "a rule of it compares floats (equality is not identity for floats)";
      if (rules.some(hasFallible))
        return "a rule of it divides, takes a modulo, converts a string to a number or calls a user functor, which could fail on bindings the program never reaches";
      return undefined;
    })();
    if (why) refused.set(name, why);
  }
  return { refused, verbatim };
}
