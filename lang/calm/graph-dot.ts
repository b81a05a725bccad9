// The dataflow graph in Graphviz's DOT: one cluster per stratum (red when a
// barrier precedes it), relations as boxes, rules as ovals, freeze edges red
// and dashed, threshold edges labelled.

import type { Graph, GraphEdge, GraphNode } from "./graph.js";
import type { CalmClass } from "./types.js";

/** Each class's colour (the playground draws with the same). */
export const COLOUR: Record<CalmClass, string> = {
  monotone: "#1a7f37",
  threshold: "#8250df",
  "lattice-monotone": "#0969da",
  "non-monotone": "#cf222e",
};

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function node(n: GraphNode): string {
  const label = `${n.name}\\n${n.detail}`.replace(/"/g, '\\"');
  const attrs =
    n.kind === "relation"
      ? [
          `shape=box`,
          `style="rounded${n.input ? ",filled" : ""}"`,
          ...(n.input ? [`fillcolor="#f6f8fa"`] : []),
          ...(n.output ? ["peripheries=2"] : []),
        ]
      : [`shape=oval`, `fontsize=10`];
  return `    ${n.id} [label="${label}", color="${COLOUR[n.class]}", fontcolor="${COLOUR[n.class]}", ${attrs.join(", ")}];`;
}

function edge(e: GraphEdge): string {
  const attrs: string[] = [];
  if (e.mode === "freeze") attrs.push(`color="${COLOUR["non-monotone"]}"`, "style=dashed", "penwidth=2");
  if (e.mode === "threshold") attrs.push(`color="${COLOUR.threshold}"`);
  if (e.label) attrs.push(`label=${quote(e.label)}`, "fontsize=9");
  return `  ${e.from} -> ${e.to}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`;
}

export function toDot(g: Graph, title = "cairn"): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const lines = [`digraph ${quote(title)} {`, "  rankdir=LR;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  for (const c of g.clusters) {
    if (c.nodes.length === 0) continue;
    const label = `stratum ${c.stratum}${c.recursive ? " (recursive)" : ""}${c.barrier ? ": barrier first" : ""}`;
    lines.push(
      `  subgraph cluster_${c.stratum} {`,
      `    label=${quote(label)};`,
      '    style="rounded,dashed";',
      `    color="${c.barrier ? COLOUR["non-monotone"] : "#8c959f"}";`,
    );
    for (const id of c.nodes) lines.push(node(byId.get(id)!));
    lines.push("  }");
  }
  for (const e of g.edges) lines.push(edge(e));
  lines.push("}");
  return lines.join("\n") + "\n";
}
