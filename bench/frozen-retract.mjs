#!/usr/bin/env node
// Retraction below a frozen relation of a recursive stratum: the check that
// refuses it only when the frozen relation would change (a run of a copy of
// the database from the strata that lost facts, the frozen relation compared
// with what it held). Transitive closure over a chain of N nodes with a
// shortcut over every 10th pair of links: taking a shortcut back leaves
// `path` as it was (accepted), taking a link back does not (refused). Times
// retract() (the check included) and the run() after it, with `path` frozen
// and without; medians over the shortcuts taken back one after another.
//   node bench/frozen-retract.mjs [--nodes N] [--runs K]   (after npm run build)

import { compile } from "../dist/index.js";
import { median, opt } from "./lib.mjs";

const nodes = Number(opt("--nodes", "800"));
const runs = Number(opt("--runs", "7"));
const program = compile(`
.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`);
const links = Array.from({ length: nodes }, (_, i) => [i, i + 1]);
const shortcuts = Array.from({ length: runs }, (_, i) => [i * 10, i * 10 + 2]);
const now = () => performance.now();

for (const frozen of [false, true]) {
  const db = program.database();
  db.insert("edge", [...links, ...shortcuts]);
  db.runSync();
  const size = db.tuples("path").length;
  if (frozen) db.freeze("path");
  const retract = [];
  const run = [];
  for (const s of shortcuts) {
    let t = now();
    db.retract("edge", [s]);
    retract.push(now() - t);
    t = now();
    db.runSync();
    run.push(now() - t);
  }
  if (db.tuples("path").length !== size) throw new Error("path changed");
  let refused = "";
  if (frozen) {
    const times = [];
    for (const link of links.slice(nodes - runs)) {
      const t = now();
      try {
        db.retract("edge", [link]);
        throw new Error(`the retraction of link ${link} went through`);
      } catch (e) {
        if (e.name !== "FrozenRelationError") throw e;
      }
      times.push(now() - t);
    }
    refused = `, a refused retract() ${median(times).toFixed(1)} ms`;
  }
  console.log(
    `${frozen ? "path frozen" : "nothing frozen"}: ${size} path tuples; retract() ${median(retract).toFixed(1)} ms, run() after it ${median(run).toFixed(1)} ms${refused}`,
  );
}
