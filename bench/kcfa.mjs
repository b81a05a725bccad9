#!/usr/bin/env node
// k-CFA benchmarks, whole process, medians of --runs N (3): `cairn kcfa` time and
// memory against program size and k, then Cairn against Soufflé on flat.dl (quoted
// figures, or --souffle PATH). With --baseline CLI (another build's dist/cairn.mjs),
// every row also runs that build, alternating run by run with this one, and gives
// the ratio: a side-by-side comparison of two versions in one run.
// `node bench/kcfa.mjs [--runs N] [--only RE] [--souffle PATH] [--baseline CLI]`

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FAMILIES } from "./kcfa-families.mjs";
import { cli, dataDir, here, median, opt, root } from "./lib.mjs";

const runs = Number(opt("--runs", "3"));
const only = new RegExp(opt("--only", "."));
const souffle = opt("--souffle", undefined);
const baseline = opt("--baseline", undefined);
const kcfaDir = join(dataDir, "kcfa");
const outDir = join(here, ".out", "kcfa");
const rel = (p) => relative(process.cwd(), p);

function program(family, n, m) {
  const name = [family, n, m].filter((x) => x !== undefined).join("-");
  const file = join(kcfaDir, `${name}.cps`);
  if (!existsSync(file)) {
    mkdirSync(kcfaDir, { recursive: true });
    writeFileSync(file, FAMILIES[family](n, m));
  }
  return { name, file };
}

/**
 * Runs each of `commands` ([cmd, argv] pairs) `runs` times, taking turns run by run; for each,
 * the median wall time, the largest peak RSS (MiB) and the last stderr.
 */
function measureAll(commands, peak) {
  const results = commands.map(() => ({ secs: [], mibs: [], stderr: "" }));
  for (let i = 0; i < runs; i++) {
    for (const [j, [cmd, argv]] of commands.entries()) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 1 << 30 });
      const res = results[j];
      if (res.error) continue;
      res.secs.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (r.status !== 0) res.error = (r.stderr || `exit ${r.status}`).trim().split("\n").slice(0, 3).join(" | ");
      res.stderr = r.stderr;
      res.mibs.push(peak(r.stderr));
    }
  }
  return results.map((r) => (r.error ? { error: r.error } : { secs: median(r.secs), mib: Math.max(...r.mibs), stderr: r.stderr }));
}

const measure = (cmd, argv, peak) => measureAll([[cmd, argv]], peak)[0];

function cairn(prog, k, variant) {
  const out = join(outDir, `${prog.name}-k${k}-${variant}`);
  rmSync(out, { recursive: true, force: true });
  const argv = (c, o) => [c, "kcfa", prog.file, "-k", String(k), "--variant", variant, "-D", o, "--stats"];
  const commands = [[process.execPath, argv(cli, out)], ...(baseline ? [[process.execPath, argv(baseline, `${out}-baseline`)]] : [])];
  const [r, b] = measureAll(commands, (s) => Number(/peak rss (\d+) MiB/.exec(s)?.[1] ?? NaN));
  if (r.error) return r;
  const stat = (name) => Number(new RegExp(`(\\d+) ${name}`).exec(r.stderr)?.[1]);
  const store = Number(/store (\d+)/.exec(r.stderr)?.[1]);
  const states = Number(/reach (\d+)/.exec(r.stderr)?.[1]);
  const flows = readFileSync(join(out, "flows.csv"), "utf8").split("\n").length - 1;
  const baselineFlows = b && !b.error ? readFileSync(join(`${out}-baseline`, "flows.csv"), "utf8").split("\n").length - 1 : undefined;
  return {
    ...r,
    ...(b
      ? {
          baseline: b.error
            ? { error: b.error }
            : { secs: b.secs, mib: b.mib, same: baselineFlows === undefined || baselineFlows === flowsOf(out) },
        }
      : {}),
    calls: stat("calls"),
    states,
    store,
    flows,
    command: `node ${rel(cli)} kcfa ${rel(prog.file)} -k ${k} --variant ${variant} -D OUT`,
  };
}

const flowsOf = (out) => readFileSync(join(out, "flows.csv"), "utf8").split("\n").length - 1;

function timeSouffle(prog, k) {
  const facts = join(kcfaDir, `${prog.name}-k${k}-facts`);
  if (!existsSync(join(facts, "k.facts"))) spawnSync(process.execPath, [cli, "kcfa", prog.file, "-k", String(k), "--emit-facts", facts]);
  const out = join(outDir, `${prog.name}-k${k}-souffle`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rules = join(root, "programs/kcfa/flat.dl");
  const argv = ["-f", "%M", souffle, "-j1", "-M", "PLAIN_DATALOG", "-F", facts, "-D", out, rules];
  const r = measure("/usr/bin/time", argv, (s) => Number(s.trim().split("\n").pop()) / 1024);
  if (r.error) return r;
  const flows = flowsOf(out);
  return { ...r, flows, command: `${souffle} -j1 -M PLAIN_DATALOG -F ${rel(facts)} -D OUT ${rel(rules)}` };
}

const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(d));
const num = (x) => (x === undefined ? "–" : x.toLocaleString("en-US"));

// 1. Time and memory against program size and k.
const scaling = [
  ...[250, 500, 1000].map((n) => ["chain", n, undefined, [0, 1, 2], ["flat"]]),
  ...[4000, 16000, 64000].map((n) => ["chain", n, undefined, [1, 2, 3], ["flat", "env"]]),
  ...[
    [2, 100],
    [2, 200],
    [2, 400],
  ].map(([m, u]) => ["wrappers", m, u, [0, 1, 2, 3], ["flat", "env"]]),
  ...[8, 12, 16].map((n) => ["vhm", n, undefined, [0, 1], ["flat", "env"]]),
];
console.log(`\nk-CFA: time and memory against program size and k (median of ${runs} runs, node ${process.version})\n`);
const baseCols = baseline ? " baseline time | baseline peak | ratio |" : "";
console.log(`| program | calls | k | variant | time | peak |${baseCols} states | store | flows | command |`);
console.log(`|---|---|---|---|---|---|${baseline ? "---|---|---|" : ""}---|---|---|---|`);
for (const [family, n, m, ks, variants] of scaling) {
  const prog = program(family, n, m);
  if (!only.test(prog.name)) continue;
  for (const k of ks) {
    for (const variant of variants) {
      const r = cairn(prog, k, variant);
      const b = r.baseline;
      const vs = !baseline
        ? []
        : !b || b.error
          ? [`failed: ${b?.error ?? "–"}`, "", ""]
          : [`${fmt(b.secs)} s`, `${b.mib} MiB`, `${fmt(r.secs / b.secs)}×${b.same ? "" : " (flows differ)"}`];
      const cells = r.error
        ? [`failed: ${r.error}`, "", ...vs.map(() => ""), "", "", ""]
        : [`${fmt(r.secs)} s`, `${r.mib} MiB`, ...vs, num(r.states), num(r.store), num(r.flows)];
      console.log(`| ${prog.name} | ${num(r.calls)} | ${k} | ${variant} | ${cells.join(" | ")} | \`${r.command ?? ""}\` |`);
      process.stderr.write(`${prog.name} k=${k} ${variant}: ${cells.slice(0, 2).join(", ")}\n`);
    }
  }
}

// 2. Cairn against Soufflé 2.5 (interpreter, one thread) on the flat rules.
const versus = [
  { family: "chain", n: 1000, k: 0, quoted: 1.7, about: "0-CFA store 1.0 M" },
  { family: "wrappers", n: 1, m: 1000, k: 1, quoted: 15, about: "1-CFA store 4.0 M" },
];
console.log(`\nCairn against Soufflé 2.5's interpreter on programs/kcfa/flat.dl (median of ${runs} runs)\n`);
console.log(`| program | k | store | Cairn | Cairn peak | Soufflé (quoted) |${souffle ? " Soufflé here | Soufflé peak |" : ""} ratio |`);
console.log(`|---|---|---|---|---|---|${souffle ? "---|---|" : ""}---|`);
for (const v of versus) {
  const prog = program(v.family, v.n, v.m);
  if (!only.test(prog.name)) continue;
  const r = cairn(prog, v.k, "flat");
  if (r.error) {
    console.log(`| ${prog.name} | ${v.k} | | failed: ${r.error} | | ${v.quoted} s | |`);
    continue;
  }
  let local = "";
  let base = v.quoted;
  if (souffle) {
    const s = timeSouffle(prog, v.k);
    local = s.error ? ` failed: ${s.error} | |` : ` ${fmt(s.secs)} s | ${fmt(s.mib, 0)} MiB |`;
    if (!s.error) {
      base = s.secs;
      if (s.flows !== r.flows) local += ` (flows differ: ${s.flows} vs ${r.flows})`;
      console.error(`  ${s.command}`);
    }
  }
  console.log(
    `| ${prog.name} (${v.about}) | ${v.k} | ${num(r.store)} | ${fmt(r.secs)} s | ${r.mib} MiB | ${v.quoted} s |${local} ${fmt(r.secs / base)}× |`,
  );
  console.error(`  ${r.command}`);
}
