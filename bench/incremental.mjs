#!/usr/bin/env node
// Incremental runs: load a workload's facts but hold back 2% of the edges, run
// to the fixpoint, insert half the held-back edges (1%) and run again, then the
// other half and run once more; compare each of those runs with one run from
// scratch over all the edges. The first continued run also builds the indexes
// and compiles the rule versions that reading new rows needs; the second
// shows the cost once they exist. Medians of N runs. "Changed" is the share
// of the output's keys that each increment gave a new value (or added): work
// any incremental evaluation has to do, measured once, untimed.
//   node bench/incremental.mjs [--runs N] [--only REGEX]   (after npm run build)

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../dist/index.js";
import { byKey, generated, here, median, numericFacts, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const only = new RegExp(opt("--only", "."));

const workloads = [
  { name: "sssp_200000", program: "sssp.dl", gen: ["sssp", 200000], inputs: ["edge", "source"], output: "dist" },
  { name: "apsp_1000", program: "apsp.dl", gen: ["sssp", 1000], inputs: ["edge"], output: "sp" },
  { name: "tc_random_1000", program: "tc.dl", gen: ["tc_random", 1000], inputs: ["edge"], output: "path" },
];

const now = () => performance.now();

/** How many keys of `after` are new or hold another value than in `before`. */
const changed = (before, after) => [...after].filter(([k, v]) => before.get(k) !== v).length;

console.log(`| workload | from scratch | first +1% edges | ratio | changed | second +1% edges | ratio | changed |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const w of workloads) {
  if (!only.test(w.name)) continue;
  const program = compile(readFileSync(join(here, "programs", w.program), "utf8"), { file: w.program });
  const dir = generated(w.name, ...w.gen);
  const facts = Object.fromEntries(w.inputs.map((r) => [r, numericFacts(join(dir, `${r}.facts`))]));
  const edges = facts.edge;
  // Hold back every 100th edge, and the one before it: twice 1% of the edges, spread over the graph.
  const held = edges.filter((_, i) => i % 100 === 99);
  const held2 = edges.filter((_, i) => i % 100 === 98);
  const kept = edges.filter((_, i) => i % 100 < 98);
  const scratch = [];
  const again = [];
  const later = [];
  const lattice = program.checked.relations.get(w.output).columns.at(-1).lattice !== undefined;
  let shares = [];
  for (let i = 0; i < runs; i++) {
    const full = program.database();
    for (const [r, ts] of Object.entries(facts)) full.insert(r, ts);
    let t = now();
    full.runSync();
    scratch.push(now() - t);

    const inc = program.database();
    for (const [r, ts] of Object.entries(facts)) inc.insert(r, r === "edge" ? kept : ts);
    inc.runSync();
    const at = [];
    if (i === 0) at.push(byKey(inc, w.output, lattice));
    inc.insert("edge", held);
    t = now();
    inc.runSync();
    again.push(now() - t);
    if (i === 0) at.push(byKey(inc, w.output, lattice));
    inc.insert("edge", held2);
    t = now();
    inc.runSync();
    later.push(now() - t);
    if (i === 0) {
      at.push(byKey(inc, w.output, lattice));
      shares = [changed(at[0], at[1]) / at[1].size, changed(at[1], at[2]) / at[2].size];
    }
    const out = program.checked.relations.keys();
    for (const rel of out) {
      if (inc.size(rel) !== full.size(rel)) throw new Error(`${w.name}: ${rel} differs (${inc.size(rel)} vs ${full.size(rel)})`);
    }
  }
  const s = median(scratch);
  const a = median(again);
  const b = median(later);
  const pct = (x) => `${((x / s) * 100).toFixed(1)}%`;
  const share = (x) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `| ${w.name} | ${s.toFixed(0)} ms | ${a.toFixed(0)} ms | ${pct(a)} | ${share(shares[0])} | ${b.toFixed(0)} ms | ${pct(b)} | ${share(shares[1])} |`,
  );
}
