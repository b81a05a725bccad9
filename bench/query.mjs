#!/usr/bin/env node
// Database.query() and lookup() through the embedded API on a transitive
// closure (a random graph of 400 nodes and 800 edges):
// the first query (checked, planned, compiled), later ones of the same text,
// a lookup of the same tuples, and the same by filtering tuples(). Median
// microseconds over --runs N (5).
//   npm run build && node bench/query.mjs [--runs N]

import { compile } from "../dist/index.js";
import { median, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const program = compile(`
.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`);
let seed = 1;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const edges = Array.from({ length: 800 }, () => [rand(400), rand(400)]);
const db = program.database();
db.insert("edge", edges);
db.runSync();
const time = (f) => {
  const t = performance.now();
  const n = f();
  return [(performance.now() - t) * 1000, n];
};
const rows = {};
// The node with the most paths out of it.
const from = db.rows("path").reduce((count, r) => count.set(r.x, (count.get(r.x) ?? 0) + 1), new Map());
const node = [...from].sort((a, b) => b[1] - a[1])[0][0];
const cases = {
  "first query(), a new text each run": (k) => time(() => db.query(`path(${k}, x), x != ${k + 1000}`).length),
  "query() of a text asked before": () => time(() => db.query(`path(${node}, x)`).length),
  "lookup() of the same tuples": () => time(() => db.lookup("path", [node, undefined]).length),
  "tuples() filtered": () => time(() => db.tuples("path").filter((t) => t[0] === node).length),
};
db.query(`path(${node}, x)`);
console.log(`${db.size("path")} paths; path(${node}, x) has ${db.query(`path(${node}, x)`).length} answers`);
console.log(`| operation | µs (median of ${runs}) |`);
console.log("|---|---|");
for (const [label, f] of Object.entries(cases)) {
  const times = [];
  for (let k = 0; k < runs; k++) times.push(f(k)[0]);
  rows[label] = median(times);
  console.log(`| ${label} | ${rows[label].toFixed(0)} |`);
}
