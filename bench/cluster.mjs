#!/usr/bin/env node
// Cluster runs against one process, side by side in one run: each workload in
// one process, then on a cluster of 1, 2 and 3 `cairn node` processes on
// loopback (started once, before the runs, and reused: a node's start-up is
// reported apart). Runs are interleaved so drift in the machine's load hits
// every mode alike. Per mode: median whole-process wall time of the
// coordinating command, its `evaluate` phase (the cluster run: sending facts,
// evaluating, collecting), bytes the nodes exchanged per derived tuple, the
// most local rounds a node ran, the global barriers; every output is checked
// against the single process's.
//
//   npm run build && node bench/cluster.mjs [--runs N] [--only REGEX]

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { args, cli, dataDir, generated, here, median, opt, prepared, root } from "./lib.mjs";
import { chain } from "./kcfa-families.mjs";

const runs = Number(opt("--runs", "3"));
const only = new RegExp(opt("--only", "."));
const out = join(here, ".out", "cluster");

const kcfaFacts = (n) =>
  prepared(join(dataDir, `cluster-kcfa-chain-${n}`), (dir) => {
    const cps = join(dir, "program.cps");
    writeFileSync(cps, chain(n));
    const r = spawnSync(process.execPath, [cli, "kcfa", cps, "-k", "1", "--emit-facts", dir], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`kcfa facts: ${r.stderr}`);
  });

const WORKLOADS = [
  { name: "apsp_1000", program: "bench/programs/apsp.dl", facts: () => generated("apsp_1000", "sssp", 1000) },
  { name: "tc_chain_2000", program: "bench/programs/tc.dl", facts: () => generated("tc_chain_2000", "tc_chain", 2000) },
  // The bundled k-CFA rules (flat closures, contexts as strings), without the pair-lattice summary.
  { name: "kcfa1_chain_4000", program: "programs/kcfa/flat.dl", args: ["-M", "PLAIN_DATALOG"], facts: () => kcfaFacts(4000) },
];

function digest(dir) {
  const h = createHash("sha256");
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".csv"))
    .sort())
    h.update(f).update(readFileSync(join(dir, f), "utf8").split("\n").sort().join("\n"));
  return h.digest("hex").slice(0, 12);
}

/** Starts `cairn node` on a free loopback port; resolves with its address and the milliseconds it took to listen. */
function startNode(tokenFile) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, "node", "--listen", "127.0.0.1:0", "--token-file", tokenFile], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve({ child, address: m[1], ms: performance.now() - t0 });
    });
    child.once("exit", (code) => reject(new Error(`node exited with ${code}`)));
  });
}

function runOnce(w, facts, mode, nodes, tokenFile) {
  const dest = join(out, `${w.name}-${mode}`);
  const json = join(out, `${w.name}-${mode}.json`);
  rmSync(dest, { recursive: true, force: true });
  const argv = [cli, "run", join(root, w.program), ...(w.args ?? []), "-F", facts, "-D", dest, "--stats"];
  if (mode !== "single")
    argv.push(
      "--cluster",
      nodes
        .slice(0, Number(mode))
        .map((n) => n.address)
        .join(","),
      "--token-file",
      tokenFile,
      "--stats-json",
      json,
    );
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${w.name} (${mode}) failed: ${r.stderr}`);
  const evaluate = Number(/evaluate (\d+) ms/.exec(r.stderr)[1]) / 1000;
  const s = { wall, evaluate, digest: digest(dest) };
  if (mode === "single") return s;
  const stats = JSON.parse(readFileSync(json, "utf8"));
  const derived = stats.nodes.reduce((a, n) => a + n.derived, 0);
  const exchanged = stats.nodes.reduce((a, n) => a + n.exchangeBytes, 0);
  return { ...s, bytesPerTuple: derived ? exchanged / derived : 0, rounds: stats.rounds, barriers: stats.barriers };
}

if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build first`);
mkdirSync(out, { recursive: true });
const tokenFile = join(out, "token");
writeFileSync(tokenFile, `${createHash("sha256").update(String(Math.random())).digest("hex")}\n`, { mode: 0o600 });
const nodes = [];
for (let i = 0; i < 3; i++) nodes.push(await startNode(tokenFile));
const MODES = ["single", "1", "2", "3"];
console.log(`node ${process.version}, median of ${runs} interleaved runs; command: node bench/cluster.mjs ${args.join(" ")}`.trim());
console.log(`cairn node start-up (to "listening on"): ${nodes.map((n) => `${n.ms.toFixed(0)} ms`).join(", ")}\n`);
console.log(
  "| workload | mode | wall | evaluate | wall vs one process | bytes exchanged per derived tuple | rounds (most on a node) | barriers | outputs |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
try {
  for (const w of WORKLOADS) {
    if (!only.test(w.name)) continue;
    const facts = w.facts();
    const samples = new Map(MODES.map((m) => [m, []]));
    for (let i = 0; i < runs; i++) for (const m of MODES) samples.get(m).push(runOnce(w, facts, m, nodes, tokenFile));
    const base = samples.get("single");
    const med = (m, k) => median(samples.get(m).map((s) => s[k]));
    for (const m of MODES) {
      const same = samples.get(m).every((s) => s.digest === base[0].digest);
      const label = m === "single" ? "one process" : `${m} node${m === "1" ? "" : "s"}`;
      const extra =
        m === "single" ? ["–", "–", "–"] : [med(m, "bytesPerTuple").toFixed(2), String(med(m, "rounds")), String(med(m, "barriers"))];
      console.log(
        `| ${w.name} | ${label} | ${med(m, "wall").toFixed(2)} s | ${med(m, "evaluate").toFixed(2)} s | ${(med(m, "wall") / med("single", "wall")).toFixed(2)}× | ${extra.join(" | ")} | ${same ? "same" : "DIFFER"} |`,
      );
    }
    process.stderr.write(`${w.name} done\n`);
  }
} finally {
  for (const n of nodes) n.child.kill("SIGTERM");
}
