#!/usr/bin/env node
// Parser benchmarks. Run after `npm run build`.
//
//   node bench/parse.mjs
//     micro-benchmarks (benchmark.js): a 600-rule program and a 5,000-line fact
//     program, parsed and checked in-process;
//
//   node bench/parse.mjs items [--rules N] [--runs K] [--cli PATH]
//     `cairn check` on a generated N-rule program (20,000 by default), once as
//     it is and once with a record type (unsupported: the fast path leaves that
//     item to the grammar) on line 1; prints each run's wall time and peak
//     memory, then the medians. --cli times another build of the command line,
//     e.g. a worktree of an older commit (default: this checkout's dist/cairn.mjs).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RECORD_TYPE = ".type Pair = [a: number, b: symbol]";

/** A program of `count` recursive rules over 200 relations, every line a different item. */
function rulesProgram(count) {
  const relations = 200;
  const lines = [".decl e(x: number, y: number)", ".input e"];
  for (let i = 0; i < relations; i++) lines.push(`.decl r${i}(x: number, y: number)`);
  for (let i = 0; i < count; i++) {
    lines.push(`r${i % relations}(x, y) :- e(x, z), r${(i + 1) % relations}(z, y), x != y, z < 100 + ${i}.`);
  }
  lines.push(".output r0");
  return `${lines.join("\n")}\n`;
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One `cairn check` run: wall seconds, and peak memory in MiB where /usr/bin/time can tell. */
function timeCheck(cli, file) {
  const timed = existsSync("/usr/bin/time");
  const command = timed ? "/usr/bin/time" : process.execPath;
  const args = timed ? ["-f", "maxrss-kib %M", process.execPath, cli, "check", file] : [cli, "check", file];
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /maxrss-kib (\d+)/.exec(r.stderr ?? "");
  const firstLine = (r.stdout + r.stderr).split("\n").find((l) => l.trim() !== "" && !l.startsWith("maxrss-kib")) ?? "";
  return { seconds, mib: rss ? Number(rss[1]) / 1024 : undefined, status: r.status, firstLine };
}

function itemsBenchmark(args) {
  const rules = Number(option(args, "--rules", "20000"));
  const runs = Number(option(args, "--runs", "5"));
  const cli = option(args, "--cli", fileURLToPath(new URL("../dist/cairn.mjs", import.meta.url)));
  const dir = mkdtempSync(join(tmpdir(), "cairn-parse-bench-"));
  try {
    const plain = rulesProgram(rules);
    const files = [
      ["plain", join(dir, "plain.dl"), plain],
      ["record type on line 1", join(dir, "record.dl"), `${RECORD_TYPE}\n${plain}`],
    ];
    console.log(`cairn check on ${rules} rules (${(plain.length / 1e6).toFixed(2)} MB), ${runs} runs each, ${cli}`);
    for (const [name, file, text] of files) {
      writeFileSync(file, text);
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = timeCheck(cli, file);
        results.push(r);
        const mem = r.mib === undefined ? "" : `, ${r.mib.toFixed(0)} MiB`;
        console.log(
          `  ${name}: run ${i + 1}: ${r.seconds.toFixed(2)} s${mem} (exit ${r.status}${r.firstLine ? `: ${r.firstLine.slice(0, 80)}` : ""})`,
        );
      }
      const mibs = results.map((r) => r.mib).filter((m) => m !== undefined);
      const mem = mibs.length ? `, median peak ${median(mibs).toFixed(0)} MiB` : "";
      console.log(`${name}: median ${median(results.map((r) => r.seconds)).toFixed(2)} s${mem}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function microBenchmarks() {
  const { default: Benchmark } = await import("benchmark");
  const { parse } = await import("../dist/lang/parse/parse.js");
  const { compile } = await import("../dist/index.js");
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
    .add("parse 600 rules after a record type", () => parse(`${RECORD_TYPE}\n${ruleText}`, "rules.dl"))
    .add("parse + check 600 rules", () => compile(ruleText, { file: "rules.dl" }))
    .add("parse 5,000 fact lines", () => parse(factText, "facts.dl"))
    .on("cycle", (e) => {
      const t = e.target;
      console.log(`${t.name}: ${(t.stats.mean * 1000).toFixed(2)} ms ±${t.stats.rme.toFixed(1)}% (${t.stats.sample.length} samples)`);
    })
    .run();
}

const args = process.argv.slice(2);
if (args[0] === "items") itemsBenchmark(args.slice(1));
else await microBenchmarks();
