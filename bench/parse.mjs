#!/usr/bin/env node
// Parser micro-benchmarks (benchmark.js): a 600-rule program and a 5,000-line
// fact program, parsed and checked in-process. Run after `npm run build`:
//   node bench/parse.mjs

import Benchmark from "benchmark";
import { parse } from "../dist/lang/parse.js";
import { compile } from "../dist/index.js";

const rules = [".decl e(x: number, y: number)"];
for (let i = 0; i < 300; i++) rules.push(`.decl r${i}(x: number, y: number)`);
for (let i = 0; i < 300; i++) {
  rules.push(`r${i}(x, y) :- e(x, z), r${(i + 1) % 300}(z, y), x != y, z < 100 + ${i}.`);
  rules.push(`r${i}(x, y) :- e(x, y).`);
}
const ruleText = rules.join("\n");
const facts = [".decl edge(a: number, b: symbol, w: float)"];
for (let i = 0; i < 5000; i++) facts.push(`edge(${i}, "node_${i}", ${i}.5). // ${i}`);
const factText = facts.join("\n");

new Benchmark.Suite()
  .add("parse 600 rules", () => parse(ruleText, "rules.dl"))
  .add("parse + check 600 rules", () => compile(ruleText, { file: "rules.dl" }))
  .add("parse 5,000 fact lines", () => parse(factText, "facts.dl"))
  .on("cycle", (e) => {
    const t = e.target;
    console.log(`${t.name}: ${(t.stats.mean * 1000).toFixed(2)} ms ±${t.stats.rme.toFixed(1)}% (${t.stats.sample.length} samples)`);
  })
  .run();
