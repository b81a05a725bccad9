#!/usr/bin/env node
// Whole-process benchmarks against Soufflé's measured figures: for each
// workload, generate its facts (../shared/bench/gen.py, or bench/gen-skewed.mjs
// for the skewed-join ones), run `cairn run` several times, and report the
// median wall time, the peak memory (the child's own maxRSS), and the ratios to
// Soufflé's interpreter. Also checks the tuple count of each output listed.
//
//   node bench/run.mjs [--runs N] [--only REGEX] [--shared DIR] [--souffle PATH] [--baseline CLI]
//
// --souffle runs a local Soufflé binary on the same facts in the same run, for
// a side-by-side comparison on this machine. --baseline runs another build of
// Cairn (its dist/cairn.mjs) on every workload too, alternating run by run with
// this one, and gives the speed-up over it: two versions compared in one run.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, generated, here, median, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const only = new RegExp(opt("--only", "."));
const shared = opt("--shared", "../shared/bench");
const souffle = opt("--souffle", undefined);
const baseline = opt("--baseline", undefined);
const figures = JSON.parse(readFileSync(join(here, "souffle-figures.json"), "utf8"));
const outDir = join(here, ".out");

function countLines(file) {
  if (!existsSync(file)) return -1;
  const t = readFileSync(file, "utf8");
  return t.length === 0 ? 0 : t.split("\n").length - (t.endsWith("\n") ? 1 : 0);
}

function timeCairn(program, facts, out, build = cli) {
  rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [build, "run", program, "-F", facts, "-D", out, "--stats"], { encoding: "utf8" });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) return { error: (r.stderr || "").trim().split("\n").slice(0, 3).join(" | ") };
  const m = /peak rss (\d+) MiB/.exec(r.stderr);
  if (!m) return { error: `no statistics in the output: ${r.stderr.trim().slice(0, 200)}` };
  return { secs, mib: Number(m[1]) };
}

function timeSouffle(program, facts, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", souffle, "-j1", "-F", facts, "-D", out, program], { encoding: "utf8" });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) return { error: r.stderr.trim() };
  const kb = Number(r.stderr.trim().split("\n").pop());
  return { secs, mib: kb / 1024 };
}

// A workload Soufflé measured with its subsumption program (souffleProgram) runs
// twice: as Cairn writes it (a min<number> column), and as Soufflé writes it,
// which Cairn reads as the same lattice (lang/check/subsumption.ts).
const variants = Object.entries(figures.workloads).flatMap(([name, w]) => [
  { name, w, program: w.program },
  ...(w.souffleProgram ? [{ name: `${name} (Soufflé's ${w.souffleProgram})`, w, program: w.souffleProgram, key: name }] : []),
]);

const rows = [];
for (const { name, w, program: file, key } of variants) {
  if (!only.test(name)) continue;
  const facts = generated(key ?? name, ...w.gen, shared);
  const program = join(here, "programs", file);
  const out = join(outDir, key ? `${key}.souffle-program` : name);
  const samples = [];
  const before = [];
  let failure;
  for (let i = 0; i < runs; i++) {
    const s = timeCairn(program, facts, out);
    if (s.error) {
      failure = s.error;
      break;
    }
    samples.push(s);
    if (baseline) before.push(timeCairn(program, facts, `${out}.baseline`, baseline));
  }
  const row = { name, souffle: w.interpreter, compiled: w.compiled };
  if (before.length > 0 && !before.some((b) => b.error)) row.baseline = median(before.map((b) => b.secs));
  if (failure) {
    row.failure = failure;
  } else {
    row.secs = median(samples.map((s) => s.secs));
    row.mib = Math.max(...samples.map((s) => s.mib));
    // `output` lists one or more relations, each followed by its expected tuple count.
    const checks = [];
    for (let i = 0; i < w.output.length; i += 2) {
      const [rel, expected] = w.output.slice(i, i + 2);
      checks.push({ rel, count: countLines(join(out, `${rel}.csv`)), expected });
    }
    row.count = checks[0].count;
    row.countOk = checks.every((c) => c.count === c.expected);
    row.wrong = checks.filter((c) => c.count !== c.expected).map((c) => `${c.rel} ${c.count}`);
  }
  if (souffle && !key) {
    const sp = join(here, "programs", w.souffleProgram ?? w.program);
    const ss = [];
    for (let i = 0; i < runs; i++) ss.push(timeSouffle(sp, facts, join(outDir, `${name}.souffle`)));
    if (!ss.some((s) => s.error)) row.local = [median(ss.map((s) => s.secs)), Math.max(...ss.map((s) => s.mib))];
  }
  rows.push(row);
  process.stderr.write(`${name}: ${row.failure ?? `${row.secs.toFixed(2)} s, ${row.mib} MiB, ${row.count} tuples`}\n`);
}

const fmt = (x, d = 2) => (x === undefined ? "–" : x.toFixed(d));
console.log(
  `\nCairn, median of ${runs} runs, whole process (node ${process.version}); Soufflé 2.5 interpreter figures from souffle-figures.json${souffle ? " and a local Soufflé run" : ""}.\n`,
);
const base = baseline ? " baseline | speed-up |" : "";
console.log(
  `| workload | Cairn time | Cairn peak |${base} Soufflé interp. | Soufflé compiled | ratio to interp. | ratio to compiled | memory ratio | output check |${souffle ? " local Soufflé |" : ""}`,
);
console.log(`|---|---|---|${baseline ? "---|---|" : ""}---|---|---|---|---|---|${souffle ? "---|" : ""}`);
for (const r of rows) {
  const [st, sm] = r.souffle;
  const [ct, cm] = r.compiled ?? [];
  const local = souffle ? ` ${r.local ? `${fmt(r.local[0])} s / ${fmt(r.local[1], 0)} MiB` : "–"} |` : "";
  const vs = baseline
    ? ` ${r.baseline ? `${fmt(r.baseline)} s` : "–"} | ${r.baseline && r.secs ? `${fmt(r.baseline / r.secs)}×` : "–"} |`
    : "";
  if (r.failure) {
    console.log(`| ${r.name} | failed: ${r.failure} | |${vs} ${st} s / ${sm} MiB | | | | | |${local}`);
    continue;
  }
  const compiled = ct === undefined ? "–" : `${ct} s / ${cm} MiB`;
  console.log(
    `| ${r.name} | ${fmt(r.secs)} s | ${r.mib} MiB |${vs} ${st} s / ${sm} MiB | ${compiled} | ${fmt(r.secs / st)}× | ${ct ? `${fmt(r.secs / ct)}×` : "–"} | ${fmt(r.mib / sm, 1)}× | ${r.countOk ? "ok" : `WRONG (${r.wrong.join(", ")})`} |${local}`,
  );
}
