// Reads of lattice values: monotone reads (the head's lattice column through a
// monotone function, upward-closed guards in either direction, member) may sit
// in recursion; exact reads (equalities, other guards, ordinary columns, equal
// values across atoms, negation, constants) are freeze points, marked `exact`
// in the model and rejected in a cycle with the whole cycle shown.

import { describe, expect, it } from "vitest";
import { CairnError, compile, type Diagnostic } from "../index.js";
import type { CheckedProgram, MAtom } from "../lang/model.js";

const at = (s: Diagnostic["span"]) => (s ? `${s.start.line}:${s.start.col}` : "-");

function failure(src: string): Diagnostic {
  try {
    compile(src);
  } catch (e) {
    if (e instanceof CairnError && e.diagnostics.length === 1) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error("the program compiled");
}

const brief = (d: Diagnostic) => `${at(d.span)} ${d.code}: ${d.message}`;
const notes = (d: Diagnostic) => d.notes.map((n) => `${at(n.span)} ${n.message}`);

/** The relations each rule reads exactly, by rule id. */
function exactReads(p: CheckedProgram): string[][] {
  return p.rules.map((r) => r.body.filter((l): l is MAtom => l.kind === "atom" && l.exact === true).map((a) => a.relation));
}

const MIN = `.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(1, 0).
`;
const MAX = `.decl edge(x: number, y: number, c: number)
.decl width(x: number, w: max<number>)
width(1, 1000).
`;

describe("threshold guards in recursion", () => {
  const minRule = (guard: string) => `${MIN}dist(y, d + w) :- dist(x, d), edge(x, y, w), ${guard}.`;
  const maxRule = (guard: string) => `${MAX}width(y, min(w, c)) :- width(x, w), edge(x, y, c), ${guard}.`;

  it.each(["d <= 10", "d < 10", "10 >= d", "10 > d", "d + 1 <= 10", "-d >= -10", "d <= w"])(
    "accepts the upward-closed %j on min",
    (guard) => {
      const p = compile(minRule(guard));
      expect(exactReads(p.checked)[1]).toEqual([]);
      expect(p.checked.strata.find((s) => s.relations.includes("dist"))!.recursive).toBe(true);
    },
  );

  it.each(["w >= 10", "w > 10", "10 <= w", "10 < w", "w - c >= 0"])("accepts the upward-closed %j on max", (guard) => {
    expect(exactReads(compile(maxRule(guard)).checked)[1]).toEqual([]);
  });

  it.each([
    ["d >= 10", 'this comparison is not upward-closed in min<number>: it may turn false as "d" grows'],
    ["d > 10", 'this comparison is not upward-closed in min<number>: it may turn false as "d" grows'],
    ["10 <= d", 'this comparison is not upward-closed in min<number>: it may turn false as "d" grows'],
    ["d = 10", 'the comparison with "=" reads the exact value of "d"'],
    ["d != 10", 'the comparison with "!=" reads the exact value of "d"'],
  ])("rejects %j on min as an exact read in recursion", (guard, why) => {
    const d = failure(minRule(guard));
    expect(brief(d)).toBe(
      '4:19 exact-read-in-recursion: cannot stratify: "dist" reads its own lattice value exactly (cycle: dist -> exact(dist))',
    );
    expect(notes(d)).toEqual([
      '4:19 "dist" reads the lattice value of "dist" exactly here',
      `4:46 the read is exact because ${why}`,
      '- an exact read waits until "dist" is complete, which it cannot be while the cycle still derives its values',
    ]);
  });

  it.each(["w <= 10", "w < 10", "10 >= w"])("rejects %j on max as an exact read in recursion", (guard) => {
    const d = failure(maxRule(guard));
    expect(brief(d)).toBe(
      '4:24 exact-read-in-recursion: cannot stratify: "width" reads its own lattice value exactly (cycle: width -> exact(width))',
    );
    expect(notes(d)[1]).toBe(
      '4:52 the read is exact because this comparison is not upward-closed in max<number>: it may turn false as "w" grows',
    );
  });

  it("accepts member and size thresholds on sets, and rejects !member in recursion", () => {
    const sets = `.decl e(x: number, y: number)
.decl s(x: number, v: set<number>)
s(x, singleton(y)) :- e(x, y).
`;
    expect(exactReads(compile(`${sets}s(x, v) :- e(x, y), s(y, v), member(3, v), size(v) >= 2.`).checked)[1]).toEqual([]);
    const d = failure(`${sets}s(x, v) :- e(x, y), s(y, v), !member(3, v).`);
    expect(brief(d)).toBe('4:21 exact-read-in-recursion: cannot stratify: "s" reads its own lattice value exactly (cycle: s -> exact(s))');
    expect(notes(d)[1]).toBe('4:30 the read is exact because !member(…) reads the exact value of "v"');
  });
});

describe("exact reads", () => {
  it.each([
    ["final(x, d) :- dist(x, d).", '"d" is stored in the ordinary column "d" of "final"'],
    ["final(x, 0) :- dist(x, 5).", 'the lattice column of "dist" is matched against a constant, which tests its exact value'],
    ["final(x, 0) :- dist(x, d), edge(x, d, _).", '"d" is also column "y" of "edge" here: equality with a lattice value reads it exactly'],
    [
      "final(x, 0) :- dist(x, d), dist(y, d), edge(x, y, _).",
      '"d" is also the lattice value of "dist" here: equality of lattice values reads them exactly',
    ],
    ["final(x, 0) :- dist(x, d), !edge(x, x, d).", '"d" is used under a negation'],
    ["final(x, e) :- dist(x, d), e = d + 1.", 'the comparison with "=" reads the exact value of "d"'],
    ["final(x, 0) :- dist(x, d), edge(x, d + 1, _).", '"d" is used in an argument of "edge" here'],
  ])("%j is exact, and evaluated after dist", (rule, why) => {
    const src = `${MIN}dist(y, d + w) :- dist(x, d), edge(x, y, w).\n.decl final(x: number, d: number)\n${rule}`;
    const p = compile(src).checked;
    expect(exactReads(p)[2]!.length).toBeGreaterThan(0);
    const order = p.strata.map((s) => s.relations.join());
    expect(order.indexOf("final")).toBeGreaterThan(order.indexOf("dist"));
    // The same read made recursive is rejected, with the reason.
    const cyclic = `${src}\ndist(x, 0) :- final(x, _).`;
    const d = failure(cyclic);
    expect(d.code).toBe("exact-read-in-recursion");
    expect(d.notes.map((n) => n.message)).toContain(`the read is exact because ${why}`);
  });

  it("shows the whole cycle through other relations, one note per edge", () => {
    const d = failure(`.decl a(x: number, d: max<number>)
.decl b(x: number, d: max<number>)
a(x, d) :- b(x, d).
b(x, d) :- a(x, d), d < 10.
b(1, 1).`);
    expect(brief(d)).toBe(
      '4:12 exact-read-in-recursion: cannot stratify: "b" reads the lattice value of "a" exactly, which in turn depends on "b" (cycle: b -> exact(a) -> b)',
    );
    expect(notes(d)).toEqual([
      '4:12 "b" reads the lattice value of "a" exactly here',
      '3:12 "a" depends on "b" here',
      '4:21 the read is exact because this comparison is not upward-closed in max<number>: it may turn false as "d" grows',
      '- an exact read waits until "a" is complete, which it cannot be while the cycle still derives its values',
    ]);
  });

  it("marks both atoms when lattice values are compared across atoms (Ascent issue #22)", () => {
    const p = compile(`.decl a(x: number, d: max<number>)
.decl b(x: number, d: max<number>)
.decl same(x: number)
a(1, 1). b(1, 1).
same(x) :- a(x, d), b(x, d).`).checked;
    expect(exactReads(p)[2]).toEqual(["a", "b"]);
  });

  it("reads a lattice column's key alone (a wildcard) monotonically", () => {
    expect(
      exactReads(compile(`${MIN}dist(y, d + w) :- dist(x, d), edge(x, y, w).\n.decl seen(x: number)\nseen(x) :- dist(x, _).`).checked)[2],
    ).toEqual([]);
  });
});

describe("each lattice value judged on its own, the others held", () => {
  const both = `.decl dist(x: number, d: min<number>)
.decl width(x: number, w: max<number>)
.decl s(x: number, v: set<number>)
.decl near(x: number)
dist(1, 0). width(1, 5). s(1, singleton(2)).
`;
  const reads = (rule: string) => exactReads(compile(`${both}${rule}`).checked)[3];

  it("freezes only the value a guard is not upward-closed in", () => {
    // d + w shrinks as dist grows (a threshold on dist) and grows as width grows (not one on width).
    expect(reads("near(x) :- dist(x, d), width(x, w), d + w <= 10.")).toEqual(["width"]);
    expect(reads("near(x) :- dist(x, d), width(x, w), d - w <= 10.")).toEqual([]);
  });

  it("freezes the element of a member test, not the growing set", () => {
    expect(reads("near(x) :- s(x, v), width(x, w), member(w, v).")).toEqual(["width"]);
    // An element that depends on the set itself: the test can turn false as the set grows.
    expect(reads("near(x) :- s(x, v), member(size(v), v).")).toEqual(["s"]);
  });

  it("reads nothing of a value multiplied by zero", () => {
    expect(reads("near(x) :- dist(x, d), d * 0 >= 1.")).toEqual([]);
  });

  it("freezes a value matched in another atom's lattice column, as well as that atom's", () => {
    expect(reads("near(x) :- dist(x, d), width(x, d + 1).")).toEqual(["dist", "width"]);
  });
});

describe("aggregates in recursion", () => {
  it("suggest the lattice column that replaces a min aggregate", () => {
    const d = failure(`.decl e(x: number, y: number, w: number)
.decl dist(x: number, d: number)
dist(0, 0).
dist(y, d) :- e(x, y, _), d = min c : { dist(x, c0), e(x, y, w), c = c0 + w }.`);
    expect(brief(d)).toBe('4:41 aggregate-in-recursion: cannot stratify: "dist" aggregates over itself (cycle: dist -> min(dist))');
    expect(notes(d)).toEqual([
      '4:41 "dist" aggregates over "dist" here (min)',
      '- a lattice column keeps the least value per key without an aggregate: declare ".decl dist(x: number, d: min<number>)" ' +
        'and derive each candidate value of "d" in a rule of its own; the relation joins them with min',
    ]);
  });

  it("suggest max<T> with the aggregated column moved last, and nothing for count", () => {
    const d = failure(`.type Cost <: number
.decl best(c: Cost, x: symbol)
best(c, x) :- best(_, x), c = max k : { best(k, x) }.`);
    expect(notes(d)[1]).toBe(
      '- a lattice column keeps the greatest value per key without an aggregate: declare ".decl best(x: symbol, c: max<Cost>)" ' +
        'and derive each candidate value of "c" in a rule of its own; the relation joins them with max',
    );
    const count = failure(`.decl n(x: number, k: number)\nn(x, k) :- n(x, _), k = count : { n(_, _) }.`);
    expect(count.notes).toHaveLength(1);
  });
});
