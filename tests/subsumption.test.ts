// Soufflé's subsumption read as a lattice (lang/check/subsumption.ts): each
// dominance form gives the min or max column it stands for, the forms Cairn
// does not evaluate are located errors, and programs written with subsumption
// equal the same programs written with lattice columns and independent oracles.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, compile, type Tuple } from "../index.js";
import { errorsOf, okProgram } from "./check-helpers.js";

/** The relation's last column, with the line of the subsumption that made it a lattice in place of its span. */
const lastColumn = (text: string, rel: string) => {
  const { subsumption, ...col } = okProgram(text).relations.get(rel)!.columns.at(-1)!;
  return { ...col, line: subsumption?.start.line };
};

describe("subsumption as a lattice column", () => {
  it.each([
    ["d2 <= d1", "min"],
    ["d2 < d1", "min"],
    ["d1 >= d2", "min"],
    ["d1 > d2", "min"],
    ["d1 <= d2", "max"],
    ["d1 < d2", "max"],
    ["d2 >= d1", "max"],
    ["d2 > d1", "max"],
  ])("r(x, d1) <= r(x, d2) :- %s keeps the %s", (cmp, lattice) => {
    const col = lastColumn(`.decl r(x: symbol, d: unsigned) btree_delete\n.input r\nr(x, d1) <= r(x, d2) :- ${cmp}.`, "r");
    expect(col).toEqual({
      name: "d",
      type: "unsigned",
      typeName: `${lattice}<unsigned>`,
      lattice: { name: lattice, elem: "unsigned" },
      line: 3,
    });
  });

  it("reads several key columns, floats, subtypes, no key at all, and a repeated subsumption", () => {
    const text = `.type Cost <: float
.decl sp(x: number, y: number, c: Cost)
.decl best(v: number)
.input sp, best
sp(x, y, c1) <= sp(x, y, c2) :- c2 <= c1.
sp(a, b, c1) <= sp(a, b, c2) :- c1 > c2.
best(a) <= best(b) :- a < b.`;
    expect(lastColumn(text, "sp")).toEqual({
      name: "c",
      type: "float",
      typeName: "min<Cost>",
      lattice: { name: "min", elem: "float" },
      line: 5,
    });
    expect(lastColumn(text, "best").lattice).toEqual({ name: "max", elem: "number" });
  });

  it("shows the CALM analysis the lattice, explained at the subsumption", () => {
    const p = okProgram(
      ".decl e(x: number, y: number, c: number)\n.input e\n.decl sp(x: number, y: number, c: number)\n" +
        "sp(x, y, c) :- e(x, y, c).\nsp(x, z, c + d) :- sp(x, y, c), e(y, z, d).\nsp(x, y, c1) <= sp(x, y, c2) :- c2 <= c1.",
    );
    const sp = analyze(p).relations.find((r) => r.name === "sp")!;
    expect([sp.class, sp.lattice, sp.coordinationFree]).toEqual(["lattice-monotone", "min<number>", true]);
    expect(sp.reasons.map((r) => `${r.span?.start.line}:${r.span?.start.col} ${r.message}`)).toContain(
      "6:1 holds min<number> values, as its subsumption keeps one value per key: what is derived for a key is joined",
    );
  });

  it("reports subsumption between two relations, where it is written", () => {
    const decls = ".decl r(x: number, d: number)\n.decl q(x: number, d: number)\n.input r, q\n";
    expect(errorsOf(`${decls}r(x, a) <= q(x, b) :- a < b.`)).toEqual([
      '4:1 unsupported: this form of subsumption is not supported: the two atoms name different relations ("r" and "q")',
    ]);
  });

  it("evaluates the other forms as Soufflé's deletion of dominated tuples", () => {
    // r's tuples come from a rule, as its facts would: its rules derive what its subsumptions then thin out.
    const run = (rule: string, r: Tuple[], q: Tuple[] = []) =>
      sorted(
        compile(
          `.decl given(x: number, d: number)\n.decl r(x: number, d: number)\n.decl q(x: number, d: number)\nr(x, d) :- given(x, d).\n${rule}`,
        ).run({ given: r, q }).r!,
      );
    const r: Tuple[] = [
      [1, 5],
      [1, 7],
      [2, 3],
      [3, 3],
    ];
    // Any smaller d anywhere dominates: only the smallest d stays.
    expect(run("r(x, a) <= r(y, b) :- b < a.", r)).toEqual(
      sorted([
        [2, 3],
        [3, 3],
      ]),
    );
    expect(run("r(_, a) <= r(_, b) :- b < a.", r)).toEqual(
      sorted([
        [2, 3],
        [3, 3],
      ]),
    );
    // A tuple never dominates itself, even where the body allows it; (2, 3) and (3, 3) dominate each other, and both go.
    expect(run("r(x, a) <= r(y, b) :- b <= a.", r)).toEqual([]);
    expect(run("r(x, a) <= r(y, b) :- b <= a, x = y.", r)).toEqual(
      sorted([
        [1, 5],
        [2, 3],
        [3, 3],
      ]),
    );
    expect(run("r(x, a) <= r(x, a) :- a < a.", r)).toEqual(sorted(r));
    // A body reading another relation: (1, 5) is dropped for (1, 7) only where q says so.
    expect(run("r(x, a) <= r(x, b) :- a < b, q(x, a).", r, [[1, 5]])).toEqual(
      sorted([
        [1, 7],
        [2, 3],
        [3, 3],
      ]),
    );
    expect(run("r(x, a) <= r(x, b) :- a != b, a < 6.", r)).toEqual(
      sorted([
        [1, 7],
        [2, 3],
        [3, 3],
      ]),
    );
  });

  it("keeps the maximal intervals, as a direct computation does, with merging rules recursive through the dominated relation", () => {
    const p = compile(`
      .decl i(lb: number, ub: number)
      .decl R(lb: number, ub: number)
      R(l, u) :- i(l, u).
      R(min(l1, l2), max(u1, u2)) :- R(l1, u1), R(l2, u2), l2 <= u1, l1 <= u2.
      R(l1, u1) <= R(l2, u2) :- l2 <= l1, u1 <= u2.`);
    const intervals = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 8 })).map(([l, w]) => [l, l + w] as [number, number]),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(intervals, (is) => {
        // Merge overlapping intervals, then keep those no other contains.
        const all = new Set(is.map(([l, u]) => `${l},${u}`));
        for (let changed = true; changed; ) {
          changed = false;
          const list = [...all].map((s) => s.split(",").map(Number) as [number, number]);
          for (const [l1, u1] of list)
            for (const [l2, u2] of list)
              if (l2 <= u1 && l1 <= u2) {
                const k = `${Math.min(l1, l2)},${Math.max(u1, u2)}`;
                if (!all.has(k)) {
                  all.add(k);
                  changed = true;
                }
              }
        }
        const list = [...all].map((s) => s.split(",").map(Number) as [number, number]);
        const maximal = list.filter(([l1, u1]) => !list.some(([l2, u2]) => (l2 !== l1 || u2 !== u1) && l2 <= l1 && u1 <= u2));
        expect(sorted(p.run({ i: is }).R!)).toEqual(sorted(maximal));
      }),
      { numRuns: 40 },
    );
  });

  it("rejects relations it cannot give such a column, and opposite directions", () => {
    expect(errorsOf(".decl r(x: number, d: min<number>)\n.input r\nr(x, a) <= r(x, b) :- a < b.")).toEqual([
      '3:1 bad-subsumption: "r" already has a lattice column (min<number>); subsumption cannot make it another',
    ]);
    expect(errorsOf(".decl r(x: number, s: symbol)\n.input r\nr(x, a) <= r(x, b) :- a < b.")).toEqual([
      '3:1 bad-subsumption: the last column of "r" is a symbol, and subsumption on it would need an order Cairn has only for numbers',
    ]);
    expect(errorsOf(".decl r(x: number, d: number)\n.input r\nr(x, a) <= r(x, b) :- a < b.\nr(x, a) <= r(x, b) :- a > b.")).toEqual([
      '4:1 bad-subsumption: this subsumption keeps the smallest value of "r" per key, an earlier one the largest',
    ]);
    expect(errorsOf(".decl r(x: number, d: number)\n.input r\nr(x, a) <= r(x, y, b) :- a < b.")).toEqual([
      '3:12 arity-mismatch: relation "r" has 2 columns, but this atom has 3 arguments',
    ]);
    expect(errorsOf("r(x, a) <= r(x, b) :- a < b.")).toEqual(['1:1 undeclared-relation: relation "r" is not declared']);
  });
});

type Edge = [number, number, number];
const graph = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 50 })), {
  maxLength: 40,
});
const sorted = (ts: Tuple[]) => ts.map((t) => JSON.stringify(t)).sort();

describe("programs written with subsumption", () => {
  const souffleStyle = compile(`
.decl edge(x: number, y: number, w: number)
.decl sp(x: number, y: number, d: number) btree_delete
sp(x, y, w) :- edge(x, y, w).
sp(x, z, d + w) :- sp(x, y, d), edge(y, z, w).
sp(x, y, d1) <= sp(x, y, d2) :- d2 <= d1.`);
  const latticeStyle = compile(`
.decl edge(x: number, y: number, w: number)
.decl sp(x: number, y: number, d: min<number>)
sp(x, y, w) :- edge(x, y, w).
sp(x, z, d + w) :- sp(x, y, d), edge(y, z, w).`);
  const widest = compile(`
.decl link(x: number, y: number, c: number)
.decl width(x: number, w: number)
width(0, 1000).
width(y, min(w, c)) :- width(x, w), link(x, y, c).
width(x, a) <= width(x, b) :- a < b.`);

  it("all-pairs shortest paths equal the program with a min<number> column, and Floyd–Warshall on a small graph", () => {
    fc.assert(
      fc.property(graph, (edges: Edge[]) => {
        expect(sorted(souffleStyle.run({ edge: edges }).sp!)).toEqual(sorted(latticeStyle.run({ edge: edges }).sp!));
      }),
      { numRuns: 100 },
    );
    // 1 -> 2 -> 3 costs 2, the direct edge 1 -> 3 costs 5; 3 -> 1 closes a cycle.
    const sp = souffleStyle.run({
      edge: [
        [1, 2, 1],
        [2, 3, 1],
        [1, 3, 5],
        [3, 1, 1],
      ],
    }).sp!;
    expect(sorted(sp)).toEqual(
      sorted([
        [1, 1, 3],
        [1, 2, 1],
        [1, 3, 2],
        [2, 1, 2],
        [2, 2, 3],
        [2, 3, 1],
        [3, 1, 1],
        [3, 2, 2],
        [3, 3, 3],
      ]),
    );
  });

  it("widest paths keep the largest bottleneck per node (a worklist solver agrees)", () => {
    fc.assert(
      fc.property(graph, (links: Edge[]) => {
        const width = new Map<number, number>([[0, 1000]]);
        const work = [0];
        while (work.length > 0) {
          const x = work.pop()!;
          for (const [a, b, c] of links) {
            const w = Math.min(width.get(x)!, c);
            if (a === x && (!width.has(b) || w > width.get(b)!)) {
              width.set(b, w);
              work.push(b);
            }
          }
        }
        expect(sorted(widest.run({ link: links }).width!)).toEqual(sorted([...width].map(([n, w]) => [n, w])));
      }),
      { numRuns: 100 },
    );
  });
});
