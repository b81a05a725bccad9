// Retraction: taking given facts back out of a runner. Every copy of each
// fact given to the relation (inserted, or read from a facts file) goes; the
// program's own facts stay, as a run from scratch would derive them again. The
// relation is marked, with the facts it lost, and the next run recomputes
// what depends on it (ProgramRunner.stages; engine/eval/height-retract.ts for
// strata of plain relations, engine/eval/rederive.ts for strata of min and max
// relations), so that its result is the one a run from scratch over the
// remaining facts gives.

import { constCell } from "../codegen/term.js";
import type { Relation } from "../storage/relation.js";
import { keyAt } from "./rederive.js";
import type { ProgramRunner } from "./program-runner.js";

/** A matcher of the rows of `arity` cells equal to one of `count` rows of `cells`. */
export function factMatcher(cells: Int32Array, count: number, arity: number): (rows: Int32Array, at: number) => boolean {
  const gone = new Set<string>();
  for (let i = 0; i < count; i++) gone.add(keyAt(cells, i * arity, arity));
  return (rows, at) => gone.has(keyAt(rows, at, arity));
}

/** The facts to take back, as a matcher over given facts, leaving out the program's own facts. */
function matcher(runner: ProgramRunner, rel: Relation, cells: Int32Array, count: number): (rows: Int32Array, at: number) => boolean {
  const arity = rel.arity;
  if (!rel.recordBase && arity > 0) {
    // The rows are the facts (and the program has none of its own here): each found by the unique index.
    rel.ensureIndexed();
    const drop = new Uint8Array(rel.size);
    for (let i = 0; i < count; i++) {
      const row = rel.unique.find(rel.data, cells.subarray(i * arity, (i + 1) * arity));
      if (row >= 0) drop[row] = 1;
    }
    return (rows, at) => rows === rel.data && drop[at / arity] === 1;
  }
  const gone = new Set<string>();
  for (let i = 0; i < count; i++) gone.add(keyAt(cells, i * arity, arity));
  for (const rule of runner.program.rules) {
    if (rule.head.relation !== rel.name || rule.body.length > 0 || !rule.head.args.every((a) => a.kind === "const")) continue;
    const own = rule.head.args.map((a) => (a.kind === "const" ? constCell(a.type, a.value, runner.symbols) : 0));
    gone.delete(keyAt(Int32Array.from(own), 0, arity));
  }
  return (rows, at) => gone.has(keyAt(rows, at, arity));
}

/** How many given facts of `rel` a retraction of `count` rows of `cells` would take back. */
export function countRetracted(runner: ProgramRunner, rel: Relation, cells: Int32Array, count: number): number {
  const match = matcher(runner, rel, cells, count);
  const { rows, count: n } = rel.recordBase ? rel.exportBase() : { rows: rel.data, count: rel.size };
  let found = 0;
  for (let i = 0; i < n; i++) if (match(rows, i * rel.arity)) found++;
  return found;
}

/** Takes back every given fact of `rel` among `count` rows of `cells`; returns how many given facts went. */
export function retractFacts(runner: ProgramRunner, rel: Relation, cells: Int32Array, count: number): number {
  const lost = runner.losses.get(rel) ?? [];
  let below = 0;
  const mark = runner.markOf(rel);
  const removed = rel.removeBase(matcher(runner, rel, cells, count), (rows, at, index) => {
    for (let c = 0; c < rel.arity; c++) lost.push(rows[at + c]!);
    // Rows of a relation whose rows are its facts move up: the last run's mark moves with them.
    if (!rel.recordBase && index < mark) below++;
  });
  if (removed === 0) return 0;
  runner.retracted.add(rel);
  runner.losses.set(rel, lost);
  runner.lowerMark(rel, below);
  return removed;
}
