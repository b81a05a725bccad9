// The dataflow graph drawn as SVG in the page, as `cairn graph` draws it with
// Graphviz: a box per stratum (red when a barrier precedes it), relations as
// rounded boxes (inputs filled, outputs doubled), rules as ovals, each in its
// class's colour, freeze edges red and dashed, threshold edges purple, edge
// labels. The layout (ranks left to right, strata as compound nodes) is
// dagre's.

import dagre from "@dagrejs/dagre";
import type { Graph, GraphNode } from "../lang/calm/graph.js";
import { COLOUR } from "../lang/calm/graph-dot.js";

const SVG = "http://www.w3.org/2000/svg";
const FONT = 12;
const CHAR = 7;

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function size(n: GraphNode): { width: number; height: number } {
  const chars = Math.max(n.name.length, n.detail.length);
  return n.kind === "relation" ? { width: chars * CHAR + 24, height: 40 } : { width: chars * CHAR * 0.9 + 40, height: 40 };
}

/** `g` laid out with ranks running `rankdir`. */
function laidOut(g: Graph, rankdir: "LR" | "TB") {
  const layout = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  layout.setGraph({ rankdir, nodesep: 18, ranksep: 46, marginx: 12, marginy: 12 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) layout.setNode(n.id, size(n));
  for (const c of g.clusters) {
    if (c.nodes.length === 0) continue;
    const id = `stratum_${c.stratum}`;
    layout.setNode(id, { paddingTop: 24 });
    for (const n of c.nodes) layout.setParent(n, id);
  }
  g.edges.forEach((e, i) => {
    const label = e.label ? { width: e.label.length * 6 + 6, height: 14, labelpos: "c" } : {};
    layout.setEdge(e.from, e.to, { ...label }, `e${i}`);
  });
  dagre.layout(layout);
  return layout;
}

/**
 * Draws `g` into a new SVG element: ranks left to right as `cairn graph` lays
 * them out, or top to bottom where that shows the graph larger in `room`.
 */
export function drawGraph(g: Graph, room: { width: number; height: number }): SVGSVGElement {
  const scale = (l: ReturnType<typeof laidOut>) => {
    const b = l.graph();
    return Math.min(1, room.width / (b.width || 1), room.height / (b.height || 1));
  };
  const wide = laidOut(g, "LR");
  const tall = laidOut(g, "TB");
  const layout = scale(tall) > scale(wide) * 1.2 ? tall : wide;
  const box = layout.graph();
  const width = box.width ?? 0;
  const height = box.height ?? 0;
  const svg = el("svg", {
    xmlns: SVG,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: "dataflow",
    "font-family": "Helvetica, Arial, sans-serif",
  });
  const defs = el("defs", {}, svg);
  const markers: [string, string][] = [
    ["plain", "#24292f"],
    ["freeze", COLOUR["non-monotone"]],
    ["threshold", COLOUR.threshold],
  ];
  for (const [name, colour] of markers) {
    const m = el(
      "marker",
      { id: `arrow-${name}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      defs,
    );
    el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: colour }, m);
  }
  for (const c of g.clusters) {
    if (c.nodes.length === 0) continue;
    const n = layout.node(`stratum_${c.stratum}`);
    const grp = el("g", { class: `stratum${c.barrier ? " barrier" : ""}`, "data-stratum": c.stratum }, svg);
    el(
      "rect",
      {
        x: n.x - n.width / 2,
        y: n.y - n.height / 2,
        width: n.width,
        height: n.height,
        rx: 8,
        fill: "none",
        stroke: c.barrier ? COLOUR["non-monotone"] : "#8c959f",
        "stroke-dasharray": "5 3",
      },
      grp,
    );
    const label = el(
      "text",
      { x: n.x - n.width / 2 + 8, y: n.y - n.height / 2 + 15, "font-size": 11, fill: c.barrier ? COLOUR["non-monotone"] : "#57606a" },
      grp,
    );
    label.textContent = `stratum ${c.stratum}${c.recursive ? " (recursive)" : ""}${c.barrier ? ": barrier first" : ""}`;
  }
  g.edges.forEach((e, i) => {
    const laid = layout.edge({ v: e.from, w: e.to, name: `e${i}` });
    const points: { x: number; y: number }[] = laid.points ?? [];
    const colour = e.mode === "freeze" ? COLOUR["non-monotone"] : e.mode === "threshold" ? COLOUR.threshold : "#24292f";
    const marker = e.mode === "freeze" ? "freeze" : e.mode === "threshold" ? "threshold" : "plain";
    const grp = el("g", { class: `edge ${e.mode}`, "data-from": e.from, "data-to": e.to }, svg);
    el(
      "path",
      {
        d: points.map((p, k) => `${k === 0 ? "M" : "L"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" "),
        fill: "none",
        stroke: colour,
        "stroke-width": e.mode === "freeze" ? 2 : 1.2,
        ...(e.mode === "freeze" ? { "stroke-dasharray": "6 4" } : {}),
        "marker-end": `url(#arrow-${marker})`,
      },
      grp,
    );
    if (e.label && laid.x !== undefined && laid.y !== undefined) {
      const w = e.label.length * 5.4 + 6;
      el("rect", { x: laid.x - w / 2, y: laid.y - 7, width: w, height: 14, fill: "#ffffff", opacity: 0.9 }, grp);
      const t = el("text", { x: laid.x, y: laid.y + 4, "font-size": 10, "text-anchor": "middle", fill: colour }, grp);
      t.textContent = e.label;
    }
  });
  for (const n of g.nodes) {
    const p = layout.node(n.id);
    const colour = COLOUR[n.class];
    const grp = el("g", { class: `node ${n.kind} ${n.class}`, "data-id": n.id, "data-name": n.name }, svg);
    const title = el("title", {}, grp);
    title.textContent = `${n.name}: ${n.detail}`;
    if (n.kind === "relation") {
      const rect = { x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height, rx: 6 };
      el("rect", { ...rect, fill: n.input ? "#f6f8fa" : "#ffffff", stroke: colour, "stroke-width": 1.3 }, grp);
      if (n.output)
        el(
          "rect",
          { x: rect.x + 3, y: rect.y + 3, width: rect.width - 6, height: rect.height - 6, rx: 4, fill: "none", stroke: colour },
          grp,
        );
    } else
      el("ellipse", { cx: p.x, cy: p.y, rx: p.width / 2, ry: p.height / 2, fill: "#ffffff", stroke: colour, "stroke-width": 1.3 }, grp);
    const name = el(
      "text",
      {
        x: p.x,
        y: p.y - 2,
        "font-size": n.kind === "rule" ? FONT - 1 : FONT,
        "text-anchor": "middle",
        fill: colour,
        "font-weight": n.kind === "relation" ? "bold" : "normal",
      },
      grp,
    );
    name.textContent = n.name;
    const detail = el("text", { x: p.x, y: p.y + 12, "font-size": 10, "text-anchor": "middle", fill: colour }, grp);
    detail.textContent = n.detail;
  }
  return svg;
}
