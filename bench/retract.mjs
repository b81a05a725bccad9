#!/usr/bin/env node
// Retraction: after a full run, take 1% of the edges back (every 100th), or
// change 1% of the weights (retract every 100th weighted edge and insert it
// again with its weight doubled plus one), and run again; compare that run
// with one run from scratch over the remaining facts, side by side in one
// process (the run from scratch timed from its run(), the facts inserted
// before; the update timed from its retract() and insert() on, and its run()
// alone).
// "Changed" is the share of the output's keys the update removed, added or
// gave another value, measured once, untimed. "Again" is the same update's
// run() once more on the same database, after the facts it took back were
// given again and run: the second time, the database's code and indexes are
// already in place. Medians of N runs.
//   node bench/retract.mjs [--runs N] [--only REGEX]   (after npm run build)

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../dist/index.js";
import { byKey, generated, here, median, numericFacts, opt } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const only = new RegExp(opt("--only", "."));

const workloads = [
  { name: "tc_random_1000", program: "tc.dl", gen: ["tc_random", 1000], inputs: ["edge"], output: "path", weighted: false },
  { name: "sssp_200000", program: "sssp.dl", gen: ["sssp", 200000], inputs: ["edge", "source"], output: "dist", weighted: true },
  { name: "apsp_1000", program: "apsp.dl", gen: ["sssp", 1000], inputs: ["edge"], output: "sp", weighted: true },
];

const now = () => performance.now();

/** The share of keys of either side that the update removed, added or gave another value. */
function changedShare(before, after) {
  let changed = 0;
  for (const [k, v] of after) if (before.get(k) !== v) changed++;
  for (const k of before.keys()) if (!after.has(k)) changed++;
  return changed / Math.max(1, before.size);
}

console.log(
  "| workload | update | from scratch | retract + insert | run | update / scratch | run / scratch | again / scratch | keys changed |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const w of workloads) {
  if (!only.test(w.name)) continue;
  const program = compile(readFileSync(join(here, "programs", w.program), "utf8"), { file: w.program });
  const dir = generated(w.name, ...w.gen);
  const facts = Object.fromEntries(w.inputs.map((r) => [r, numericFacts(join(dir, `${r}.facts`))]));
  const lattice = program.checked.relations.get(w.output).columns.at(-1).lattice !== undefined;
  const edges = facts.edge;
  const picked = edges.filter((_, i) => i % 100 === 99);
  const updates = [{ label: "remove 1% of edges", every: 100, gone: picked, added: [] }];
  if (!w.weighted) updates.push({ label: "remove 0.1% of edges", every: 1000, gone: edges.filter((_, i) => i % 1000 === 999), added: [] });
  if (w.weighted)
    updates.push({ label: "change 1% of weights", every: 100, gone: picked, added: picked.map(([x, y, c]) => [x, y, 2 * c + 1]) });
  for (const u of updates) {
    const remaining = [...edges.filter((_, i) => i % u.every !== u.every - 1), ...u.added];
    const scratch = [];
    const update = [];
    const change = [];
    const again = [];
    let share = 0;
    for (let i = 0; i < runs; i++) {
      const full = program.database();
      for (const [r, ts] of Object.entries(facts)) full.insert(r, r === "edge" ? remaining : ts);
      let t = now();
      full.runSync();
      scratch.push(now() - t);

      const db = program.database();
      for (const [r, ts] of Object.entries(facts)) db.insert(r, ts);
      db.runSync();
      const before = i === 0 ? byKey(db, w.output, lattice) : undefined;
      t = now();
      db.retract("edge", u.gone);
      db.insert("edge", u.added);
      const t1 = now();
      change.push(t1 - t);
      db.runSync();
      update.push(now() - t1);
      if (before) share = changedShare(before, byKey(db, w.output, lattice));
      for (const rel of program.checked.relations.keys()) {
        if (db.size(rel) !== full.size(rel)) throw new Error(`${w.name}: ${rel} differs (${db.size(rel)} vs ${full.size(rel)})`);
      }
      // The same update again on the same database, the facts it took back given again first.
      db.retract("edge", u.added);
      db.insert("edge", u.gone);
      db.runSync();
      db.retract("edge", u.gone);
      db.insert("edge", u.added);
      t = now();
      db.runSync();
      again.push(now() - t);
      for (const rel of program.checked.relations.keys()) {
        if (db.size(rel) !== full.size(rel))
          throw new Error(`${w.name}: ${rel} differs the second time (${db.size(rel)} vs ${full.size(rel)})`);
      }
    }
    const s = median(scratch);
    const a = median(update);
    const c = median(change);
    const g = median(again);
    const pct = (x) => `${((x / s) * 100).toFixed(1)}%`;
    console.log(
      `| ${w.name} | ${u.label} | ${s.toFixed(0)} ms | ${c.toFixed(0)} ms | ${a.toFixed(0)} ms | ${pct(a + c)} | ${pct(a)} | ${pct(g)} | ${(share * 100).toFixed(1)}% |`,
    );
  }
}
