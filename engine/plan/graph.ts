// The dataflow graph drawn at the level of operators (`cairn graph
// --operators`): each rule version's pipeline as a chain of operator nodes —
// scans and probes fed by the relations they read, filters, negations,
// aggregates, and the insert (the LVar write) into its head relation. Edges
// into an operator that reads a relation its stratum waits for (a negation,
// an aggregate's body, a read of a relation frozen before the stratum) are
// freeze edges; the others are monotone. Relations keep the class the CALM
// analysis gave them; strata are grouped as in the rule-level graph.

import type { Graph, GraphCluster, GraphEdge, GraphNode } from "../../lang/calm/graph.js";
import { printTerm } from "../../lang/calm/print.js";
import type { CalmClass } from "../../lang/calm/types.js";
import type { Op, RulePlan, StratumPlan } from "./ir.js";
import { rangeText } from "./print.js";
import { readsOf } from "./reads.js";

/** What the operator graph takes from the rule-level one: relation nodes (with their classes) and the barriers. */
export interface OperatorGraphInput {
  readonly relations: readonly GraphNode[];
  readonly classOfRule: (rule: number) => CalmClass;
  readonly barrier: (stratum: number) => boolean;
}

function versionName(p: RulePlan): string {
  const v = p.version;
  return v.kind === "base" ? `rule ${p.rule.id}` : `rule ${p.rule.id} ${v.kind === "delta" ? "Δ" : "new"}${v.k}`;
}

/** An operator's label: what it does and, for a read, by which key. */
function opLabel(op: Op): { name: string; detail: string } {
  switch (op.kind) {
    case "scan":
      return {
        name: `${op.exists ? "exists" : "scan"} ${op.relation}`,
        detail: op.range === "full" ? "" : op.range === "delta" ? "Δ" : "old",
      };
    case "probe":
      return {
        name: `${op.exists ? "exists" : "probe"} ${op.relation}`,
        detail: `by ${op.keys.map(printTerm).join(", ")}${rangeText(op)}`,
      };
    case "filter":
      return {
        name: "filter",
        detail:
          op.literal.kind === "compare" ? `${printTerm(op.literal.left)} ${op.literal.op} ${printTerm(op.literal.right)}` : op.literal.name,
      };
    case "bind":
      return { name: "bind", detail: `${op.variable} = ${printTerm(op.term)}` };
    case "range":
      return { name: "range", detail: op.variable ?? "" };
    case "negation":
      return { name: `not ${op.relation}`, detail: "" };
    case "aggregate":
      return { name: op.fn, detail: op.variable.startsWith("$") ? "" : op.variable };
    case "insert":
      return { name: op.lattice ? `join into ${op.relation}` : `insert ${op.relation}`, detail: "" };
    case "accumulate":
      return { name: "accumulate", detail: "" };
  }
}

/** The graph of every stratum's plans, operator by operator. */
export function operatorGraph(strata: readonly StratumPlan[], input: OperatorGraphInput): Graph {
  const relId = new Map(input.relations.map((n) => [n.name, n.id]));
  const nodes: GraphNode[] = [...input.relations];
  const edges: GraphEdge[] = [];
  const clusters: GraphCluster[] = [];
  for (const s of strata) {
    const members: string[] = s.relations.map((r) => relId.get(r)).filter((id): id is string => id !== undefined);
    const frozen = new Set(s.reads.filter((r) => r.mode === "freeze").map((r) => r.relation));
    for (const plan of [...s.base, ...s.step]) {
      const cls = input.classOfRule(plan.rule.id);
      const prefix = `o${plan.rule.id}_${plan.version.kind === "base" ? "b" : plan.version.k}`;
      let previous: string | undefined;
      plan.ops.forEach((op, i) => {
        const id = `${prefix}_${i}`;
        const { name, detail } = opLabel(op);
        nodes.push({ id, kind: "rule", name, detail: [detail, versionName(plan)].filter(Boolean).join(" · "), class: cls });
        members.push(id);
        if (previous) edges.push({ from: previous, to: id, mode: "monotone" });
        previous = id;
        // The relations this operator reads: its own, or those of an aggregate's body.
        const reads =
          op.kind === "scan" || op.kind === "probe"
            ? [{ relation: op.relation, freeze: frozen.has(op.relation) }]
            : op.kind === "negation"
              ? [{ relation: op.relation, freeze: true }]
              : op.kind === "aggregate"
                ? readsOf(op.body).map((r) => ({ relation: r.relation, freeze: true }))
                : [];
        const seen = new Set<string>();
        for (const r of reads) {
          const from = relId.get(r.relation);
          if (!from || seen.has(from)) continue;
          seen.add(from);
          edges.push({ from, to: id, mode: r.freeze ? "freeze" : "monotone", ...(r.freeze ? { label: "freeze" } : {}) });
        }
        if (op.kind === "insert") {
          const to = relId.get(op.relation);
          if (to) edges.push({ from: id, to, mode: "write" });
        }
      });
    }
    clusters.push({ stratum: s.index, recursive: s.recursive, barrier: input.barrier(s.index), nodes: members });
  }
  return { nodes, edges, clusters };
}
