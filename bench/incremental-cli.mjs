#!/usr/bin/env node
// Incremental runs through the command line: every 100th edge of a workload is
// held back; a run over the rest saves its state (--state), then a run over all
// the edges continues from a copy of that state. Compared with one run from
// scratch over all the edges, as whole processes (start-up, reading facts and
// the state, evaluation, writing outputs and the new state). Two ways the
// facts folder can have grown: the held-back edges appended at the end of
// edge.facts (only the new lines are parsed), or edge.facts rewritten with
// them in their original places (every line is parsed and probed). The first
// run that continues builds the indexes the catch-up rules need, which the
// state then keeps: "later" is a +1% run from a state that an earlier
// increment saved (every 100th edge but one of every 50 held back, appended
// in two steps). Medians of N runs; the evaluation alone (from --stats) too.
//
//   node bench/incremental-cli.mjs [--runs N] [--only REGEX] [--shared DIR]   (after npm run build)

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { args, cli, generated, here, median, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const only = new RegExp(opt("--only", "."));
const shared = opt("--shared", "../shared/bench");
const work = join(here, ".out", "incremental");

const workloads = [
  { name: "sssp_200000", program: "sssp.dl", gen: ["sssp", 200000] },
  { name: "apsp_1000", program: "apsp.dl", gen: ["sssp", 1000] },
  { name: "tc_random_1000", program: "tc.dl", gen: ["tc_random", 1000] },
];

/** One CLI run; returns its wall time and the evaluation time --stats printed. */
function cairn(program, facts, out, ...extra) {
  rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, "run", program, "-F", facts, "-D", out, "--stats", ...extra], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`cairn failed: ${r.stderr}`);
  if (/note:/.test(r.stderr)) throw new Error(`the state was not continued from: ${r.stderr}`);
  const evaluate = Number(/evaluate (\d+) ms/.exec(r.stderr)?.[1]);
  return { ms, evaluate, stats: r.stderr.trim() };
}

const sortedLines = (file) => readFileSync(file, "utf8").split("\n").filter(Boolean).sort().join("\n");

console.log(
  "| workload | from scratch | +1% appended | ratio | +1% in place | ratio | +1% appended, later | ratio | evaluation: scratch / appended / later | state file |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const w of workloads) {
  if (!only.test(w.name)) continue;
  const src = generated(w.name, ...w.gen, shared);
  const program = join(here, "programs", w.program);
  const dir = join(work, w.name);
  rmSync(dir, { recursive: true, force: true });
  // One facts folder, as a user's would be: its edge.facts is rewritten (untimed) before each run.
  const facts = join(dir, "facts");
  mkdirSync(facts, { recursive: true });
  if (existsSync(join(src, "source.facts"))) copyFileSync(join(src, "source.facts"), join(facts, "source.facts"));
  const lines = readFileSync(join(src, "edge.facts"), "utf8").split("\n").filter(Boolean);
  const text = (ls) => ls.map((l) => `${l}\n`).join("");
  const held = (k) => lines.filter((_, i) => i % 100 === k);
  const kept = lines.filter((_, i) => i % 100 !== 99);
  const kept2 = lines.filter((_, i) => i % 100 < 98);
  const edges = {
    base: text(kept),
    appended: text([...kept, ...held(99)]),
    inPlace: text(lines),
    base2: text(kept2),
    mid2: text([...kept2, ...held(98)]),
    appended2: text([...kept2, ...held(98), ...held(99)]),
  };
  const edgeFile = join(facts, "edge.facts");
  const baseState = join(dir, "base.state");
  writeFileSync(edgeFile, edges.base);
  cairn(program, facts, join(dir, "out-base"), "--state", baseState);
  const laterState = join(dir, "later.state");
  writeFileSync(edgeFile, edges.base2);
  cairn(program, facts, join(dir, "out-base"), "--state", laterState);
  writeFileSync(edgeFile, edges.mid2);
  cairn(program, facts, join(dir, "out-base"), "--state", laterState);
  const scratch = [];
  const appended = [];
  const inPlace = [];
  const later = [];
  const state = join(dir, "run.state");
  for (let i = 0; i < runs; i++) {
    writeFileSync(edgeFile, edges.inPlace);
    scratch.push(cairn(program, facts, join(dir, "out-scratch")));
    writeFileSync(edgeFile, edges.appended);
    copyFileSync(baseState, state);
    appended.push(cairn(program, facts, join(dir, "out-appended"), "--state", state));
    writeFileSync(edgeFile, edges.inPlace);
    copyFileSync(baseState, state);
    inPlace.push(cairn(program, facts, join(dir, "out-in-place"), "--state", state));
    writeFileSync(edgeFile, edges.appended2);
    copyFileSync(laterState, state);
    later.push(cairn(program, facts, join(dir, "out-later"), "--state", state));
  }
  for (const out of ["out-appended", "out-in-place", "out-later"]) {
    for (const f of ["path.csv", "dist.csv", "sp.csv"]) {
      const a = join(dir, "out-scratch", f);
      if (existsSync(a) && sortedLines(a) !== sortedLines(join(dir, out, f)))
        throw new Error(`${w.name}: ${out}/${f} differs from the run from scratch`);
    }
  }
  const s = median(scratch.map((r) => r.ms));
  const cell = (rs) => {
    const m = median(rs.map((r) => r.ms));
    return `${m.toFixed(0)} ms | ${((m / s) * 100).toFixed(1)}%`;
  };
  const mib = (statSync(baseState).size / 2 ** 20).toFixed(0);
  const ev = [scratch, appended, later].map((rs) => median(rs.map((r) => r.evaluate))).join(" / ");
  console.log(`| ${w.name} | ${s.toFixed(0)} ms | ${cell(appended)} | ${cell(inPlace)} | ${cell(later)} | ${ev} ms | ${mib} MiB |`);
  if (args.includes("--verbose")) for (const r of [scratch, appended, inPlace, later]) console.log(`  ${r[0].stats}`);
}
