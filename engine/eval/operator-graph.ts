// The dataflow graph at the level of operators (`cairn graph --operators`) of
// a checked program: the rule-level graph's relations, with every rule
// version's pipeline planned as it is before any data (engine/plan/graph.ts
// draws the plans). Planning runs no rule, so the program's `.functor`s need
// no implementation here.

import type { Graph } from "../../lang/calm/graph.js";
import type { Analysis } from "../../lang/calm/types.js";
import type { CheckedProgram } from "../../lang/model.js";
import { operatorGraph } from "../plan/graph.js";
import type { UserFunctor } from "./functors.js";
import { ProgramRunner } from "./program-runner.js";

const unplanned: UserFunctor = () => {
  throw new Error("a functor called while planning");
};

/** A runner that plans `checked` without running it: its `.functor`s stand in for implementations it never calls (also `cairn graph --shards`). */
export function planningRunner(checked: CheckedProgram): ProgramRunner {
  const functors = Object.fromEntries([...(checked.functors?.keys() ?? [])].map((name) => [name, unplanned]));
  return new ProgramRunner(checked, { functors });
}

export function operatorsOf(rules: Graph, analysis: Analysis, checked: CheckedProgram): Graph {
  const classes = new Map(analysis.rules.map((r) => [r.id, r.class]));
  return operatorGraph(planningRunner(checked).stratumPlans(), {
    relations: rules.nodes.filter((n) => n.kind === "relation"),
    classOfRule: (id) => classes.get(id) ?? "monotone",
    barrier: (stratum) => analysis.strataInfo.find((s) => s.index === stratum)?.barrier ?? false,
  });
}
