// Aggregate witnesses and Soufflé's counting of aggregate bodies, on small
// programs whose results are worked out by hand, checked against both the
// naive oracle and the engine.

import { describe, it } from "vitest";
import { expectBoth } from "./oracle/harness.js";

const f = Math.fround;

describe("witnesses of min and max", () => {
  const students = `
    .decl student(name: symbol, height: number)
    .decl member(name: symbol, team: symbol)
    .decl tallest(name: symbol, h: number)
    .decl tallestIn(team: symbol, name: symbol, h: number)
    .decl shout(s: symbol)
    tallest(s, h) :- h = max x : { student(s, x) }.
    tallestIn(t, s, h) :- member(_, t), h = max x : { member(s, t), student(s, x) }.
    shout(cat(s, "!")) :- _ = max x : { student(s, x) }, s != "Quin".`;
  const student = [
    ["Anna", 170],
    ["Rachel", 180],
    ["Quin", 180],
    ["Bob", 175],
  ];
  const member = [
    ["Anna", "red"],
    ["Rachel", "red"],
    ["Quin", "blue"],
    ["Bob", "blue"],
  ];

  it("binds the witness to every binding that attains the maximum, per group", () => {
    expectBoth(
      students,
      { student, member },
      {
        tallest: [
          ["Rachel", 180],
          ["Quin", 180],
        ],
        tallestIn: [
          ["red", "Rachel", 180],
          ["blue", "Quin", 180],
        ],
        shout: [["Rachel!"]],
      },
    );
  });

  it("gives nothing when the body has no binding", () => {
    expectBoth(students, { student: [], member }, { tallest: [], tallestIn: [], shout: [] });
  });

  it("exports several witnesses of a target expression, with the result discarded", () => {
    const src = `
      .decl a(x: number, y: number)
      .decl minsum(x: number, y: number)
      minsum(x, y) :- _ = min x + y : { a(x, y) }.`;
    const a = [
      [1, 2],
      [5, 6],
      [-50, 3],
      [2, 1],
      [0, -47],
    ];
    expectBoth(
      src,
      { a },
      {
        minsum: [
          [-50, 3],
          [0, -47],
        ],
      },
    );
  });

  it("keeps the bindings that attain both aggregates when two export the same variable", () => {
    const src = `
      .decl f(p: symbol, a: number, b: number)
      .decl both(p: symbol)
      both(p) :- _ = max a : { f(p, a, _) }, _ = min b : { f(p, _, b) }.`;
    // max a = 5: x and y; min b = 1: x and z.
    expectBoth(
      src,
      {
        f: [
          ["x", 5, 1],
          ["y", 5, 3],
          ["z", 2, 1],
        ],
      },
      { both: [["x"]] },
    );
  });

  it("works over float targets and over a recursive relation of a lower stratum", () => {
    const src = `
      .decl price(item: symbol, p: float)
      .decl cheapest(item: symbol, p: float)
      cheapest(i, p) :- p = min q : { price(i, q) }.
      .decl edge(x: symbol, y: symbol)
      .decl len(x: symbol, y: symbol, l: number)
      .decl longest(x: symbol, y: symbol, l: number)
      len(x, y, 1) :- edge(x, y).
      len(x, y, l + 1) :- edge(x, z), len(z, y, l).
      longest(x, y, l) :- l = max m : len(x, y, m).`;
    const price = [
      ["x", 1.5],
      ["y", 0.5],
      ["z", 0.5],
    ];
    const edge = [
      ["a", "b"],
      ["b", "c"],
      ["a", "c"],
      ["c", "d"],
    ];
    expectBoth(
      src,
      { price, edge },
      {
        cheapest: [
          ["y", f(0.5)],
          ["z", f(0.5)],
        ],
        longest: [["a", "d", 3]],
      },
    );
  });

  it("reaches the rule from a min nested in a count, which keeps its own copy of the variable", () => {
    const src = `
      .decl d(y: number, w: number)
      .decl b(x: number, z: number)
      .decl reach(n: number, w: number)
      reach(n, w) :- n = count : { b(x, _), x > min y : { d(y, w) } }.`;
    // min y = 1, attained with w = 10 and w = 20; the count is over distinct x > 1: 2 and 5.
    const d = [
      [1, 10],
      [1, 20],
      [3, 30],
    ];
    const b = [
      [2, 7],
      [2, 8],
      [5, 9],
    ];
    expectBoth(
      src,
      { d, b },
      {
        reach: [
          [2, 10],
          [2, 20],
        ],
      },
    );
  });

  it("evaluates nested aggregates inside a witness's aggregate", () => {
    const src = `
      .decl p(a: symbol)
      .decl h(a: symbol, m: number)
      .decl fewest(a: symbol, n: number)
      fewest(a, n) :- n = min k : { p(a), k = count : { h(a, _) } }.`;
    const p = [["ann"], ["bea"], ["cy"]];
    const h = [
      ["ann", 1],
      ["ann", 2],
      ["bea", 3],
      ["cy", 4],
      ["cy", 5],
    ];
    expectBoth(src, { p, h }, { fewest: [["bea", 1]] });
  });
});

describe("what count, sum and mean range over", () => {
  const src = `
    .decl e(x: number, y: number)
    .decl c(k: number)
    .decl t(a: number, b: number, s: symbol)
    .decl out(what: symbol, n: number)
    .decl avg(m: float)
    out("tuples", n) :- n = count : { e(x, _), x > 0 }.
    out("pairs", n) :- n = count : { e(x, _), c(x) }.
    out("sum", n) :- n = sum x : { e(x, _), c(_) }.
    out("repeated", n) :- n = count : { t(x, x, _) }.
    out("single", n) :- n = sum y : { e(_, y) }.
    avg(m) :- m = mean to_float(x) : { e(x, _), c(_) }.`;
  const e = [
    [1, 1],
    [1, 2],
    [2, 5],
    [0, 1],
  ];
  const c = [[1], [2]];
  const t = [
    [1, 1, "a"],
    [1, 1, "b"],
    [2, 2, "c"],
    [1, 2, "d"],
  ];

  it("a body of one atom: its matching tuples; otherwise the distinct values of the body's variables", () => {
    expectBoth(
      src,
      { e, c, t },
      {
        out: [
          ["tuples", 3], // e(1, 1), e(1, 2), e(2, 5)
          ["pairs", 2], // x = 1 and x = 2, not one per tuple of e
          ["sum", 3], // 0 + 1 + 2, each x once
          ["repeated", 2], // x = 1 and x = 2
          ["single", 9], // 1 + 2 + 5 + 1, one per tuple
        ],
        avg: [[1]],
      },
    );
  });
});
