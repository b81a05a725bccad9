// Incremental runs: inserting facts after a run and running again must give
// exactly what one run over all the facts gives, for monotone strata (caught
// up through the new rows) and non-monotone ones (recomputed) alike.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";

const source = `
.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
.decl node(x: number)
node(x) :- edge(x, _).
node(y) :- edge(_, y).
.decl unreachable(x: number, y: number)
unreachable(x, y) :- node(x), node(y), !path(x, y).
.decl reach(x: number, n: number)
reach(x, n) :- node(x), n = count : { path(x, _) }.
.decl far(x: number, y: number)
far(x, y) :- unreachable(x, y), reach(x, n), n > 1.
.decl tri(x: number)
tri(x) :- path(x, y), path(y, z), path(z, x), x < y.
`;
const program = compile(source);
const sorted = (ts: Tuple[]) => ts.map((t) => JSON.stringify(t)).sort();

const edges = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 25 });

describe("incremental runs equal a run from scratch", () => {
  it("on a hand-checked example", () => {
    const db = program.database();
    db.insert("edge", [[1, 2]]);
    db.runSync();
    expect(sorted(db.tuples("unreachable"))).toEqual(
      sorted([
        [1, 1],
        [2, 1],
        [2, 2],
      ]),
    );
    db.insert("edge", [[2, 1]]);
    db.runSync();
    expect(db.tuples("unreachable")).toEqual([]);
    expect(sorted(db.tuples("reach"))).toEqual(
      sorted([
        [1, 2],
        [2, 2],
      ]),
    );
  });

  it("recomputes an aggregate written in the head when what it counts grew", () => {
    const db = compile(
      ".decl e(x: number)\n.decl total(n: number)\ntotal(count : { e(_) }).\n.decl sizes(n: number)\nsizes(sum x : { e(x) }) :- e(_).",
    ).database();
    db.insert("e", [[1]]);
    db.runSync();
    expect(db.tuples("total")).toEqual([[1]]);
    db.insert("e", [[2]]);
    db.runSync();
    expect(db.tuples("total")).toEqual([[2]]);
    expect(db.tuples("sizes")).toEqual([[3]]);
  });

  it("for random graphs split into random batches", () => {
    fc.assert(
      fc.property(edges, fc.array(fc.nat(25), { maxLength: 3 }), (all, cuts) => {
        const points = [...new Set(cuts.map((c) => Math.min(c, all.length)))].sort((a, b) => a - b);
        const db = program.database();
        let from = 0;
        for (const p of [...points, all.length]) {
          db.insert("edge", all.slice(from, p));
          db.runSync();
          from = p;
        }
        const scratch = program.run({ edge: all });
        for (const rel of ["path", "node", "unreachable", "reach", "far", "tri"]) {
          expect(sorted(db.tuples(rel)), rel).toEqual(sorted(scratch[rel]!));
        }
      }),
      { numRuns: 150 },
    );
  });
});
