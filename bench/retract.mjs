#!/usr/bin/env node
// Retraction: after a full run, take 1% of the edges back (every 100th), or
// change 1% of the weights (retract every 100th weighted edge and insert it
// again with its weight doubled plus one), and run again; compare that run
// with one run from scratch over the remaining facts, side by side in one
// process (the run from scratch timed from its run(), the facts inserted
// before; the update timed from its retract() and insert() on, and its run()
// alone). Then a next update of the same kind (another 1% of the edges) on the
// same database, its run() against a run from scratch over what remains then.
// "Changed" is the share of the output's keys the update removed, added or
// gave another value, measured once, untimed. Medians of N runs.
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
  "| workload | update | from scratch | retract + insert | run | update / scratch | run / scratch | next run / scratch | keys changed |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const w of workloads) {
  if (!only.test(w.name)) continue;
  const program = compile(readFileSync(join(here, "programs", w.program), "utf8"), { file: w.program });
  const dir = generated(w.name, ...w.gen);
  const facts = Object.fromEntries(w.inputs.map((r) => [r, numericFacts(join(dir, `${r}.facts`))]));
  const lattice = program.checked.relations.get(w.output).columns.at(-1).lattice !== undefined;
  const edges = facts.edge;
  // A first update (every 100th edge, from the 100th) and a next one on the same database (every 100th,
  // from the 50th): the first builds the indexes its rederivation probes (edges by their target), the
  // next finds them built, as every later update of a long-lived database does.
  const pick = (offset) => edges.filter((_, i) => i % 100 === offset);
  const change = (weighted) => (picked) => ({ gone: picked, added: weighted ? picked.map(([x, y, c]) => [x, y, 2 * c + 1]) : [] });
  const kinds = [{ label: "remove 1% of edges", make: change(false) }];
  if (w.weighted) kinds.push({ label: "change 1% of weights", make: change(true) });
  for (const kind of kinds) {
    const first = kind.make(pick(99));
    const next = kind.make(pick(49));
    const keep = (i) => i % 100 !== 99;
    const afterFirst = [...edges.filter((_, i) => keep(i)), ...first.added];
    const afterNext = [...edges.filter((_, i) => keep(i) && i % 100 !== 49), ...first.added, ...next.added];
    const scratch = [];
    const scratchNext = [];
    const update = [];
    const updateNext = [];
    const changes = [];
    let share = 0;
    const fresh = (rows) => {
      const db = program.database();
      for (const [r, ts] of Object.entries(facts)) db.insert(r, r === "edge" ? rows : ts);
      const t = now();
      db.runSync();
      return now() - t;
    };
    for (let i = 0; i < runs; i++) {
      scratch.push(fresh(afterFirst));
      scratchNext.push(fresh(afterNext));
      const db = program.database();
      for (const [r, ts] of Object.entries(facts)) db.insert(r, ts);
      db.runSync();
      const before = i === 0 ? byKey(db, w.output, lattice) : undefined;
      let t = now();
      db.retract("edge", first.gone);
      db.insert("edge", first.added);
      const t1 = now();
      changes.push(t1 - t);
      db.runSync();
      update.push(now() - t1);
      if (before) share = changedShare(before, byKey(db, w.output, lattice));
      db.retract("edge", next.gone);
      db.insert("edge", next.added);
      t = now();
      db.runSync();
      updateNext.push(now() - t);
      const full = program.database();
      for (const [r, ts] of Object.entries(facts)) full.insert(r, r === "edge" ? afterNext : ts);
      full.runSync();
      for (const rel of program.checked.relations.keys()) {
        if (db.size(rel) !== full.size(rel)) throw new Error(`${w.name}: ${rel} differs (${db.size(rel)} vs ${full.size(rel)})`);
      }
    }
    const s = median(scratch);
    const a = median(update);
    const c = median(changes);
    const n = median(updateNext);
    const pct = (x, of) => `${((x / of) * 100).toFixed(1)}%`;
    console.log(
      `| ${w.name} | ${kind.label} | ${s.toFixed(0)} ms | ${c.toFixed(0)} ms | ${a.toFixed(0)} ms | ${pct(a + c, s)} | ${pct(a, s)} | ${pct(n, median(scratchNext))} | ${(share * 100).toFixed(1)}% |`,
    );
  }
}
