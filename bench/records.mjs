#!/usr/bin/env node
// Records cost little: the 2-call-site-sensitive points-to analysis whose
// contexts and objects are records (bench/programs/cspta_records.dl), on facts
// from bench/gen-cspta.mjs, run by Cairn and by Soufflé's interpreter in one
// run, alternating run by run. Reports the median wall time and the largest
// peak RSS of each (/usr/bin/time), their ratios, and checks that both wrote
// the same outputs (each file compared as a sorted list of lines).
//
//   node bench/records.mjs --souffle PATH [--methods N] [--runs N]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generate } from "./gen-cspta.mjs";
import { cli, dataDir, here, median, opt, prepared } from "./lib.mjs";

const souffle = opt("--souffle", undefined);
const methods = Number(opt("--methods", "6000"));
const runs = Number(opt("--runs", "3"));
if (!souffle) {
  console.error("usage: node bench/records.mjs --souffle PATH [--methods N] [--runs N]");
  process.exit(2);
}
const program = join(here, "programs", "cspta_records.dl");
const facts = prepared(join(dataDir, `cspta-${methods}`), (dir) => generate(methods, dir));
const factCount = readdirSync(facts)
  .filter((f) => f.endsWith(".facts"))
  .reduce((n, f) => n + readFileSync(join(facts, f), "utf8").split("\n").filter(Boolean).length, 0);
const outDir = join(here, ".out", "records");

/** One timed run of `argv` under /usr/bin/time: seconds and peak RSS in MiB. */
function timed(argv, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...argv], { encoding: "utf8", maxBuffer: 1 << 28 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv[0]} failed: ${r.stderr.trim().slice(0, 400)}`);
  return { secs, mib: Number(r.stderr.trim().split("\n").pop()) / 1024 };
}

const sides = {
  cairn: (out) => [process.execPath, cli, "run", program, "-F", facts, "-D", out],
  souffle: (out) => [souffle, "-j1", "-F", facts, "-D", out, program],
};
const samples = { cairn: [], souffle: [] };
for (let i = 0; i < runs; i++) {
  for (const [name, argv] of Object.entries(sides)) samples[name].push(timed(argv(join(outDir, name)), join(outDir, name)));
}

// The same outputs: every file of either side, as sorted lines.
const files = new Set([...readdirSync(join(outDir, "cairn")), ...readdirSync(join(outDir, "souffle"))]);
const lines = (side, f) => {
  const p = join(outDir, side, f);
  return existsSync(p) ? readFileSync(p, "utf8").split("\n").filter(Boolean).sort() : undefined;
};
const differing = [...files].filter((f) => JSON.stringify(lines("cairn", f)) !== JSON.stringify(lines("souffle", f)));
const tuples = [...files].reduce((n, f) => n + (lines("cairn", f)?.length ?? 0), 0);

const row = (name) => {
  const s = samples[name];
  return { secs: median(s.map((x) => x.secs)), mib: Math.max(...s.map((x) => x.mib)) };
};
const c = row("cairn");
const s = row("souffle");
console.log(`cspta_records.dl: ${methods} methods, ${factCount} input facts, ${tuples} output tuples, ${runs} runs each`);
console.log(`| engine | wall (median) | peak RSS |`);
console.log(`|---|---|---|`);
console.log(`| Cairn | ${c.secs.toFixed(2)} s | ${c.mib.toFixed(0)} MiB |`);
console.log(`| Soufflé interpreter (-j1) | ${s.secs.toFixed(2)} s | ${s.mib.toFixed(0)} MiB |`);
console.log(`| Cairn / Soufflé | ${(c.secs / s.secs).toFixed(2)}× | ${(c.mib / s.mib).toFixed(2)}× |`);
console.log(differing.length === 0 ? `outputs: the same ${files.size} files` : `outputs DIFFER: ${differing.join(", ")}`);
process.exit(differing.length === 0 ? 0 : 1);
