// The analysis through the API and on programs the checks never hand over:
// `program.analysis`, plain JSON data; a non-monotone lattice head, an exact
// mark it cannot explain, a freeze point inside recursion (rejected with the
// whole cycle and the fix), the lattice rewrite for a min aggregate in recursion.

import { describe, expect, it } from "vitest";
import { analyze, compile, latticeRewriteNote } from "../index.js";
import type { MAtom } from "../lang/model.js";
import { atom, c, MAX, MIN, program, relation, rule, v } from "./calm/build.js";
import { errorsText, goldenText } from "./calm/golden.js";

const cart = `
.decl add(session: symbol, item: symbol)
.input add
.decl remove(session: symbol, item: symbol)
.input remove
.decl cart(session: symbol, items: set<symbol>)
.output cart
cart(s, singleton(i)) :- add(s, i).
.decl live(session: symbol, item: symbol)
.output live
live(s, i) :- add(s, i), !remove(s, i).
`;

describe("program.analysis", () => {
  it("classifies every relation and rule, once", () => {
    const p = compile(cart, { file: "cart.dl" });
    const a = p.analysis;
    expect(p.analysis).toBe(a);
    expect(a.schema).toBe("cairn.analysis/1");
    expect(a.relations.map((r) => [r.name, r.class, r.coordinationFree])).toEqual([
      ["add", "monotone", true],
      ["remove", "monotone", true],
      ["cart", "lattice-monotone", true],
      ["live", "non-monotone", false],
    ]);
    expect(a.rules.map((r) => [r.id, r.head, r.class])).toEqual([
      [0, "cart", "lattice-monotone"],
      [1, "live", "non-monotone"],
    ]);
    expect(a.outputs.map((o) => [o.relation, o.coordinationFree, o.verdict])).toEqual([
      ["cart", true, "coordination-free: the values only grow and converge; read them final after the run"],
      ["live", false, 'needs coordination: it waits for "remove" (rule 1, negation) to be frozen'],
    ]);
    expect(a.freezePoints).toEqual([
      expect.objectContaining({
        relation: "remove",
        rule: 1,
        kind: "negation",
        span: expect.objectContaining({ file: "cart.dl", start: expect.objectContaining({ line: 11, col: 26 }) }),
      }),
    ]);
    expect(a.strata).toEqual([["add"], ["remove"], ["cart"], ["live"]]);
    expect(a.strataInfo.map((s) => s.barrier)).toEqual([false, false, false, true]);
    expect(a.rules[1]!.reads.map((r) => [r.relation, r.mode])).toEqual([
      ["add", "monotone"],
      ["remove", "freeze"],
    ]);
  });

  it("is plain data: JSON gives it back unchanged", () => {
    const a = compile(cart).analysis;
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("does not count a stratum boundary between lattice-monotone operators as a coordination point (Hydro #943)", () => {
    const a = compile(`
      .decl vote(item: symbol, voter: symbol)
      .input vote
      .decl votes(item: symbol, n: max<number>)
      votes(i, n) :- vote(i, _), n = count : { vote(i, _) }.
      .decl top(n: max<number>)
      top(n) :- votes(_, n).
    `).analysis;
    expect(a.strata).toEqual([["vote"], ["votes"], ["top"]]);
    expect(a.strataInfo.map((s) => s.barrier)).toEqual([false, false, false]);
    expect(a.freezePoints).toEqual([]);
  });
});

describe("hand-built programs", () => {
  it("freezes a lattice value stored through a function that does not keep its order", () => {
    // bumped(p, @bump(s)) :- score(p, s).   with @bump not declared monotone (the checks reject this)
    const score = atom("score", [v("p", 2, 24), v("s", 2, 33)], 2, 24);
    const head = atom(
      "bumped",
      [v("p", 2, 8), { kind: "call", name: "@bump", type: "number", args: [v("s", 2, 17)], span: { ...v("s", 2, 11).span } }],
      2,
    );
    const p = program(
      [relation("score", ["p", "s"], MAX, 1), relation("bumped", ["p", "s"], MAX, 1)],
      [rule(0, head, [score])],
      [
        { relations: ["score"], rules: [], recursive: false },
        { relations: ["bumped"], rules: [0], recursive: false },
      ],
      { functors: new Map([["bump", { name: "bump", params: ["number"], result: "number", monotone: false, span: head.span }]]) },
    );
    const a = analyze(p);
    expect(a.rules[0]!.class).toBe("non-monotone");
    expect(a.freezePoints).toEqual([
      expect.objectContaining({
        relation: "score",
        kind: "functor",
        reason:
          'the max<number> value of "score" flows into the max<number> column "s" of "bumped" through @bump(s): @bump is not declared monotone',
      }),
    ]);
    // Declared monotone, the same rule is lattice-monotone.
    const trusted = analyze({ ...p, functors: new Map([["bump", { ...p.functors!.get("bump")!, monotone: true }]]) });
    expect(trusted.rules[0]!.class).toBe("lattice-monotone");
  });

  it("reports an exact mark of the checks that no use explains", () => {
    const p = compile(".decl d(x: number, v: min<number>)\n.input d\n.decl near(x: number)\nnear(x) :- d(x, v), v <= 3.\n").analysis;
    expect(p.rules[0]!.class).toBe("threshold");
    const checked = compile(".decl d(x: number, v: min<number>)\n.input d\n.decl near(x: number)\nnear(x) :- d(x, v), v <= 3.\n").checked;
    const marked = {
      ...checked,
      rules: checked.rules.map((r) => ({ ...r, body: r.body.map((l) => (l.kind === "atom" ? ({ ...l, exact: true } as MAtom) : l)) })),
    };
    const a = analyze(marked);
    expect(a.rules[0]!.class).toBe("non-monotone");
    expect(a.freezePoints.map((f) => f.reason)).toEqual(['the checks mark this read of the min<number> value of "d" as exact']);
  });

  it("rejects a freeze point inside recursion with the whole cycle and the lattice column that fixes it", () => {
    // 2: dist(y, d + 1) :- hop(x, d), edge(x, y).     3: hop(x, d) :- dist(x, d).
    const plus: import("../lang/model.js").MTerm = {
      kind: "binary",
      op: "+",
      type: "number",
      left: v("d", 2, 9),
      right: c(1, 2, 13),
      span: v("d", 2, 9).span,
    };
    const p = program(
      [relation("edge", ["x", "y"], undefined, 1), relation("dist", ["x", "d"], MIN, 1), relation("hop", ["x", "d"], undefined, 1)],
      [
        rule(0, atom("dist", [v("y", 2, 6), plus], 2), [
          atom("hop", [v("x", 2, 23), v("d", 2, 26)], 2, 19),
          atom("edge", [v("x", 2, 34), v("y", 2, 37)], 2, 29),
        ]),
        rule(1, atom("hop", [v("x", 3, 5), v("d", 3, 8)], 3), [atom("dist", [v("x", 3, 19), v("d", 3, 22)], 3, 14)]),
      ],
      [
        { relations: ["edge"], rules: [], recursive: false },
        { relations: ["dist", "hop"], rules: [0, 1], recursive: true },
      ],
    );
    const a = analyze(p);
    expect(a.cycles).toEqual([
      {
        freezePoint: 0,
        edges: [
          expect.objectContaining({ from: "dist", to: "hop", rule: 1, freeze: true }),
          expect.objectContaining({ from: "hop", to: "dist", rule: 0, freeze: false }),
        ],
      },
    ]);
    expect(errorsText(a.diagnostics)).toEqual([
      "error 3:8 freeze-in-recursion (cycle: hop -> exact(dist) -> hop)",
      "  note 3:8",
      "  note 2:19",
      "  note 3:8",
    ]);
    const d = a.diagnostics[0]!;
    expect(d.message).toBe(
      'cannot evaluate: "hop" needs "dist" complete, which in turn depends on "hop", so it can never be frozen (cycle: hop -> exact(dist) -> hop)',
    );
    expect(d.notes.map((n) => n.message)).toEqual([
      '"hop" reads "dist" here, and only the complete "dist" will do: the min<number> value of "dist" is bound into the ordinary column "d" of "hop": an exact read of a value that may still grow',
      '"dist" depends on "hop" here',
      'declare the column "d" of "hop" as min<number>: the value then only grows there, with no barrier',
    ]);
    expect(goldenText(a)).toContain("error 3:8 freeze-in-recursion");
  });
});

describe("latticeRewriteNote", () => {
  it("suggests a min<number> column and the rule without the aggregate", () => {
    // The recursive rule of tests/calm/min-aggregate-recursion.dl, with its own read renamed so that it checks.
    const p = compile(
      ".decl edge(x: number, y: number, w: number)\n.decl prev(x: number, d: number)\n.decl dist(x: number, d: number)\n" +
        "dist(y, d) :- edge(_, y, _), d = min c : { prev(x, c0), edge(x, y, w), c = c0 + w }.\n",
    );
    const r = p.checked.rules[0]!;
    const renamed = JSON.parse(JSON.stringify(r).replace(/"prev"/g, '"dist"'));
    const note = latticeRewriteNote(renamed, p.checked.relations.get("dist")!.columns);
    expect(note?.message).toBe(
      'a lattice computes the least value per key without a barrier: declare the column "d" as min<number> ' +
        "(`.decl dist(x: number, d: min<number>)`) and derive it without the aggregate: " +
        "`dist(y, c0 + w) :- edge(_, y, _), dist(x, c0), edge(x, y, w).`",
    );
    expect(note?.span?.start).toMatchObject({ line: 4, col: 34 });
  });

  it("has nothing to suggest for a count", () => {
    const p = compile(".decl e(x: number)\n.decl n(k: number)\nn(k) :- k = count : { e(_) }.\n");
    expect(latticeRewriteNote(p.checked.rules[0]!)).toBeUndefined();
  });
});
