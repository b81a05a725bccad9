// Retraction over records and ADTs: facts holding records taken back, and
// records built by recursive rules, give what a run from scratch over the
// remaining facts gives.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../index.js";

const RUNS = Number(process.env.CAIRN_PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.CAIRN_PROPERTY_SEED ?? 20240601);

const program = compile(`
  .type P = [a: number, b: symbol]
  .type L = [head: number, tail: L]
  .type Shape = Dot {x: number} | Seg {from: number, to: number}
  .decl e(x: number, y: number)
  .decl item(p: P)
  .decl path(x: number, y: number)
  path(x, y) :- e(x, y).
  path(x, z) :- path(x, y), e(y, z).
  .decl tagged(x: number, p: P)
  tagged(x, [x, "t"]) :- path(x, _).
  .decl chain(l: L)
  chain([x, nil]) :- e(x, _).
  chain([y, l]) :- chain(l), l = [x, _], e(x, y), x < y.
  .decl seen(p: P)
  seen(p) :- item(p).
  seen([a, "reached"]) :- path(a, _), !item([a, "reached"]).
  .decl shape(s: Shape)
  shape($Dot(x)) :- e(x, x).
  shape($Seg(x, y)) :- path(x, y), x != y.
  .decl longest(n: number)
  longest(n) :- n = count : { chain(_) }.
`);

/** The rows of `relation`, as sorted text, for comparing two databases. */
const rows = (db: ReturnType<typeof program.database>, relation: string) =>
  db
    .tuples(relation)
    .map((t) => JSON.stringify(t))
    .sort();

describe("retraction over records and ADTs", () => {
  it("takes back facts holding records, and records that recursive rules built, as a run from scratch would", () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }));
    const item = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom("x", "reached"));
    fc.assert(
      fc.property(
        fc.array(edge, { maxLength: 12 }),
        fc.array(item, { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (edges, items, goneEdges, goneItems) => {
          const text = (i: [number, string]) => [`[${i[0]}, "${i[1]}"]`];
          const db = program.database();
          db.insert("e", edges);
          db.insert("item", items.map(text));
          db.runSync();
          const lostEdges = goneEdges.map((i) => edges[i % Math.max(1, edges.length)]).filter((t) => t !== undefined);
          const lostItems = goneItems.map((i) => items[i % Math.max(1, items.length)]).filter((t) => t !== undefined);
          db.retract("e", lostEdges);
          db.retract("item", lostItems.map(text));
          db.runSync();
          const fresh = program.database();
          fresh.insert(
            "e",
            edges.filter((t) => !lostEdges.some((l) => l[0] === t[0] && l[1] === t[1])),
          );
          fresh.insert("item", items.filter((t) => !lostItems.some((l) => l[0] === t[0] && l[1] === t[1])).map(text));
          fresh.runSync();
          for (const r of ["path", "tagged", "chain", "seen", "shape", "longest"]) expect(rows(db, r), r).toEqual(rows(fresh, r));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
