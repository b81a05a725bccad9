// Bad lattice programs through compile(): each mistake is a located error with
// an exact code and message (non-monotone heads, lattice types in the wrong
// column, unknown lattices, user lattices whose Lub breaks a law, exact reads
// in recursion, misused functors and set values), and threshold guards are
// classified by direction: upward-closed ones are fine in recursion.

import { describe, expect, it } from "vitest";
import { CairnError, compile, type Diagnostic } from "../index.js";

const at = (s: Diagnostic["span"]) => (s ? `${s.start.line}:${s.start.col}` : "-");

/** The diagnostics of a program that must not compile. */
function failures(src: string): Diagnostic[] {
  try {
    compile(src);
  } catch (e) {
    if (e instanceof CairnError) return [...e.diagnostics];
    throw e;
  }
  throw new Error("the program compiled");
}

/** Its errors as "line:col code: message". */
function errors(src: string): string[] {
  return failures(src).map((d) => `${at(d.span)} ${d.code}: ${d.message}`);
}

/** The notes of its only error, as "line:col message". */
function notesOf(src: string): string[] {
  const [d, ...rest] = failures(src);
  expect(rest).toEqual([]);
  return d!.notes.map((n) => `${at(n.span)} ${n.message}`);
}

const GRAPH = `.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
.decl width(x: number, w: max<number>)
`;

describe("functions of lattice values in heads must be monotone", () => {
  it("rejects -d from min to min, with notes at the read and on the way out", () => {
    const src = `${GRAPH}dist(y, -d) :- dist(x, d), edge(x, y, _).`;
    expect(errors(src)).toEqual([
      '4:9 non-monotone-head: the min<number> column "d" of "dist" must be monotone in the lattice value "d", ' +
        "but this value gets larger as the lattice values it reads grow, while min<number> grows by getting smaller",
    ]);
    expect(notesOf(src)).toEqual([
      '4:16 "d" is the min<number> value of "dist" here',
      '- to use the final value of "d" instead, bind it first (e.g. e = …): that reads "dist" exactly, once it is complete',
    ]);
  });

  it("accepts -d from min to max, d + w, d - w, d * 2 and w / 2 on min", () => {
    for (const rule of [
      "width(y, -d) :- dist(x, d), edge(x, y, _).",
      "dist(y, d * 2 + w / 2) :- dist(x, d), edge(x, y, w).",
      "dist(y, d - w) :- dist(x, d), edge(x, y, w).",
      "dist(y, 0) :- edge(_, y, _).",
    ]) {
      expect(() => compile(`${GRAPH}${rule}`), rule).not.toThrow();
    }
  });

  it.each([
    [
      "width(x, d) :- dist(x, d).",
      '4:10 non-monotone-head: the max<number> column "w" of "width" must be monotone in the lattice value "d", but this value gets smaller as the lattice values it reads grow, while max<number> grows by getting larger',
    ],
    [
      "dist(y, w - d) :- dist(x, d), edge(x, y, w).",
      '4:9 non-monotone-head: the min<number> column "d" of "dist" must be monotone in the lattice value "d", but this value gets larger as the lattice values it reads grow, while min<number> grows by getting smaller',
    ],
    [
      "dist(y, d * w) :- dist(x, d), edge(x, y, w).",
      '4:9 non-monotone-head: the min<number> column "d" of "dist" must be monotone in the lattice value "d", but "*" is monotone only with a constant factor',
    ],
    [
      "dist(y, d % 7) :- dist(x, d), edge(x, y, _).",
      '4:9 non-monotone-head: the min<number> column "d" of "dist" must be monotone in the lattice value "d", but "%" is not monotone',
    ],
    [
      "width(y, max(w, -w)) :- width(y, w).",
      '4:10 non-monotone-head: the max<number> column "w" of "width" must be monotone in the lattice value "w", but max(…) is monotone only when its arguments all move the same way',
    ],
    [
      ".functor f(x: number): number\nwidth(y, @f(w)) :- width(y, w).",
      '5:10 non-monotone-head: the max<number> column "w" of "width" must be monotone in the lattice value "w", but @f is not declared monotone',
    ],
  ])("rejects %j", (rule, expected) => {
    expect(errors(`${GRAPH}${rule}`)).toEqual([expected]);
  });

  it("accepts a functor declared monotone, and min/max of values moving the same way", () => {
    expect(() => compile(`${GRAPH}.functor f(x: number): number monotone\nwidth(y, @f(w)) :- width(y, w).`)).not.toThrow();
    expect(() => compile(`${GRAPH}width(y, min(w, c)) :- width(x, w), edge(x, y, c).`)).not.toThrow();
  });

  it("rejects singleton of a set's own size, and arithmetic on a user lattice", () => {
    expect(errors(".decl s(x: number, v: set<number>)\ns(1, singleton(1)).\ns(x, singleton(size(v))) :- s(x, v).")).toEqual([
      '3:6 non-monotone-head: the set<number> column "v" of "s" must be monotone in the lattice value "v", but singleton(…) of a lattice value is not monotone ({1} and {2} are not ordered)',
    ]);
    expect(
      errors(".type T <: number\n.lattice T<> { Bottom -> 0, Lub -> _ bor _ }\n.decl r(x: number, v: T<>)\nr(x, v + 1) :- r(x, v)."),
    ).toEqual([
      '4:6 non-monotone-head: the T<> column "v" of "r" must be monotone in the lattice value "v", but arithmetic on a T<> value is not monotone',
    ]);
  });
});

describe("lattice types", () => {
  it.each([
    [
      ".decl r(d: min<number>, x: number)",
      '1:12 lattice-column-position: column "d" of "r" has the lattice type min<number>, but only the last column of a relation may be a lattice',
    ],
    [
      ".decl r(f: or, x: number)",
      '1:12 lattice-column-position: column "f" of "r" has the lattice type or, but only the last column of a relation may be a lattice',
    ],
    [".decl r(x: number, d: mn<number>)", '1:23 unknown-lattice: unknown lattice "mn"'],
    [".type T <: number\n.decl r(x: number, d: T<>)", '2:23 unknown-lattice: type "T" is not a lattice'],
    [".decl r(x: number, d: min<number, number>)", "1:23 bad-lattice-type: min takes one element type, as in min<number>, not 2"],
    [
      ".decl r(x: number, d: max<symbol>)",
      "1:23 bad-lattice-type: max<symbol>: the elements of max must be numbers (number, unsigned or float), not symbol",
    ],
    [
      ".decl r(x: number, d: pair<number, max<number>>)",
      "1:28 bad-lattice-type: number is not a lattice type: the components of pair must be lattices, such as min<number> or set<number>",
    ],
    [
      ".decl r(x: number, d: set<min<number>>)",
      "1:27 bad-lattice-type: the elements of set must be of a plain type such as number, not the lattice min<number>",
    ],
    [".decl r(x: number, d: or<>)", "1:23 bad-lattice-type: or takes no type arguments: write or"],
    [".decl r(x: number, d: min<Cost>)", '1:27 unknown-type: type "Cost" is not declared'],
    [".decl r(x: number, d: min<number>) eqrel", '1:7 bad-eqrel: equivalence relation "r" cannot have a lattice column'],
  ])("%j", (src, expected) => {
    expect(errors(`${src}\n`).filter((e) => !e.includes("no-rules"))).toEqual([expected]);
  });

  it("suggests the closest lattice name", () => {
    expect(notesOf(".decl r(x: number, d: mn<number>)\nr(1, 2).")).toEqual(["- did you mean min?"]);
  });

  it("keeps set values apart from plain values", () => {
    expect(
      errors(`.decl s(x: number, v: set<symbol>)
.decl n(x: number, y: number)
.decl t(x: number, v: set<number>)
s(1, 5).
n(x, v) :- s(x, v).
s(x, y) :- n(x, y).
t(x, v) :- s(x, v).
s(1, singleton(2)).`),
    ).toEqual([
      '4:6 type-mismatch: type mismatch: column "v" of "s" holds set<symbol> values, which are made with singleton(…)',
      '5:6 type-mismatch: type mismatch: "v" holds set<symbol> values, which cannot be stored in the ordinary column "y" of "n"',
      '6:6 type-mismatch: type mismatch: "y" is a plain value, but column "v" of "s" holds set<symbol> values',
      '7:6 type-mismatch: type mismatch: "v" holds set<symbol> values, but column "v" of "t" holds set<number>',
      '8:16 type-mismatch: type mismatch: 2 is numeric, but the elements of column "v" of "s" are symbol',
    ]);
  });

  it("applies size, member, first and second to sets and pairs only", () => {
    expect(
      errors(`.decl s(x: number, v: set<number>)
.decl p(x: number, v: pair<min<number>, max<number>>)
.decl n(x: number, y: number)
.input s, p, n
n(x, size(y)) :- n(x, y).
n(x, 1) :- p(x, v), member(1, v).
n(x, first(v)) :- s(x, v).
n(x, second(3)) :- s(x, _).`),
    ).toEqual([
      '5:11 type-mismatch: type mismatch: size(…) takes a set, but "y" is a plain value',
      '6:31 type-mismatch: type mismatch: member(…) takes a set, but "v" holds pair<min<number>, max<number>> values',
      '7:12 type-mismatch: type mismatch: first(…) takes a pair, but "v" holds set<number> values',
      "8:13 type-mismatch: type mismatch: second(…) takes a pair, but this is a plain value",
    ]);
  });

  it("keeps booleans 0 and 1", () => {
    expect(errors(".decl f(x: number, v: or)\nf(1, 1).\nf(2, 2).")).toEqual([
      '3:6 type-mismatch: type mismatch: column "v" of "f" holds or values, 0 (false) or 1 (true), not 2',
    ]);
  });
});

describe("user lattices", () => {
  const lattice = (ops: string, fact = "r(1, 2).") => `.type T <: number\n.lattice T<> { ${ops} }\n.decl r(x: number, v: T<>)\n${fact}`;

  it("reports each law the Lub breaks on sample values, at the Lub", () => {
    expect(errors(lattice("Bottom -> 0, Lub -> _ + _"))).toEqual([
      '2:29 lattice-law: the Lub of lattice "T" is not idempotent: Lub(2, 2) = 4, not 2',
    ]);
    expect(errors(lattice("Bottom -> 0, Lub -> _ - _", "r(1, 5)."))).toEqual([
      '2:29 lattice-law: the Lub of lattice "T" is not associative: Lub(Lub(0, 0), 5) = -5 but Lub(0, Lub(0, 5)) = 5',
      '2:29 lattice-law: the Lub of lattice "T" is not commutative: Lub(0, 5) = -5 but Lub(5, 0) = 5',
      '2:29 lattice-law: the Lub of lattice "T" is not idempotent: Lub(5, 5) = 0, not 5',
      '2:29 lattice-law: Bottom (0) is not an identity of the Lub of lattice "T": Lub(0, 5) = -5, not 5',
    ]);
    expect(notesOf(lattice("Bottom -> 0, Lub -> _ + _"))).toEqual([
      "- a Lub must be associative, commutative and idempotent, with Bottom as its identity; checked on 0, 2, 1, 3",
    ]);
  });

  it("samples the program's constants of the carrier type", () => {
    expect(errors(lattice("Bottom -> 0, Lub -> max(_, _)", "r(1, -5)."))).toEqual([
      '2:29 lattice-law: Bottom (0) is not an identity of the Lub of lattice "T": Lub(0, -5) = 0, not -5',
    ]);
    expect(() => compile(lattice("Bottom -> 0, Lub -> max(_, _)", "r(1, 5)."))).not.toThrow();
  });

  it("checks float and symbol Lubs too, and leaves functor Lubs to the API's checkLaws", () => {
    expect(errors('.type T <: symbol\n.lattice T<> { Bottom -> "", Lub -> cat(_, _) }\n.decl r(x: number, v: T<>)\nr(1, "x").')).toEqual([
      '2:30 lattice-law: the Lub of lattice "T" is not commutative: Lub("x", "a") = "xa" but Lub("a", "x") = "ax"',
      '2:30 lattice-law: the Lub of lattice "T" is not idempotent: Lub("x", "x") = "xx", not "x"',
    ]);
    expect(
      errors(".type T <: float\n.lattice T<> { Bottom -> 0.0, Lub -> _ * 0.5 + _ * 0.5 }\n.decl r(x: number, v: T<>)\nr(1, 2.0).")[1],
    ).toBe('2:31 lattice-law: Bottom (0.0) is not an identity of the Lub of lattice "T": Lub(0.0, 2.0) = 1.0, not 2.0');
    expect(() => compile(".functor j(a: T, b: T): T\n" + lattice("Bottom -> 0, Lub -> @j(_, _)"))).not.toThrow();
  });

  it.each([
    ["Lub -> max(_, _)", '2:1 bad-lattice: lattice "T" has no Bottom'],
    ["Bottom -> 0", '2:1 bad-lattice: lattice "T" has no Lub'],
    ["Bottom -> 0, Lub -> max(_, _), Lub -> min(_, _)", '2:47 bad-lattice: Lub is given twice in lattice "T"'],
    ["Bottom -> _, Lub -> max(_, _)", '2:26 bad-lattice: Bottom of lattice "T" must be a constant; only Lub and Glb have operands _'],
    [
      "Bottom -> 0, Lub -> max(_, x)",
      '2:43 bad-lattice: Lub of lattice "T" must be an expression over its two operands, written _, but it uses the variable "x"',
    ],
    [
      "Bottom -> 0, Lub -> max(_, _, _)",
      '2:36 bad-lattice: Lub of lattice "T" must use its two operands, written _ (left, then right), but it has 3',
    ],
    [
      "Bottom -> 0, Lub -> cat(_, _)",
      '2:36 type-mismatch: type mismatch: the result of cat is symbol, but column "Lub" of ".lattice T<>" has type T (number)',
    ],
  ])("%j", (ops, expected) => {
    expect(errors(lattice(ops))[0]).toBe(expected);
  });

  it("names the operands as written in type errors", () => {
    expect(errors(lattice("Bottom -> 0, Lub -> cat(_, _)"))[1]).toBe(
      '2:40 type-mismatch: type mismatch: the left operand "_" is number, but argument 1 of cat must be symbol',
    );
  });

  it("needs a declared type of its own, declared once", () => {
    expect(errors(".lattice U<> { Bottom -> 0, Lub -> max(_, _) }")).toEqual([
      '1:1 unknown-type: type "U" is not declared: a lattice is declared on an existing type, its carrier',
    ]);
    expect(errors(".lattice number<> { Bottom -> 0, Lub -> max(_, _) }")).toEqual([
      "1:1 bad-lattice: a lattice needs a type of its own, not the predefined type number",
    ]);
    expect(errors(lattice("Bottom -> 0, Lub -> max(_, _)") + "\n.lattice T<> { Bottom -> 0, Lub -> min(_, _) }")).toEqual([
      '5:1 duplicate-lattice: lattice "T" is declared twice',
    ]);
  });
});

describe("user functors", () => {
  it.each([
    [".decl r(x: number)\nr(x) :- r(y), x = @f(y).", "2:19 unknown-functor: functor @f is not declared"],
    [
      ".functor f(a: number, b: symbol): number\n.decl r(x: number)\nr(x) :- r(y), x = @f(y).",
      "3:19 functor-arity: @f takes 2 arguments, but is given 1",
    ],
    [
      ".functor f(a: number, b: symbol): number\n.decl r(x: number)\nr(x) :- r(y), x = @f(y, y).",
      '3:25 type-mismatch: type mismatch: variable "y" is number, but argument 2 of @f is declared symbol',
    ],
    [
      ".functor f(a: number): symbol stateful\n.decl r(x: number)\nr(x) :- r(y), x = @f(y).",
      '3:3 type-mismatch: type mismatch: variable "x" is symbol, but column "x" of "r" has type number',
    ],
    [".functor f(a: number): number\n.functor f(a: number): number monotone", '2:1 duplicate-functor: functor "f" is declared twice'],
    [".functor f(a: Nope): number", '1:15 unknown-type: type "Nope" is not declared'],
  ])("%j", (src, expected) => {
    expect(errors(src)).toEqual([expected]);
  });

  it("suggests a declared functor", () => {
    expect(notesOf(".functor fib(n: number): number\n.decl r(x: number)\nr(x) :- r(y), x = @fob(y).")).toEqual([
      '1:1 did you mean "@fib"?',
      "- declare it with .functor fob(…): T, and pass its implementation in the functors option of compile()",
    ]);
  });
});
