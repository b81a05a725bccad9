// The CALM analysis: which results of a program are safe without coordination.
// Browser-safe; the CLI's `analyze` and `graph` commands render what it returns.

export { analyze } from "./analyze.js";
export { latticeRewriteNote } from "./rewrite.js";
export { renderAnalysis, type TextOptions } from "./render-text.js";
export { buildGraph, type Graph, type GraphCluster, type GraphEdge, type GraphNode } from "./graph.js";
export { toDot } from "./graph-dot.js";
export { toMermaid } from "./graph-mermaid.js";
export { CLASS_ORDER, weaker } from "./types.js";
export type {
  Analysis,
  CalmClass,
  CycleEdge,
  FreezeCycle,
  FreezeKind,
  FreezePoint,
  OutputAnalysis,
  ReadMode,
  Reason,
  RelationAnalysis,
  RuleAnalysis,
  RuleRead,
  StratumAnalysis,
} from "./types.js";
