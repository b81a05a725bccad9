// Lattice programs end to end, from .dl text through compile() to the engine:
// shortest and widest paths, a bitset lattice with an expression Lub, a sign
// lattice whose Lub and transfer function are functors given through the API,
// sets with singleton and member, pairs, booleans, and facts joined per key.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";

/** A relation's tuples in a stable order. */
function sorted(tuples: readonly Tuple[]): Tuple[] {
  return [...tuples].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe("built-in lattices", () => {
  it("runs the issue's shortest-path example as written", () => {
    const p = compile(`
.decl source(x: number)
.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(x, 0)     :- source(x).
dist(y, d + w) :- dist(x, d), edge(x, y, w).
`);
    const out = p.run({
      source: [[1]],
      edge: [
        [1, 2, 3],
        [2, 3, 4],
        [1, 3, 10],
      ],
    });
    expect(sorted(out["dist"]!)).toEqual([
      [1, 0],
      [2, 3],
      [3, 7],
    ]);
    expect(p.checked.relations.get("dist")!.columns[1]).toEqual({
      name: "d",
      type: "number",
      typeName: "min<number>",
      lattice: { name: "min", elem: "number" },
    });
  });

  it("answers threshold queries on the shortest distances, in the same stratum as dist", () => {
    const p = compile(`
.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
.decl near(x: number)
dist(1, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w), d <= 100.
near(x) :- dist(x, d), d < 5.
`);
    const out = p.run({
      edge: [
        [1, 2, 3],
        [2, 3, 4],
        [1, 3, 10],
        [3, 1, 1],
      ],
    });
    expect(sorted(out["dist"]!)).toEqual([
      [1, 0],
      [2, 3],
      [3, 7],
    ]);
    expect(sorted(out["near"]!)).toEqual([[1], [2]]);
  });

  it("finds the widest paths with max and min(a, b)", () => {
    const p = compile(`
.decl edge(x: number, y: number, c: number)
.decl width(x: number, w: max<number>)
width(1, 1000).
width(y, min(w, c)) :- width(x, w), edge(x, y, c).
`);
    const out = p.run({
      edge: [
        [1, 2, 10],
        [2, 3, 4],
        [1, 3, 3],
        [3, 4, 8],
        [2, 4, 6],
      ],
    });
    expect(sorted(out["width"]!)).toEqual([
      [1, 1000],
      [2, 10],
      [3, 4],
      [4, 6],
    ]);
  });

  it("keeps float minima and joins facts per key", () => {
    const p = compile(`
.decl cost(k: symbol, c: min<float>)
cost("a", 2.5).
cost("a", 1.5).
cost("b", 3.0).
cost(k, c * 2.0) :- cost(k, c), c < 1.0.
`);
    expect(sorted(p.run()["cost"]!)).toEqual([
      ["a", 1.5],
      ["b", 3],
    ]);
  });

  it("collects sets with singleton, tests them with member and size", () => {
    const p = compile(`
.decl edge(x: symbol, y: symbol)
.decl reach(x: symbol, s: set<symbol>)
reach(x, singleton(y)) :- edge(x, y).
reach(x, s) :- edge(x, y), reach(y, s).
.decl via_c(x: symbol)
via_c(x) :- reach(x, s), member("c", s).
.decl hub(x: symbol)
hub(x) :- reach(x, s), size(s) >= 3.
`);
    const out = p.run({
      edge: [
        ["a", "b"],
        ["b", "c"],
        ["c", "d"],
      ],
    });
    const reach = new Map(out["reach"]!.map(([k, s]) => [k, [...(s as string[])].sort()]));
    expect(Object.fromEntries(reach)).toEqual({ a: ["b", "c", "d"], b: ["c", "d"], c: ["d"] });
    expect(sorted(out["via_c"]!)).toEqual([["a"], ["b"]]);
    expect(sorted(out["hub"]!)).toEqual([["a"]]);
  });

  it("joins pairs component-wise, reading them with first and second", () => {
    const p = compile(`
.decl edge(x: number, y: number, w: number)
.decl best(x: number, v: pair<min<number>, max<number>>)
best(1, pair(0, 100)).
best(y, pair(first(v) + w, min(second(v), w))) :- best(x, v), edge(x, y, w).
.decl cheap(x: number)
cheap(x) :- best(x, v), first(v) <= 3.
`);
    const out = p.run({
      edge: [
        [1, 2, 3],
        [2, 3, 4],
        [1, 3, 10],
      ],
    });
    expect(sorted(out["best"]!)).toEqual([
      [1, [0, 100]],
      [2, [3, 3]],
      [3, [7, 10]],
    ]);
    expect(sorted(out["cheap"]!)).toEqual([[1], [2]]);
  });

  it("has the boolean lattices or and and", () => {
    const p = compile(`
.decl edge(x: number, y: number)
.decl bad(x: number)
.decl tainted(x: number, t: or)
.decl clean(x: number, c: and)
tainted(x, 1) :- bad(x).
tainted(x, t) :- edge(x, y), tainted(y, t).
clean(x, 1) :- edge(x, _).
clean(x, 0) :- bad(x).
clean(x, c) :- edge(x, y), clean(y, c).
`);
    const out = p.run({
      edge: [
        [1, 2],
        [2, 3],
        [4, 5],
      ],
      bad: [[3]],
    });
    expect(sorted(out["tainted"]!)).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // and's bottom is true (1): a key appears once some derivation says false.
    expect(sorted(out["clean"]!)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it("evaluates an exact read only once the lattice relation is complete", () => {
    const p = compile(`
.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
.decl final(x: number, d: number)
.decl far(x: number)
dist(1, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w).
final(x, d) :- dist(x, d).
far(x) :- dist(x, d), d > 5.
`);
    const out = p.run({
      edge: [
        [1, 2, 3],
        [2, 3, 4],
        [1, 3, 10],
      ],
    });
    expect(sorted(out["final"]!)).toEqual([
      [1, 0],
      [2, 3],
      [3, 7],
    ]);
    expect(sorted(out["far"]!)).toEqual([[3]]);
  });
});

describe("user lattices", () => {
  it("analyses signs with a bitset lattice whose Lub is an expression", () => {
    const p = compile(`
.type Sign <: number   // bits: 1 negative, 2 zero, 4 positive
.lattice Sign<> { Bottom -> 0, Top -> 7, Lub -> _ bor _, Glb -> _ band _ }
.decl val(x: symbol, v: number)
.decl assign(x: symbol, y: symbol)
.decl sign(x: symbol, s: Sign<>)
sign(x, 1) :- val(x, v), v < 0.
sign(x, 2) :- val(x, v), v = 0.
sign(x, 4) :- val(x, v), v > 0.
sign(x, s) :- assign(x, y), sign(y, s).
.decl maybe_negative(x: symbol)
maybe_negative(x) :- sign(x, s), s band 1 != 0.
`);
    const out = p.run({
      val: [
        ["a", -3],
        ["a", 5],
        ["b", 0],
      ],
      assign: [
        ["c", "a"],
        ["c", "b"],
        ["d", "c"],
      ],
    });
    expect(sorted(out["sign"]!)).toEqual([
      ["a", 5],
      ["b", 2],
      ["c", 7],
      ["d", 7],
    ]);
    expect(sorted(out["maybe_negative"]!)).toEqual([["a"], ["c"], ["d"]]);
    expect(p.checked.lattices!.get("Sign")).toMatchObject({
      name: "Sign",
      elem: "number",
      bottom: { kind: "const", value: 0 },
      lub: { kind: "binary", op: "bor", left: { kind: "var", name: "$1" }, right: { kind: "var", name: "$2" } },
      glb: { kind: "binary", op: "band" },
      top: { kind: "const", value: 7 },
    });
  });

  it("takes the Lub and monotone transfer functions from functors given through the API", () => {
    const p = compile(
      `
.type Sign <: symbol
.functor sign_lub(a: Sign, b: Sign): Sign
.functor sign_of(v: number): Sign
.functor negate(s: Sign): Sign monotone
.lattice Sign<> { Bottom -> "bot", Top -> "top", Lub -> @sign_lub(_, _) }
.decl val(x: symbol, v: number)
.decl neg(x: symbol, y: symbol)
.decl sign(x: symbol, s: Sign<>)
sign(x, @sign_of(v)) :- val(x, v).
sign(x, @negate(s)) :- neg(x, y), sign(y, s).
`,
      {
        functors: {
          sign_lub: (a, b) => (a === "bot" ? b : b === "bot" ? a : a === b ? a : "top"),
          sign_of: (v) => ((v as number) < 0 ? "-" : v === 0 ? "0" : "+"),
          negate: (s) => (s === "-" ? "+" : s === "+" ? "-" : s),
        },
      },
    );
    const out = p.run({
      val: [
        ["a", 4],
        ["b", -1],
        ["b", 0],
      ],
      neg: [
        ["c", "a"],
        ["d", "b"],
      ],
    });
    expect(sorted(out["sign"]!)).toEqual([
      ["a", "+"],
      ["b", "top"],
      ["c", "-"],
      ["d", "top"],
    ]);
    expect(p.checked.functors!.get("negate")).toMatchObject({ name: "negate", params: ["symbol"], result: "symbol", monotone: true });
    expect(p.checked.functors!.get("sign_lub")!.monotone).toBe(false);
  });

  it("takes a Lub written with built-in functors on an unsigned carrier", () => {
    const p = compile(`
.type Level <: unsigned
.lattice Level<> { Bottom -> 0u, Lub -> max(_, _) }
.decl level(x: number, l: Level<>)
level(1, 3u).
level(1, 2u).
level(2, 1u).
level(2, l) :- level(1, l).
`);
    expect(sorted(p.run()["level"]!)).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });
});

describe("on random graphs", () => {
  const graph = fc.array(fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 }), fc.integer({ min: 0, max: 20 })), { maxLength: 25 });
  const shortest = compile(`
.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(0, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w).
.decl reach(x: number, s: set<number>)
reach(x, singleton(y)) :- edge(x, y, _).
reach(x, s) :- edge(x, y, _), reach(y, s).
`);

  it("min<number> gives Bellman-Ford's distances and set<number> the reachable nodes", () => {
    fc.assert(
      fc.property(graph, (edges) => {
        const out = shortest.run({ edge: edges });
        const dist = new Map<number, number>([[0, 0]]);
        for (let round = 0; round < 8; round++) {
          for (const [x, y, w] of edges) {
            const d = dist.get(x);
            if (d !== undefined && (dist.get(y) ?? Infinity) > d + w) dist.set(y, d + w);
          }
        }
        expect(sorted(out["dist"]!)).toEqual(sorted([...dist]));
        const reach = (x: number): number[] => {
          const seen = new Set<number>();
          const todo = [x];
          while (todo.length > 0) {
            const v = todo.pop()!;
            for (const [a, b] of edges) if (a === v && !seen.has(b)) seen.add(b), todo.push(b);
          }
          return [...seen].sort((a, b) => a - b);
        };
        const got = out["reach"]!.map(([x, s]) => [x, [...(s as number[])].sort((a, b) => a - b)] as Tuple);
        const want = [...new Set(edges.map(([x]) => x))].map((x) => [x, reach(x)] as Tuple);
        expect(sorted(got)).toEqual(sorted(want));
      }),
      { numRuns: 60 },
    );
  });
});
