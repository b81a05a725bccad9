// Planning a stratum whose workers exchange deltas, as a cluster of thread
// nodes runs it (exchange-mode.ts): a shard plan (distributed/shard-plan.ts's
// kind) for the stratum alone. Its relations, and the relations of earlier
// strata its rules read, are each split on a column or replicated
// (placement.ts, weighed by the data as it is now); its rules that read no
// split relation run on every node, each keeping what it owns; one phase
// ends with the stratum. A stratum qualifies when its rule versions call
// nothing but arithmetic helpers (purity.ts, as for the other modes: no
// string functors, autoinc, records or user functors), a cluster could run
// its rules (distributed/shard-plan.ts's clusterLimits: lattices the nodes
// can join), and some rule is driven by a split relation (otherwise one node
// would do all the work).

import type { CheckedProgram, Rule } from "../../lang/model.js";
import type { ProgramRunner, StratumRun } from "../eval/program-runner.js";
import { clusterLimits, type Exchange, type ShardPlan } from "../../distributed/shard-plan.js";
import { choosePlacement, type Placement, shapeDriver, shapeOf } from "./placement.js";
import { statsOf } from "./placement-stats.js";
import { pureSource } from "./purity.js";

export interface ExchangePlan {
  readonly shards: ShardPlan;
  /** The relations the nodes are sent: the stratum's and those its rules read. */
  readonly sent: ReadonlySet<string>;
}

/** The relations rules read that `own` does not hold. */
function readsOf(rules: readonly Rule[], runner: ProgramRunner, own: ReadonlySet<string>, plan: StratumRun): string[] {
  const reads = new Set<string>();
  for (const v of plan.step) for (const n of v.compiled.relations) if (!own.has(n)) reads.add(n);
  for (const r of rules) for (const l of r.body) if (l.kind === "atom" && !own.has(l.relation)) reads.add(l.relation);
  return [...reads].filter((n) => runner.program.relations.has(n));
}

/**
 * The plan for stratum `index` (`plan`) on `nodes` thread nodes, or undefined
 * when it does not qualify; without `nodes`, whether it can (the placement
 * then ignores the data).
 */
export function planExchange(runner: ProgramRunner, plan: StratumRun, index: number, nodes?: number): ExchangePlan | undefined {
  const program = runner.program;
  const own = new Set(plan.stratum.relations);
  const rules = [...new Set(plan.step.map((v) => v.rule))];
  const names = [...plan.stratum.relations, ...readsOf(rules, runner, own, plan)];
  const sub: CheckedProgram = { ...program, rules, relations: new Map(names.map((n) => [n, program.relations.get(n)!])) };
  // Versions that call anything but arithmetic helpers stay on the calling thread, as in the other modes: a
  // symbol made on a node would be charged to its share of the memory budget, not to the run's.
  if (!plan.step.every((v) => pureSource(v.compiled.source)) || clusterLimits(sub).length > 0) return undefined;
  const rel = (n: string) => runner.relation(n);
  const keyArity = (n: string) => rel(n).arity - (rel(n).lattice ? 1 : 0);
  const stats = nodes === undefined ? undefined : statsOf(names.map(rel), nodes);
  const chosen = choosePlacement(names, rules, keyArity, stats, true);
  if (!chosen) return undefined;
  const all = new Set(names);
  const placement = new Map<string, Placement>([...program.relations.keys()].map((n) => [n, chosen.get(n) ?? { kind: "replicated" }]));
  const exchanges: Exchange[] = [];
  const everywhere: Rule[] = [];
  for (const rule of rules) {
    const d = shapeDriver(shapeOf(rule, all, true), placement);
    const p = placement.get(rule.head.relation)!;
    if (d === null) everywhere.push(rule);
    else if (p.kind === "replicated") exchanges.push({ rule, to: "everyone" });
    else {
      const t = rule.head.args[p.column];
      if (!(typeof d === "string" && t?.kind === "var" && t.name === d)) exchanges.push({ rule, to: "owner" });
    }
  }
  // Rules that one node alone would run make the exchange pointless.
  if (everywhere.length === rules.length) return undefined;
  // Pure versions call no autoinc(): no rule is node 0's alone.
  const shards: ShardPlan = {
    nodes: nodes ?? 2,
    placement,
    exchanges,
    everywhere,
    solo: [],
    phases: [{ upTo: index + 1, freezes: [], grows: [] }],
  };
  return { shards, sent: new Set(names) };
}
