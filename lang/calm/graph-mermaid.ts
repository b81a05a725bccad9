// The dataflow graph as a Mermaid flowchart (GitHub renders it in Markdown):
// one subgraph per stratum, freeze edges dotted and red, classes as colours.

import type { Graph, GraphNode } from "./graph.js";
import type { CalmClass } from "./types.js";

const CLASS_NAME: Record<CalmClass, string> = {
  monotone: "monotone",
  threshold: "threshold",
  "lattice-monotone": "latticeMonotone",
  "non-monotone": "nonMonotone",
};

/** Text safe inside a quoted Mermaid label. */
function esc(s: string): string {
  return s.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

function node(n: GraphNode): string {
  const label = `"${esc(n.name)}<br/><small>${esc(n.detail)}</small>"`;
  const shape = n.kind === "rule" ? `([${label}])` : n.output ? `[[${label}]]` : n.input ? `[/${label}/]` : `[${label}]`;
  return `${n.id}${shape}`;
}

export function toMermaid(g: Graph): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const lines = ["flowchart LR"];
  for (const c of g.clusters) {
    if (c.nodes.length === 0) continue;
    const label = `stratum ${c.stratum}${c.recursive ? " (recursive)" : ""}${c.barrier ? ": barrier first" : ""}`;
    lines.push(`  subgraph s${c.stratum}["${esc(label)}"]`);
    for (const id of c.nodes) lines.push(`    ${node(byId.get(id)!)}`);
    lines.push("  end");
  }
  const freeze: number[] = [];
  const threshold: number[] = [];
  g.edges.forEach((e, i) => {
    const label = e.label ? `|"${esc(e.label)}"|` : "";
    lines.push(`  ${e.from} ${e.mode === "freeze" ? "-.->" : "-->"}${label} ${e.to}`);
    if (e.mode === "freeze") freeze.push(i);
    if (e.mode === "threshold") threshold.push(i);
  });
  lines.push(
    "  classDef monotone stroke:#1a7f37,color:#1a7f37",
    "  classDef threshold stroke:#8250df,color:#8250df",
    "  classDef latticeMonotone stroke:#0969da,color:#0969da",
    "  classDef nonMonotone stroke:#cf222e,color:#cf222e",
  );
  for (const cls of Object.keys(CLASS_NAME) as CalmClass[]) {
    const ids = g.nodes.filter((n) => n.class === cls).map((n) => n.id);
    if (ids.length > 0) lines.push(`  class ${ids.join(",")} ${CLASS_NAME[cls]}`);
  }
  for (const c of g.clusters) if (c.barrier && c.nodes.length > 0) lines.push(`  style s${c.stratum} stroke:#cf222e`);
  if (freeze.length > 0) lines.push(`  linkStyle ${freeze.join(",")} stroke:#cf222e,stroke-width:2px`);
  if (threshold.length > 0) lines.push(`  linkStyle ${threshold.join(",")} stroke:#8250df`);
  return lines.join("\n") + "\n";
}
