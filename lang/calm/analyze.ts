// The CALM analysis of a checked program: every rule and relation classified
// with reasons, the outputs' verdicts, the freeze points, and which stratum
// boundaries are coordination points (only those a freeze point needs).

import type { CheckedProgram } from "../model.js";
import { freezeCycles } from "./cycles.js";
import { classifyRelations } from "./relations.js";
import { analyzeRule, type RuleFacts } from "./rule.js";
import type { Analysis, CalmClass, FreezePoint, OutputAnalysis, RelationAnalysis, StratumAnalysis } from "./types.js";

function verdict(r: RelationAnalysis, upstream: readonly FreezePoint[]): string {
  const cls: CalmClass = r.class;
  switch (cls) {
    case "monotone":
      return "coordination-free: each fact is final as soon as it is derived";
    case "threshold":
      return "coordination-free: each fact is final once its threshold is reached, so it may be reported early";
    case "lattice-monotone":
      return "coordination-free: the values only grow and converge; read them final after the run";
    case "non-monotone": {
      const waits = [
        ...new Map(upstream.map((f) => [`${f.relation}|${f.rule}|${f.kind}`, `"${f.relation}" (rule ${f.rule}, ${f.kind})`])).values(),
      ];
      const list = waits.length <= 1 ? waits.join("") : `${waits.slice(0, -1).join(", ")} and ${waits.at(-1)}`;
      return `needs coordination: it waits for ${list || "a frozen relation"} to be frozen`;
    }
  }
}

/** The freeze points an output depends on: those of its rules and of the rules of everything it reads, transitively. */
function upstreamFreezes(
  relation: string,
  rulesOf: ReadonlyMap<string, readonly RuleFacts[]>,
  freezePoints: readonly FreezePoint[],
  headOf: (rule: number) => string,
): number[] {
  const seen = new Set([relation]);
  const todo = [relation];
  while (todo.length > 0) {
    const r = todo.pop()!;
    for (const f of rulesOf.get(r) ?? []) {
      for (const read of f.reads)
        if (!seen.has(read.relation)) {
          seen.add(read.relation);
          todo.push(read.relation);
        }
    }
  }
  return freezePoints.flatMap((fp, i) => (seen.has(headOf(fp.rule)) ? [i] : []));
}

export function analyze(program: CheckedProgram): Analysis {
  const facts = program.rules.map((r) => analyzeRule(r, program));
  const stratumOfRule = new Map<number, number>();
  program.strata.forEach((s, i) => s.rules.forEach((r) => stratumOfRule.set(r, i)));
  const freezePoints: FreezePoint[] = facts.flatMap((f) => f.freezes);
  const relations = classifyRelations(program, facts);
  const rulesOf = new Map<string, RuleFacts[]>();
  for (const f of facts) {
    const list = rulesOf.get(f.rule.head.relation);
    if (list) list.push(f);
    else rulesOf.set(f.rule.head.relation, [f]);
  }
  const outputs: OutputAnalysis[] = relations
    .filter((r) => r.output)
    .map((r) => {
      const fps = upstreamFreezes(r.name, rulesOf, freezePoints, (id) => program.rules[id]?.head.relation ?? "");
      return {
        relation: r.name,
        class: r.class,
        coordinationFree: r.coordinationFree,
        verdict: verdict(
          r,
          fps.map((i) => freezePoints[i]!),
        ),
        freezePoints: fps,
      };
    });
  const byStratum = program.strata.map((): number[] => []);
  freezePoints.forEach((fp, i) => byStratum[stratumOfRule.get(fp.rule) ?? -1]?.push(i));
  const strataInfo: StratumAnalysis[] = program.strata.map((s, index) => {
    const fps = byStratum[index]!;
    return { index, relations: s.relations, rules: s.rules, recursive: s.recursive, barrier: fps.length > 0, freezePoints: fps };
  });
  const { cycles, diagnostics } = freezeCycles(program, facts, freezePoints);
  return {
    schema: "cairn.analysis/1",
    relations,
    rules: facts.map((f) => ({
      id: f.rule.id,
      span: f.rule.span,
      head: f.rule.head.relation,
      class: f.class,
      reasons: f.reasons,
      stratum: stratumOfRule.get(f.rule.id) ?? -1,
      reads: f.reads,
    })),
    outputs,
    freezePoints,
    strata: program.strata.map((s) => s.relations),
    strataInfo,
    cycles,
    diagnostics,
  };
}
