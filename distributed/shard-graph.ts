// `cairn graph --shards N`: the dataflow graph with the distribution pass's
// plan drawn on it. Each relation says where its rows live (split on a
// column, or replicated); each rule's write says whether its tuples move (to
// their owner, or to every node) or stay where they are derived; a stratum
// is marked as a barrier only where the plan puts one.

import type { Graph } from "../lang/calm/graph.js";
import type { CheckedProgram } from "../lang/model.js";
import type { ShardPlan } from "./shard-plan.js";

export function shardGraph(graph: Graph, plan: ShardPlan, program: CheckedProgram): Graph {
  const solo = new Set(plan.solo.map((r) => `u${r.id}`));
  const moves = new Map(
    plan.exchanges.map((x) => [
      `u${x.rule.id}`,
      `${solo.has(`u${x.rule.id}`) ? "on node 0 alone, " : ""}${x.to === "owner" ? "exchange: to the owner" : "exchange: to every node"}`,
    ]),
  );
  const everywhere = new Set(plan.everywhere.map((r) => `u${r.id}`));
  const starts = new Set(plan.phases.slice(0, -1).map((p) => p.upTo));
  return {
    nodes: graph.nodes.map((n) => {
      if (n.kind !== "relation") return n;
      const p = plan.placement.get(n.name);
      if (!p) return n;
      const where = p.kind === "split" ? `split on ${program.relations.get(n.name)!.columns[p.column]!.name}` : "replicated";
      return { ...n, detail: n.detail ? `${n.detail}, ${where}` : where };
    }),
    edges: graph.edges.map((e) => {
      if (e.mode !== "write") return e;
      const label = moves.get(e.from) ?? (everywhere.has(e.from) ? "on every node" : "local");
      return { ...e, label };
    }),
    clusters: graph.clusters.map((c) => ({ ...c, barrier: starts.has(c.stratum) })),
  };
}
