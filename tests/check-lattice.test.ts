// What the checks hand the engine for lattice programs: columns with their
// LatticeRef and written type, user lattices with operations over $1 and $2,
// functor signatures, member tests, and the types of lattice functors.

import { describe, expect, it } from "vitest";
import { okProgram, showRule } from "./check-helpers.js";

describe("lattice columns in the model", () => {
  it("resolves every built-in lattice and user lattices, with cells of the right base type", () => {
    const p = okProgram(`.type Cost <: float
.type Sign <: number
.lattice Sign<> { Bottom -> 0, Lub -> _ bor _ }
.decl a(x: number, v: min<Cost>)
.decl b(x: number, v: max<unsigned>)
.decl c(x: number, v: set<symbol>)
.decl d(x: number, v: pair<min<number>, set<Cost>>)
.decl e(x: number, v: or)
.decl f(x: number, v: and)
.decl g(x: number, v: Sign<>)
.decl h(v: max<number>)
.input a, b, c, d, e, f, g, h
`);
    const last = (r: string) => p.relations.get(r)!.columns.at(-1)!;
    expect(["a", "b", "c", "d", "e", "f", "g", "h"].map((r) => [last(r).type, last(r).typeName, last(r).lattice])).toEqual([
      ["float", "min<Cost>", { name: "min", elem: "float" }],
      ["unsigned", "max<unsigned>", { name: "max", elem: "unsigned" }],
      ["number", "set<symbol>", { name: "set", elem: "symbol" }],
      [
        "number",
        "pair<min<number>, set<Cost>>",
        {
          name: "pair",
          elem: "number",
          args: [
            { name: "min", elem: "number" },
            { name: "set", elem: "float" },
          ],
        },
      ],
      ["number", "or", { name: "or", elem: "number" }],
      ["number", "and", { name: "and", elem: "number" }],
      ["number", "Sign<>", { name: "Sign", elem: "number" }],
      ["number", "max<number>", { name: "max", elem: "number" }],
    ]);
    expect(p.relations.get("a")!.columns[0]).toEqual({ name: "x", type: "number", typeName: "number" });
  });

  it("treats or and and as ordinary types where a type of that name is declared", () => {
    const p = okProgram(".type or <: symbol\n.decl r(x: number, v: or)\n.input r");
    expect(p.relations.get("r")!.columns[1]).toEqual({ name: "v", type: "symbol", typeName: "or" });
  });

  it("lowers user lattices with their operands as $1 and $2, and functors without their @", () => {
    const p = okProgram(`.type Iv <: number
.functor join(a: Iv, b: Iv): Iv monotone
.lattice Iv<> { Bottom -> -1, Top -> 100, Lub -> @join(_, _), Glb -> min(_, _) }
.decl r(x: number, v: Iv<>)
r(x, @join(v, 3)) :- r(x, v).
r(1, 2).`);
    const l = p.lattices!.get("Iv")!;
    expect([l.name, l.elem, l.bottom.kind === "const" && l.bottom.value, l.top?.kind === "const" && l.top.value]).toEqual([
      "Iv",
      "number",
      -1,
      100,
    ]);
    expect(showRule({ id: 0, head: { kind: "atom", relation: "lub", args: [l.lub, l.glb!], span: l.span }, body: [], span: l.span })).toBe(
      "lub(@join($1:number, $2:number):number, min($1:number, $2:number):number).",
    );
    expect(p.functors!.get("join")).toEqual({
      name: "join",
      params: ["number", "number"],
      result: "number",
      monotone: true,
      span: expect.anything(),
    });
    expect(showRule(p.rules[0]!)).toBe("r(x:number, @join(v:number, 3:number):number) :- r(x:number, v:number).");
  });

  it("leaves lattices and functors out of programs that have none", () => {
    const p = okProgram(".decl r(x: number)\nr(1).");
    expect(p.lattices).toBeUndefined();
    expect(p.functors).toBeUndefined();
  });
});

describe("lattice functors and tests", () => {
  it("types first and second by the pair's components, singleton by the set's elements", () => {
    const p = okProgram(`.decl p(x: number, v: pair<min<float>, set<symbol>>)
.decl q(x: number, f: float, n: number)
.decl s(x: number, v: set<symbol>)
p(1, pair(1.5, singleton("a"))).
q(x, first(v), size(second(v))) :- p(x, v).
s(x, second(v)) :- p(x, v), member("a", second(v)).`);
    expect(p.rules.map(showRule)).toEqual([
      'p(1:number, pair(1.5:float, singleton("a":symbol):number):number).',
      "q(x:number, first(v:number):float, size(second(v:number):number):number) :- p(x:number, v:number).",
      's(x:number, second(v:number):number) :- p(x:number, v:number), member("a":symbol, second(v:number):number).',
    ]);
  });

  it("turns member(x, s) into a test, negated under !, unless a relation is named member", () => {
    const p = okProgram(`.decl s(x: number, v: set<number>)
.decl t(x: number)
.input s
t(x) :- s(x, v), member(x, v), !member(3, v).`);
    const body = p.rules[0]!.body;
    expect(body.map((l) => (l.kind === "test" ? [l.name, l.negated] : l.kind))).toEqual(["atom", ["member", false], ["member", true]]);
    const q = okProgram(".decl member(x: number, y: number)\n.decl t(x: number)\n.input member\nt(x) :- member(x, _).");
    expect(q.rules[0]!.body[0]!.kind).toBe("atom");
  });
});
