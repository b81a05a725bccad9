// `cairn graph PROG.dl --format dot|mermaid|svg [--operators | --shards N]`:
// the dataflow graph — relations and rules (or, with --operators, each rule
// version's operators; with --shards, the distribution pass's plan on it),
// edges marked monotone, threshold or freeze, strata grouped. SVG is drawn by
// Graphviz's `dot` when it is on PATH.

import { Option, type Command } from "commander";
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { buildGraph } from "../lang/calm/graph.js";
import { operatorsOf, planningRunner } from "../engine/eval/operator-graph.js";
import { toDot } from "../lang/calm/graph-dot.js";
import { toMermaid } from "../lang/calm/graph-mermaid.js";
import { frontOptions, loadAnalysis, type CalmCli, type FrontFlags } from "./analyze.js";
import { shardGraph } from "../distributed/shard-graph.js";
import { clusterLimits, planShards } from "../distributed/shard-plan.js";

/** The path of an executable `name` on PATH, if any. */
export function onPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const NO_DOT =
  "cairn: --format svg needs Graphviz: `dot` was not found on PATH.\n" +
  "  Install Graphviz (apt install graphviz, brew install graphviz, or https://graphviz.org/download/),\n" +
  "  or print the graph as text with --format dot or --format mermaid.\n";

export function addGraphCommand(program: Command, cli: CalmCli): void {
  frontOptions(
    program
      .command("graph")
      .description("draw the dataflow graph: relations and rules, monotone and freeze edges, strata")
      .argument("<program.dl>", "the program")
      .addOption(
        new Option("--format <format>", "dot or mermaid text, or svg (needs Graphviz)").choices(["dot", "mermaid", "svg"]).default("dot"),
      )
      .option("--operators", "draw each rule version's operators (scans, probes, filters, the insert) instead of one node per rule")
      .option(
        "--shards <n>",
        "draw the distribution pass's plan for n nodes: where each relation lives, which rules move tuples, the barriers",
      ),
  ).action((file: string, o: FrontFlags & { format: string; operators?: boolean; shards?: string }) => {
    const nodes = o.shards === undefined ? undefined : Number(o.shards);
    if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1 && nodes <= 1024)) {
      cli.io().stderr(`cairn: --shards takes a number of nodes from 1 to 1024, got "${o.shards}"\n`);
      cli.exit(2);
    }
    if (nodes !== undefined && o.operators) {
      cli.io().stderr("cairn: --shards and --operators draw different graphs: choose one\n");
      cli.exit(2);
    }
    // Fail early, before any work, when SVG cannot be drawn.
    const dot = o.format === "svg" ? onPath("dot") : undefined;
    if (o.format === "svg" && !dot) {
      cli.io().stderr(NO_DOT);
      cli.exit(2);
    }
    const { analysis, checked, sources, rejected } = loadAnalysis(cli, file, o);
    if (rejected) cli.exit(1);
    const rules = buildGraph(analysis, checked);
    let graph = rules;
    if (o.operators) graph = operatorsOf(rules, analysis, checked);
    else if (nodes !== undefined) {
      // What a cluster cannot run has no plan to draw: the same errors as `cairn run --cluster`.
      const runner = planningRunner(checked);
      // The plan does not depend on where user functors come from (run --cluster ships their module).
      const limits = clusterLimits(checked, { functors: true });
      if (limits.length > 0) {
        cli.report(limits, sources);
        cli.summary(`cairn: ${limits.length} error${limits.length === 1 ? "" : "s"} in ${file}\n`);
        cli.exit(1);
      }
      graph = shardGraph(rules, planShards(checked, runner, nodes), checked);
    }
    if (o.format === "mermaid") return cli.io().stdout(toMermaid(graph));
    const text = toDot(graph, file);
    if (o.format === "dot") return cli.io().stdout(text);
    const r = spawnSync(dot!, ["-Tsvg"], { input: text, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      cli.io().stderr(`cairn: dot failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}\n${r.stderr ?? ""}`);
      cli.exit(4);
    }
    cli.io().stdout(r.stdout);
  });
}
