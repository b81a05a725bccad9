#!/usr/bin/env node
// Two builds of Cairn on the parallel workloads (bench/parallel-workloads.mjs)
// at one -j, runs interleaved (so drift in the machine's load hits both
// alike): this tree's dist/cairn.mjs against another tree's (a checkout of an
// earlier commit, built). Reports medians of whole-process wall time, of the
// `evaluate` phase (--stats) and of CPU time (user + system: the measure that
// holds up when other work shares the cores), the load average before and
// after, and checks that both builds' outputs agree. The environment passes
// through, so `CAIRN_PARALLEL_MODES=exchange` compares exchange mode.
//
//   npm run build && node bench/parallel-ab.mjs --base DIR [--runs N] [--jobs J] [--only REGEX]

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { args, cli, here, median, opt, root } from "./lib.mjs";
import { WORKLOADS } from "./parallel-workloads.mjs";

const base = opt("--base", "");
if (!base) throw new Error("--base DIR: the other tree, built (npm run build there)");
const runs = Number(opt("--runs", "5"));
const jobs = opt("--jobs", "2");
const only = new RegExp(opt("--only", "."));
const builds = { base: join(resolve(base), "dist/cairn.mjs"), this: cli };
const out = join(here, ".out", "parallel-ab");

function digest(dir) {
  const h = createHash("sha256");
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f), "utf8").split("\n").sort().join("\n"));
  return h.digest("hex").slice(0, 12);
}

function runOnce(w, facts, build) {
  const dest = join(out, `${w.name}-${build}`);
  rmSync(dest, { recursive: true, force: true });
  const argv = [builds[build], "run", join(root, w.program), "-F", facts, "-D", dest, "--stats", "-j", jobs];
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...argv], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${w.name} (${build}) failed: ${r.stderr}`);
  const ev = /evaluate (\d+) ms/.exec(r.stderr);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, evaluate: Number(ev[1]) / 1000, cpu: Number(cpu[1]) + Number(cpu[2]), digest: digest(dest) };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
mkdirSync(out, { recursive: true });
console.log(
  `node ${process.version}, -j ${jobs}, median of ${runs} interleaved runs each; load average ${load()}; command: node bench/parallel-ab.mjs ${args.join(" ")}`,
);
console.log(`CAIRN_PARALLEL_MODES=${process.env.CAIRN_PARALLEL_MODES ?? "(default)"}\n`);
console.log("| workload | base wall (evaluate) / CPU | this wall (evaluate) / CPU | CPU this / base | outputs |");
console.log("|---|---|---|---|---|");
for (const w of WORKLOADS) {
  if (!only.test(w.name)) continue;
  const facts = w.facts();
  const s = { base: [], this: [] };
  for (let i = 0; i < runs; i++) for (const b of ["base", "this"]) s[b].push(runOnce(w, facts, b));
  const m = (b, k) => median(s[b].map((x) => x[k]));
  const cell = (b) => `${m(b, "wall").toFixed(2)} s (${m(b, "evaluate").toFixed(2)} s) / ${m(b, "cpu").toFixed(2)} s`;
  const same = [...s.base, ...s.this].every((x) => x.digest === s.base[0].digest);
  console.log(
    `| ${w.name} | ${cell("base")} | ${cell("this")} | ${(m("this", "cpu") / m("base", "cpu")).toFixed(2)}× | ${same ? "same" : "DIFFER"} |`,
  );
}
console.log(`\nload average after: ${load()}`);
