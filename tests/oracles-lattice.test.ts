// Lattice programs against independent oracles on random graphs: shortest
// paths (min lattice) against Dijkstra and Floyd–Warshall, widest paths (max
// lattice) against a direct worklist solver, and incremental runs against
// runs from scratch.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";

type Edge = [number, number, number];
const graph = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 50 })), {
  maxLength: 40,
});

function dijkstra(edges: Edge[], source: number): Map<number, number> {
  const dist = new Map<number, number>([[source, 0]]);
  const done = new Set<number>();
  for (;;) {
    let best = -1;
    for (const [n, d] of dist) if (!done.has(n) && (best < 0 || d < dist.get(best)!)) best = n;
    if (best < 0) return dist;
    done.add(best);
    for (const [x, y, w] of edges) {
      if (x !== best) continue;
      const d = dist.get(best)! + w;
      if (!dist.has(y) || d < dist.get(y)!) dist.set(y, d);
    }
  }
}

function floydWarshall(edges: Edge[]): Map<string, number> {
  const nodes = [...new Set(edges.flat())];
  const d = new Map<string, number>();
  for (const [x, y, w] of edges) if (!d.has(`${x},${y}`) || w < d.get(`${x},${y}`)!) d.set(`${x},${y}`, w);
  for (const k of nodes)
    for (const i of nodes)
      for (const j of nodes) {
        const a = d.get(`${i},${k}`);
        const b = d.get(`${k},${j}`);
        if (a === undefined || b === undefined) continue;
        const c = d.get(`${i},${j}`);
        if (c === undefined || a + b < c) d.set(`${i},${j}`, a + b);
      }
  return d;
}

function widest(edges: Edge[], source: number): Map<number, number> {
  const width = new Map<number, number>([[source, 1000000]]);
  const work = [source];
  while (work.length > 0) {
    const x = work.pop()!;
    for (const [a, b, c] of edges) {
      if (a !== x) continue;
      const w = Math.min(width.get(x)!, c);
      if (!width.has(b) || w > width.get(b)!) {
        width.set(b, w);
        work.push(b);
      }
    }
  }
  return width;
}

const sssp = compile(`
.decl edge(x: number, y: number, w: number)
.decl source(x: number)
.decl dist(x: number, d: min<number>)
dist(x, 0) :- source(x).
dist(y, d + w) :- dist(x, d), edge(x, y, w).`);
const apsp = compile(`
.decl edge(x: number, y: number, w: number)
.decl sp(x: number, y: number, d: min<number>)
sp(x, y, w) :- edge(x, y, w).
sp(x, z, d + w) :- sp(x, y, d), edge(y, z, w).`);
// Paths joined to paths: the recursive rule reads sp through secondary indexes (on x, on y) that take rows a round superseded.
const doubling = compile(`
.decl edge(x: number, y: number, w: number)
.decl sp(x: number, y: number, d: min<number>)
sp(x, y, w) :- edge(x, y, w).
sp(x, z, d1 + d2) :- sp(x, y, d1), sp(y, z, d2).`);
const wide = compile(`
.decl link(x: number, y: number, c: number)
.decl source(x: number)
.decl width(x: number, w: max<number>)
width(x, 1000000) :- source(x).
width(y, min(w, c)) :- width(x, w), link(x, y, c).`);

const asMap = (ts: Tuple[], key: (t: Tuple) => string) => new Map(ts.map((t) => [key(t), t[t.length - 1]]));

describe("lattice programs equal independent oracles", () => {
  it("shortest paths equal Dijkstra", () => {
    fc.assert(
      fc.property(graph, (edges) => {
        const got = sssp.run({ edge: edges, source: [[0]] }).dist!;
        expect(asMap(got, (t) => String(t[0]))).toEqual(new Map([...dijkstra(edges, 0)].map(([n, d]) => [String(n), d])));
      }),
      { numRuns: 150 },
    );
  });
  it("all-pairs shortest paths equal Floyd–Warshall", () => {
    fc.assert(
      fc.property(graph, (edges) => {
        const got = apsp.run({ edge: edges }).sp!;
        expect(asMap(got, (t) => `${t[0]},${t[1]}`)).toEqual(floydWarshall(edges));
      }),
      { numRuns: 150 },
    );
  });
  it("all-pairs shortest paths by doubling equal Floyd–Warshall, in one run and in two", () => {
    fc.assert(
      fc.property(graph, graph, (first, more) => {
        const key = (t: Tuple) => `${t[0]},${t[1]}`;
        const all = [...first, ...more];
        expect(asMap(doubling.run({ edge: all }).sp!, key)).toEqual(floydWarshall(all));
        const db = doubling.database();
        db.insert("edge", first);
        db.runSync();
        db.insert("edge", more);
        db.runSync();
        expect(asMap(db.tuples("sp"), key)).toEqual(floydWarshall(all));
      }),
      { numRuns: 150 },
    );
  });
  it("widest paths equal a worklist solver", () => {
    fc.assert(
      fc.property(graph, (edges) => {
        const got = wide.run({ link: edges, source: [[0]] }).width!;
        expect(asMap(got, (t) => String(t[0]))).toEqual(new Map([...widest(edges, 0)].map(([n, w]) => [String(n), w])));
      }),
      { numRuns: 150 },
    );
  });
  it("incremental shortest paths equal a run from scratch", () => {
    fc.assert(
      fc.property(graph, graph, (first, more) => {
        const db = apsp.database();
        db.insert("edge", first);
        db.runSync();
        db.insert("edge", more);
        db.runSync();
        const scratch = apsp.run({ edge: [...first, ...more] }).sp!;
        const key = (t: Tuple) => `${t[0]},${t[1]}`;
        expect(asMap(db.tuples("sp"), key)).toEqual(asMap(scratch, key));
      }),
      { numRuns: 150 },
    );
  });
});
