#!/usr/bin/env node
// Database.insert through the embedded API: a million tuples of plain
// numbers, of symbols, and of a min<number> lattice column, each into a fresh
// database; median nanoseconds per row over --runs N (5).
//   npm run build && node bench/insert.mjs [--runs N]

import { compile } from "../dist/index.js";
import { median, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const N = 1_000_000;
const program = compile(`.decl e(x: number, y: number)\n.decl s(x: symbol, y: number)\n.decl d(x: number, v: min<number>)`);
const cases = [
  ["e (number, number)", "e", Array.from({ length: N }, (_, i) => [i, (i * 7) % 1000])],
  ["s (symbol, number)", "s", Array.from({ length: N }, (_, i) => [`n${i % 50000}`, i])],
  ["d (number, min<number>)", "d", Array.from({ length: N }, (_, i) => [i % 100000, i])],
];
console.log(`| relation | ns per row (median of ${runs}) |`);
console.log(`|---|---|`);
for (const [label, rel, rows] of cases) {
  const times = [];
  for (let k = 0; k < runs; k++) {
    const db = program.database();
    const t = performance.now();
    db.insert(rel, rows);
    times.push(((performance.now() - t) * 1e6) / N);
  }
  console.log(`| ${label} | ${median(times).toFixed(0)} |`);
}
