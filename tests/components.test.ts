// Soufflé's components (lang/components.ts): instances name what they declare
// `x.…`, type parameters take the instance's arguments, bases come first less
// what `.override` replaces, instances nest, names an instance does not
// declare refer outside; and misuse is a located error. Outputs are checked
// against hand-worked expected tuples.

import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";
import { errorsOf } from "./check-helpers.js";

const sorted = (ts: readonly Tuple[] | undefined) => (ts ?? []).map((t) => JSON.stringify(t)).sort();
const run = (source: string) => compile(source).run({});

describe("component instances", () => {
  it("copy the component's relations and rules under the instance's name", () => {
    const out = run(`
.comp Graph {
  .decl edge(x: number, y: number)
  .decl path(x: number, y: number)
  path(x, y) :- edge(x, y).
  path(x, z) :- path(x, y), edge(y, z).
}
.init a = Graph
.init b = Graph
a.edge(1, 2). a.edge(2, 3).
b.edge(5, 6).
.decl both(x: number)
both(x) :- a.path(x, _), b.path(_, _).`);
    expect(sorted(out["a.path"])).toEqual(
      sorted([
        [1, 2],
        [2, 3],
        [1, 3],
      ]),
    );
    expect(sorted(out["b.path"])).toEqual(sorted([[5, 6]]));
    expect(sorted(out["both"])).toEqual(sorted([[1], [2]]));
    expect(Object.keys(out).sort()).toEqual(["a.edge", "a.path", "b.edge", "b.path", "both"]);
  });

  it("take type arguments, and qualify the types they declare", () => {
    const out = run(`
.comp Box<T> {
  .type Item <: T
  .decl has(x: Item)
  .decl size(n: number)
  size(n) :- n = count : { has(_) }.
}
.init words = Box<symbol>
.init nums = Box<number>
words.has("a"). words.has("b").
nums.has(7).
.decl first(w: words.Item)
first(w) :- words.has(w), w = "a".`);
    expect(sorted(out["words.size"])).toEqual(sorted([[2]]));
    expect(sorted(out["nums.size"])).toEqual(sorted([[1]]));
    expect(sorted(out["first"])).toEqual(sorted([["a"]]));
    expect(errorsOf(`.comp Box<T> { .decl has(x: T) }\n.init nums = Box<number>\nnums.has("a").`)[0]).toMatch(/^3:10 type-mismatch/);
  });

  it("inherit their bases' items, less the clauses an .override replaces", () => {
    const out = run(`
.comp Base<T> {
  .decl r(x: T) overridable
  .decl s(x: T)
  r(1). r(2).
  s(x) :- r(x).
}
.comp Derived<T> : Base<T> {
  .override r
  r(3).
  .decl t(x: T)
  t(x) :- s(x), x > 2.
}
.init d = Derived<number>
.init b = Base<number>`);
    expect(sorted(out["d.r"])).toEqual(sorted([[3]]));
    expect(sorted(out["d.s"])).toEqual(sorted([[3]]));
    expect(sorted(out["d.t"])).toEqual(sorted([[3]]));
    expect(sorted(out["b.s"])).toEqual(sorted([[1], [2]]));
  });

  it("nest, use components declared inside, and leave outside names alone", () => {
    const out = run(`
.decl seed(x: number)
seed(10).
.comp Counter {
  .decl n(x: number)
  n(x) :- seed(x).
}
.comp Pair {
  .comp Inner { .decl v(x: number) v(1). }
  .init left = Counter
  .init right = Counter
  .init inner = Inner
  .decl total(x: number)
  total(a + b + c) :- left.n(a), right.n(b), inner.v(c).
}
.init p = Pair`);
    expect(sorted(out["p.total"])).toEqual(sorted([[21]]));
    expect(sorted(out["p.left.n"])).toEqual(sorted([[10]]));
    expect(sorted(out["p.inner.v"])).toEqual(sorted([[1]]));
  });

  it("qualify directives and reads in aggregates, negations and subsumptions", () => {
    const out = run(`
.comp Dist {
  .decl edge(x: number, y: number, w: number)
  .decl d(x: number, c: number)
  .decl unreached(x: number)
  d(0, 0).
  d(y, c + w) :- d(x, c), edge(x, y, w).
  d(x, a) <= d(x, b) :- b <= a.
  unreached(y) :- edge(_, y, _), !d(y, _).
  .decl total(s: number)
  total(s) :- s = sum c : { d(_, c) }.
  .output total
}
.init g = Dist
g.edge(0, 1, 5). g.edge(0, 2, 1). g.edge(2, 1, 1). g.edge(3, 4, 1).`);
    expect(sorted(out["g.d"])).toEqual(
      sorted([
        [0, 0],
        [1, 2],
        [2, 1],
      ]),
    );
    expect(sorted(out["g.unreached"])).toEqual(sorted([[4]]));
    expect(sorted(out["g.total"])).toEqual(sorted([[3]]));
    expect(compile(".comp C { .decl r(x: number) .output r }\n.init c = C").checked.relations.get("c.r")!.outputs).toHaveLength(1);
  });
});

describe("component errors", () => {
  it("are located at the .init, the base or the .override", () => {
    expect(errorsOf(".init x = Nope")).toEqual(['1:11 unknown-component: component "Nope" is not declared']);
    expect(errorsOf(".comp C<T> { .decl r(x: T) }\n.init x = C")).toEqual([
      '2:11 component-arguments: component "C" takes 1 type argument, not 0',
    ]);
    expect(errorsOf(".comp C<T> { .decl r(x: T) }\n.init x = C<number, symbol>")).toEqual([
      '2:11 component-arguments: component "C" takes 1 type argument, not 2',
    ]);
    expect(errorsOf(".comp A : B { }\n.comp B : A { }\n.init x = A")).toEqual([
      '2:11 component-cycle: component "A" contains or inherits itself',
    ]);
    expect(errorsOf(".comp A { .init y = A }\n.init x = A")).toEqual(['1:21 component-cycle: component "A" contains or inherits itself']);
    expect(errorsOf(".decl r(x: number)\n.override r")).toEqual(["2:1 bad-override: .override is only meaningful inside a component"]);
    expect(errorsOf(".comp A { .decl r(x: number) }\n.comp B : A { .override r }")).toEqual([
      '2:15 bad-override: "r" cannot be overridden in component "B": its declaration is not marked overridable',
    ]);
    expect(errorsOf(".comp A { .decl r(x: number) overridable }\n.comp B { .override r }")).toEqual([
      '2:11 bad-override: component "B" overrides "r", which none of its bases declares',
    ]);
    expect(errorsOf(".comp C { .decl r(x: number) r(1). r(x) :- q(x). }\n.init a = C")).toEqual([
      '1:44 undeclared-relation: relation "q" is not declared',
    ]);
  });
});
