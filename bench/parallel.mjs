#!/usr/bin/env node
// Parallel evaluation: `cairn run -j N` against `-j 1` on the same facts, side
// by side in one run (runs interleaved, so drift in the machine's load hits
// both alike). Reports medians of whole-process wall time and of the
// `evaluate` phase (--stats), CPU time, and checks every output against -j 1.
// A probe measures how much two threads can run at once on this machine right
// now (the ceiling any -j 2 speedup is under when others share the machine).
//
//   npm run build && node bench/parallel.mjs [--runs N] [--jobs 1,2] [--only REGEX]

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { args, cli, here, median, opt, root } from "./lib.mjs";
import { WORKLOADS } from "./parallel-workloads.mjs";

const runs = Number(opt("--runs", "5"));
const jobs = opt("--jobs", "1,2").split(",").map(Number);
const only = new RegExp(opt("--only", "."));
const out = join(here, ".out", "parallel");

/** Hash of every output file's sorted lines, to compare runs. */
function digest(dir) {
  const h = createHash("sha256");
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f), "utf8").split("\n").sort().join("\n"));
  return h.digest("hex").slice(0, 12);
}

function runOnce(w, facts, j) {
  const dest = join(out, `${w.name}-j${j}`);
  rmSync(dest, { recursive: true, force: true });
  const argv = [cli, "run", join(root, w.program), "-F", facts, "-D", dest, "--stats", "-j", String(j)];
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...argv], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${w.name} -j ${j} failed: ${r.stderr}`);
  const ev = /evaluate (\d+) ms/.exec(r.stderr);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, evaluate: Number(ev[1]) / 1000, cpu: Number(cpu[1]) + Number(cpu[2]), digest: digest(dest) };
}

/** Two threads' throughput over one's on a fixed integer loop, now: 2.0 on an idle machine with two free cores. */
async function ceiling() {
  const code = `const { parentPort } = require("node:worker_threads");
    parentPort.on("message", () => { let x = 7; const t = performance.now();
      for (let i = 0; i < 2e7; i++) x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i;
      parentPort.postMessage([performance.now() - t, x]); });`;
  const ws = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  const run = (w) =>
    new Promise((r) => {
      w.once("message", (m) => r(m[0]));
      w.postMessage(0);
    });
  await run(ws[0]);
  await run(ws[1]);
  const alone = await run(ws[0]);
  const both = await Promise.all(ws.map(run));
  await Promise.all(ws.map((w) => w.terminate()));
  return (2 * alone) / Math.max(...both);
}

mkdirSync(out, { recursive: true });
console.log(
  `node ${process.version}, ${jobs.map((j) => `-j ${j}`).join(" vs ")}, median of ${runs} interleaved runs each; command: node bench/parallel.mjs ${args.join(" ")}`.trim(),
);
const rows = [];
for (const w of WORKLOADS) {
  if (!only.test(w.name)) continue;
  const facts = w.facts();
  const samples = new Map(jobs.map((j) => [j, []]));
  const ceilings = [];
  for (let i = 0; i < runs; i++) {
    ceilings.push(await ceiling());
    for (const j of jobs) samples.get(j).push(runOnce(w, facts, j));
  }
  const base = samples.get(jobs[0]);
  const ok = [...samples.values()].every((ss) => ss.every((s) => s.digest === base[0].digest));
  const m = (j, k) => median(samples.get(j).map((s) => s[k]));
  rows.push({
    name: w.name,
    jobs: jobs.map((j) => ({ j, wall: m(j, "wall"), evaluate: m(j, "evaluate"), cpu: m(j, "cpu") })),
    ok,
    ceiling: median(ceilings),
  });
  process.stderr.write(`${w.name}: ${jobs.map((j) => `-j ${j} ${m(j, "wall").toFixed(2)} s`).join(", ")}\n`);
}
const b = (r) => r.jobs[0];
console.log(
  `\n| workload | ${jobs.map((j) => `-j ${j} wall (evaluate) / CPU`).join(" | ")} | ${jobs
    .slice(1)
    .map((j) => `speedup -j ${j}: wall (evaluate)`)
    .join(" | ")} | 2-thread ceiling now | outputs |`,
);
console.log(
  `|---|${jobs.map(() => "---|").join("")}${jobs
    .slice(1)
    .map(() => "---|")
    .join("")}---|---|`,
);
for (const r of rows) {
  const cells = r.jobs.map((x) => `${x.wall.toFixed(2)} s (${x.evaluate.toFixed(2)} s) / ${x.cpu.toFixed(2)} s`);
  const speed = r.jobs.slice(1).map((x) => `${(b(r).wall / x.wall).toFixed(2)}× (${(b(r).evaluate / x.evaluate).toFixed(2)}×)`);
  console.log(`| ${r.name} | ${cells.join(" | ")} | ${speed.join(" | ")} | ${r.ceiling.toFixed(2)}× | ${r.ok ? "same" : "DIFFER"} |`);
}
