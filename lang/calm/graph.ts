// The dataflow graph of a program: relations and rules (operators) as nodes,
// reads and writes as edges marked monotone, threshold or freeze, nodes grouped
// by stratum. The DOT and Mermaid writers draw this.

import type { CheckedProgram, MLiteral } from "../model.js";
import { ruleTerms, visitTerms } from "../model-terms.js";
import type { Analysis, CalmClass, ReadMode } from "./types.js";

export interface GraphNode {
  readonly id: string;
  readonly kind: "relation" | "rule";
  /** The relation's name, or `rule N`. */
  readonly name: string;
  /** A second line: the relation's class, or the rule's operators. */
  readonly detail: string;
  readonly class: CalmClass;
  readonly input?: boolean;
  readonly output?: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly mode: ReadMode | "write";
  readonly label?: string;
}

export interface GraphCluster {
  readonly stratum: number;
  readonly recursive: boolean;
  /** A barrier precedes this stratum. */
  readonly barrier: boolean;
  readonly nodes: readonly string[];
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly clusters: readonly GraphCluster[];
}

function operators(program: CheckedProgram | undefined, id: number): string[] {
  const rule = program?.rules[id];
  if (!rule) return [];
  const ops: string[] = [];
  const atoms = rule.body.filter((l) => l.kind === "atom").length;
  if (atoms >= 2) ops.push("join");
  if (rule.body.some((l) => l.kind === "negation")) ops.push("negation");
  const aggs = new Set<string>();
  for (const t of ruleTerms(rule))
    visitTerms(t, (s) => {
      if (s.kind === "aggregate") aggs.add(s.fn);
    });
  ops.push(...aggs);
  // A comparison filters, unless it only binds an aggregate's result (`n = count : { … }`).
  const binds = (l: MLiteral) => l.kind === "compare" && l.op === "=" && (l.left.kind === "aggregate" || l.right.kind === "aggregate");
  if (rule.body.some((l) => (l.kind === "compare" && !binds(l)) || l.kind === "test")) ops.push("filter");
  const cols = program!.relations.get(rule.head.relation)?.columns;
  if (cols?.[cols.length - 1]?.lattice) ops.push("lattice join");
  return ops;
}

const FREEZE_LABEL = {
  negation: "freeze: negation",
  aggregate: "freeze: aggregate",
  "exact-read": "freeze: exact read",
  functor: "freeze: functor",
} as const;

/** The graph of an analysis; with the checked program, rule nodes name their operators. */
export function buildGraph(a: Analysis, program?: CheckedProgram): Graph {
  const relId = new Map(a.relations.map((r, i) => [r.name, `r${i}`]));
  // Facts (rules reading nothing) are counted on their relation rather than drawn.
  const rules = a.rules.filter((r) => r.reads.length > 0);
  const facts = new Map<string, number>();
  for (const r of a.rules) if (r.reads.length === 0) facts.set(r.head, (facts.get(r.head) ?? 0) + 1);
  const detail = (r: Analysis["relations"][number]) => {
    const f = facts.get(r.name);
    return [r.class, r.lattice, f ? `${f} fact${f === 1 ? "" : "s"}` : undefined].filter(Boolean).join(", ");
  };
  const nodes: GraphNode[] = [
    ...a.relations.map((r) => ({
      id: relId.get(r.name)!,
      kind: "relation" as const,
      name: r.name,
      detail: detail(r),
      class: r.class,
      input: r.input,
      output: r.output,
    })),
    ...rules.map((r) => ({
      id: `u${r.id}`,
      kind: "rule" as const,
      name: `rule ${r.id}`,
      detail: operators(program, r.id).join(", ") || r.class,
      class: r.class,
    })),
  ];
  const drawn = new Set(rules.map((r) => r.id));
  const edges: GraphEdge[] = [];
  for (const r of rules) {
    const seen = new Set<string>();
    for (const read of r.reads) {
      const from = relId.get(read.relation);
      if (!from) continue;
      const fp =
        read.mode === "freeze"
          ? a.freezePoints.find((f) => f.rule === r.id && f.relation === read.relation && f.span.start.offset === read.span.start.offset)
          : undefined;
      const label = read.mode === "freeze" ? (fp ? FREEZE_LABEL[fp.kind] : "freeze") : read.mode === "threshold" ? "threshold" : undefined;
      const key = `${from}|${read.mode}|${label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from, to: `u${r.id}`, mode: read.mode, ...(label ? { label } : {}) });
    }
    const to = relId.get(r.head);
    if (to) edges.push({ from: `u${r.id}`, to, mode: "write" });
  }
  const clusters: GraphCluster[] = a.strataInfo.map((s) => ({
    stratum: s.index,
    recursive: s.recursive,
    barrier: s.barrier,
    nodes: [...s.relations.map((r) => relId.get(r)!).filter(Boolean), ...s.rules.filter((id) => drawn.has(id)).map((id) => `u${id}`)],
  }));
  return { nodes, edges, clusters };
}
