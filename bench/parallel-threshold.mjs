#!/usr/bin/env node
// Where threads start to pay: `-j 2` against `-j 1` on transitive closure and
// shortest paths over graphs of growing size, runs interleaved, medians of
// whole-process wall time and of the `evaluate` phase, and whether the run
// used the workers at all (engine/parallel/policy.ts decides). This is the
// measurement behind the thresholds there: below them, -j 2 must cost nothing.
//
//   npm run build && node bench/parallel-threshold.mjs [--runs N]

import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { args, cli, generated, here, median, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));

const CASES = [
  ...[50, 100, 200, 300, 500, 1000].map((n) => ({ name: `tc_random_${n}`, gen: ["tc_random", n], program: "tc.dl" })),
  ...[100, 300, 1000, 2000].map((n) => ({ name: `tc_chain_${n}`, gen: ["tc_chain", n], program: "tc.dl" })),
  ...[100, 300, 600, 1000].map((n) => ({ name: `apsp_${n}`, gen: ["sssp", n], program: "apsp.dl" })),
];

const facts = ([workload, size]) => generated(`threshold-${workload}-${size}`, workload, size);

function once(c, dir, j) {
  const out = join(here, ".out", "threshold");
  rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, "run", join(here, "programs", c.program), "-F", dir, "-D", out, "--stats", "-j", String(j)], {
    encoding: "utf8",
    env: { ...process.env, CAIRN_PARALLEL_TRACE: "1" },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(r.stderr);
  return {
    wall,
    evaluate: Number(/evaluate (\d+) ms/.exec(r.stderr)[1]) / 1000,
    used: /\[parallel\] (local|exchange) stratum|parallel rounds/.test(r.stderr) && /(local|exchange) stratum:/.test(r.stderr),
  };
}

console.log(
  `node ${process.version}; -j 1 vs -j 2, median of ${runs} interleaved runs; command: node bench/parallel-threshold.mjs ${args.join(" ")}`.trim(),
);
console.log("\n| case | -j 1 wall (evaluate) | -j 2 wall (evaluate) | -j 2 / -j 1 wall | workers used |");
console.log("|---|---|---|---|---|");
for (const c of CASES) {
  const dir = facts(c.gen);
  const s1 = [];
  const s2 = [];
  for (let i = 0; i < runs; i++) {
    s1.push(once(c, dir, 1));
    s2.push(once(c, dir, 2));
  }
  const m = (ss, k) => median(ss.map((s) => s[k]));
  const used = s2.filter((s) => s.used).length;
  console.log(
    `| ${c.name} | ${m(s1, "wall").toFixed(3)} s (${m(s1, "evaluate").toFixed(3)} s) | ${m(s2, "wall").toFixed(3)} s (${m(s2, "evaluate").toFixed(3)} s) | ${(m(s2, "wall") / m(s1, "wall")).toFixed(2)} | ${used}/${runs} |`,
  );
}
