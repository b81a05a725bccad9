// A relation's class: the weakest along any path from the inputs. Each rule
// contributes its own class and the classes of what it reads monotonically;
// a threshold test turns a lattice value into plain facts that are final.

import type { CheckedProgram, RelationInfo } from "../model.js";
import { latticeText } from "./print.js";
import type { RuleFacts } from "./rule.js";
import { rank, type CalmClass, type Reason, type RelationAnalysis } from "./types.js";

interface Candidate {
  readonly level: CalmClass;
  readonly reason: Reason;
}

export function isInput(r: RelationInfo): boolean {
  return r.inputs.length > 0 || r.qualifiers.includes("input");
}

export function isOutput(r: RelationInfo): boolean {
  return r.outputs.length > 0 || r.qualifiers.includes("output");
}

export function classifyRelations(program: CheckedProgram, facts: readonly RuleFacts[]): RelationAnalysis[] {
  const stratumOf = new Map<string, number>();
  program.strata.forEach((s, i) => s.relations.forEach((r) => stratumOf.set(r, i)));
  const rulesOf = new Map<string, RuleFacts[]>();
  for (const f of facts) {
    const list = rulesOf.get(f.rule.head.relation);
    if (list) list.push(f);
    else rulesOf.set(f.rule.head.relation, [f]);
  }
  const cls = new Map<string, CalmClass>();
  const out = new Map<string, RelationAnalysis>();

  const compute = (info: RelationInfo): RelationAnalysis => {
    const name = info.name;
    const last = info.columns[info.columns.length - 1];
    const lattice = last?.lattice;
    const rules = rulesOf.get(name) ?? [];
    const cands: Candidate[] = [];
    if (lattice) {
      // A column made a lattice by a subsumption is explained at the subsumption.
      const why = last.subsumption
        ? `holds ${latticeText(lattice)} values, as its subsumption keeps one value per key: what is derived for a key is joined`
        : `holds ${latticeText(lattice)} values: what is derived for a key is joined`;
      cands.push({ level: "lattice-monotone", reason: { message: why, span: last.subsumption ?? info.span } });
    }
    if (isInput(info)) cands.push({ level: "monotone", reason: { message: "input relation", span: info.inputs[0]?.span ?? info.span } });
    else if (rules.length === 0)
      cands.push({ level: "monotone", reason: { message: "no rules and no input: always empty", span: info.span } });
    const plainRules: number[] = [];
    for (const f of rules) {
      const id = f.rule.id;
      if (f.class === "non-monotone")
        for (const fp of f.freezes)
          cands.push({ level: "non-monotone", reason: { message: `rule ${id}: ${fp.reason}`, span: fp.use ?? fp.span } });
      else if (f.class === "threshold")
        for (const r of f.reasons) cands.push({ level: "threshold", reason: { message: `rule ${id}: ${r.message}`, span: r.span } });
      else if (f.class === "monotone") plainRules.push(id);
      for (const read of f.reads) {
        if (read.mode === "freeze") continue;
        const c = cls.get(read.relation) ?? "monotone";
        if (c === "non-monotone")
          cands.push({
            level: "non-monotone",
            reason: { message: `rule ${id} reads "${read.relation}", which is non-monotone`, span: read.span },
          });
        else if (c === "threshold" && !lattice)
          cands.push({
            level: "threshold",
            reason: { message: `rule ${id} reads "${read.relation}", whose facts rest on threshold tests`, span: read.span },
          });
      }
    }
    if (plainRules.length > 0) {
      const list = plainRules.join(", ");
      cands.push({
        level: "monotone",
        reason: { message: `defined by monotone rule${plainRules.length === 1 ? "" : "s"} ${list}`, span: info.span },
      });
    }
    const level = cands.reduce<CalmClass>((a, c) => (rank(c.level) > rank(a) ? c.level : a), "monotone");
    return {
      name,
      span: info.span,
      class: level,
      reasons: unique(cands.filter((c) => c.level === level).map((c) => c.reason)),
      ...(lattice ? { lattice: latticeText(lattice) } : {}),
      input: isInput(info),
      output: isOutput(info),
      stratum: stratumOf.get(name) ?? -1,
      coordinationFree: level !== "non-monotone",
    };
  };

  for (const stratum of program.strata) {
    // Classes only grow, so this settles; the bound is a guard against a bug looping forever.
    for (let round = 0, changed = true; changed && round < 4 * stratum.relations.length + 2; round++) {
      changed = false;
      for (const name of stratum.relations) {
        const info = program.relations.get(name);
        if (!info) continue;
        const r = compute(info);
        if (cls.get(name) !== r.class) changed = true;
        cls.set(name, r.class);
        out.set(name, r);
      }
    }
  }
  for (const info of program.relations.values()) if (!out.has(info.name)) out.set(info.name, compute(info));
  return [...program.relations.keys()].map((n) => out.get(n)!);
}

function unique(rs: Reason[]): Reason[] {
  const seen = new Set<string>();
  return rs.filter((r) => {
    const key = `${r.message}@${r.span?.file}:${r.span?.start.offset}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
