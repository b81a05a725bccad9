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

  it("recomputes a stratum that reads a recomputed relation, which may have lost tuples", () => {
    const db = compile(`${source}\n.decl near(x: number, y: number)\nnear(x, y) :- node(x), node(y), !unreachable(x, y).`).database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
    ]);
    db.runSync();
    // 1 reaches two nodes and not itself; 2 reaches one.
    expect(db.tuples("far")).toEqual([[1, 1]]);
    db.insert("edge", [[3, 1]]);
    db.runSync();
    // A cycle: every node reaches every node, nothing is unreachable, so nothing is far.
    expect(db.tuples("unreachable")).toEqual([]);
    expect(db.tuples("far")).toEqual([]);
    expect(db.tuples("near")).toHaveLength(9);
    expect(sorted(db.tuples("tri"))).toEqual(sorted([[1], [2]]));
  });

  it("keeps the facts given to a recomputed relation, and continues from facts given to a derived one", () => {
    const db = program.database();
    db.insert("edge", [[1, 2]]);
    db.insert("unreachable", [[9, 9]]);
    db.runSync();
    db.insert("edge", [[2, 1]]);
    db.runSync();
    // Nothing path's stratum reads grows now: only path itself.
    db.insert("path", [[7, 1]]);
    db.runSync();
    const scratch = program.run({
      edge: [
        [1, 2],
        [2, 1],
      ],
      unreachable: [[9, 9]],
      path: [[7, 1]],
    });
    expect(sorted(db.tuples("unreachable"))).toEqual(sorted([[9, 9]]));
    expect(sorted(db.tuples("path"))).toEqual(
      sorted([
        [1, 2],
        [2, 1],
        [1, 1],
        [2, 2],
        [7, 1],
        [7, 2],
      ]),
    );
    for (const rel of ["path", "node", "unreachable", "reach", "far", "tri"]) {
      expect(sorted(db.tuples(rel)), rel).toEqual(sorted(scratch[rel]!));
    }
  });

  it("lowers a min lattice's values along a new shorter edge, three runs in a row", () => {
    const sssp = compile(`
      .decl edge(x: number, y: number, w: number)
      .decl dist(x: number, d: min<number>)
      dist(1, 0).
      dist(y, d + w) :- dist(x, d), edge(x, y, w).`);
    const db = sssp.database();
    db.insert("edge", [
      [1, 2, 10],
      [2, 3, 10],
    ]);
    db.runSync();
    expect(sorted(db.tuples("dist"))).toEqual(
      sorted([
        [1, 0],
        [2, 10],
        [3, 20],
      ]),
    );
    db.insert("edge", [[1, 3, 5]]);
    db.runSync();
    expect(sorted(db.tuples("dist"))).toEqual(
      sorted([
        [1, 0],
        [2, 10],
        [3, 5],
      ]),
    );
    db.insert("edge", [[3, 2, 1]]);
    db.runSync();
    expect(sorted(db.tuples("dist"))).toEqual(
      sorted([
        [1, 0],
        [2, 6],
        [3, 5],
      ]),
    );
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
