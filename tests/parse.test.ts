// The parser's AST for representative inputs: declarations, types, directives,
// facts and rules, DNF bodies, operator precedence, literals, and spans.

import { describe, expect, it } from "vitest";
import type { Clause, Item, Literal, Program, Term } from "../lang/ast.js";
import type { Span } from "../lang/span.js";
import { parse } from "../lang/parse/parse.js";
import { spanOf } from "../lang/span.js";

function ok(text: string): Item[] {
  const r = parse(text, "t.dl");
  expect(r.diagnostics).toEqual([]);
  return [...r.program.items];
}

/** Drops spans, to compare shapes. */
function shape<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" || k === "nameSpan" || k === "relationSpan" ? undefined : v)));
}

function clause(text: string): Clause {
  const [item] = ok(text);
  expect(item?.kind).toBe("clause");
  return item as Clause;
}

/** The first argument of the fact `a(<term>).` */
function term(src: string): Term {
  return clause(`a(${src}).`).heads[0]!.args[0]!;
}

/** Prints a term with full parentheses, to check precedence. */
function show(t: Term): string {
  switch (t.kind) {
    case "number":
      return t.text;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "wildcard":
      return "_";
    case "binary":
      return `(${show(t.left)} ${t.op} ${show(t.right)})`;
    case "unary":
      return `(${t.op} ${show(t.operand)})`;
    case "call":
      return `${t.name}(${t.args.map(show).join(", ")})`;
    case "cast":
      return `as(${show(t.term)}, ${t.typeName})`;
    case "record":
      return `[${t.args.map(show).join(", ")}]`;
    case "nil":
      return "nil";
    case "adt":
      return `$${t.branch}(${t.args.map(show).join(", ")})`;
    case "aggregate":
      return `${t.fn}`;
  }
}

function body(text: string): string[][] {
  const c = clause(text);
  return (c.body ?? []).map((conj) => conj.map(showLit));
}

function showLit(l: Literal): string {
  switch (l.kind) {
    case "atom":
      return `${l.relation}(${l.args.map(show).join(",")})`;
    case "negation":
      return `!${showLit(l.atom)}`;
    case "compare":
      return `${show(l.left)} ${l.op} ${show(l.right)}`;
    case "test":
      return `${l.negated ? "!" : ""}${l.name}(${l.args.map(show).join(",")})`;
  }
}

describe("declarations", () => {
  it("reads a relation declaration with qualifiers", () => {
    expect(shape(ok(".decl edge(a: number, b: Node) btree output"))).toEqual([
      {
        kind: "decl",
        name: "edge",
        attributes: [
          { name: "a", type: { name: "number" } },
          { name: "b", type: { name: "Node" } },
        ],
        qualifiers: ["btree", "output"],
      },
    ]);
  });

  it("declares several relations at once, sharing attributes and qualifiers", () => {
    const items = ok(".decl a, b, c(x: symbol) eqrel");
    expect(items.map((i) => (i.kind === "decl" ? [i.name, i.attributes.length, i.qualifiers.join()] : []))).toEqual([
      ["a", 1, "eqrel"],
      ["b", 1, "eqrel"],
      ["c", 1, "eqrel"],
    ]);
  });

  it("accepts every qualifier, nullary relations and qualified names", () => {
    const quals = "btree brie eqrel inline no_inline magic no_magic overridable btree_delete input output printsize";
    const [d] = ok(`.decl ns.r() ${quals}`);
    expect(d).toMatchObject({ kind: "decl", name: "ns.r", attributes: [], qualifiers: quals.split(" ") });
  });

  it("reads the four forms of type declaration", () => {
    expect(shape(ok(".type A <: number\n.type B = A\n.type C = A | B | symbol"))).toEqual([
      { kind: "type", name: "A", form: "subtype", of: [{ name: "number" }] },
      { kind: "type", name: "B", form: "equivalence", of: [{ name: "A" }] },
      { kind: "type", name: "C", form: "union", of: [{ name: "A" }, { name: "B" }, { name: "symbol" }] },
    ]);
  });

  it("reads the old type declarations as subtypes", () => {
    expect(shape(ok(".number_type N\n.symbol_type S\n.type T"))).toEqual([
      { kind: "type", name: "N", form: "subtype", of: [{ name: "number" }] },
      { kind: "type", name: "S", form: "subtype", of: [{ name: "symbol" }] },
      { kind: "type", name: "T", form: "subtype", of: [{ name: "symbol" }] },
    ]);
  });
});

describe("directives and pragmas", () => {
  it("reads input and output directives with parameters, as strings", () => {
    const items = ok('.input r(IO=file, filename="x.facts", delimiter=",", headers=true, n=5)\n.output a, b()');
    expect(shape(items)).toEqual([
      {
        kind: "directive",
        directive: "input",
        relation: "r",
        params: { IO: "file", filename: "x.facts", delimiter: ",", headers: "true", n: "5" },
      },
      { kind: "directive", directive: "output", relation: "a", params: {} },
      { kind: "directive", directive: "output", relation: "b", params: {} },
    ]);
  });

  it("applies one parameter list to every relation named", () => {
    const items = ok(".printsize p\n.limitsize a, b(n=5)");
    expect(shape(items)).toEqual([
      { kind: "directive", directive: "printsize", relation: "p", params: {} },
      { kind: "directive", directive: "limitsize", relation: "a", params: { n: "5" } },
      { kind: "directive", directive: "limitsize", relation: "b", params: { n: "5" } },
    ]);
  });

  it("unescapes string parameters", () => {
    const [d] = ok('.input r(delimiter="\\t", filename="a\\"b")');
    expect(d).toMatchObject({ params: { delimiter: "\t", filename: 'a"b' } });
  });

  it("reads pragmas with and without a value", () => {
    expect(shape(ok('.pragma "legacy" "true"\n.pragma "magic-transform"'))).toEqual([
      { kind: "pragma", key: "legacy", value: "true" },
      { kind: "pragma", key: "magic-transform" },
    ]);
  });
});

describe("facts and rules", () => {
  it("reads a fact as a clause without a body", () => {
    expect(shape(ok('a(1, "x").'))).toEqual([
      {
        kind: "clause",
        heads: [
          {
            kind: "atom",
            relation: "a",
            args: [
              { kind: "number", text: "1", value: 1 },
              { kind: "string", value: "x" },
            ],
          },
        ],
      },
    ]);
  });

  it("reads a rule with several heads as one clause", () => {
    const c = clause("h(x), g(x) :- b(x).");
    expect(c.heads.map((h) => h.relation)).toEqual(["h", "g"]);
    expect(body("h(x), g(x) :- b(x).")).toEqual([["b(x)"]]);
  });

  it("puts bodies in disjunctive normal form, `;` binding looser than `,`", () => {
    expect(body("h(x) :- a(x), b(x) ; c(x).")).toEqual([["a(x)", "b(x)"], ["c(x)"]]);
    expect(body("h(x) :- a(x), (b(x) ; c(x)), d(x).")).toEqual([
      ["a(x)", "b(x)", "d(x)"],
      ["a(x)", "c(x)", "d(x)"],
    ]);
    expect(body("h(x) :- (a(x) ; b(x)), (c(x) ; d(x)).")).toEqual([
      ["a(x)", "c(x)"],
      ["a(x)", "d(x)"],
      ["b(x)", "c(x)"],
      ["b(x)", "d(x)"],
    ]);
  });

  it("negates atoms, tests and comparisons, and pushes `!` inward by De Morgan", () => {
    expect(body('h(x) :- a(x), !b(x), !match("a.*", x), !contains("a", x), !(x < 3), !!c(x).')).toEqual([
      ["a(x)", "!b(x)", '!match("a.*",x)', '!contains("a",x)', "x >= 3", "c(x)"],
    ]);
    expect(body("h(x) :- a(x), !(b(x), x = 1).")).toEqual([
      ["a(x)", "!b(x)"],
      ["a(x)", "x != 1"],
    ]);
    expect(body("h(x) :- a(x), !(b(x) ; c(x)).")).toEqual([["a(x)", "!b(x)", "!c(x)"]]);
    expect(body("h() :- !true, !false.")).toEqual([["false()", "true()"]]);
  });

  it("reads every comparison and the built-in tests", () => {
    expect(body('h(x) :- x = 1, x != 2, x < 3, x <= 4, x > 5, x >= 6, match("a", x), contains("a", x), true, false.')).toEqual([
      ["x = 1", "x != 2", "x < 3", "x <= 4", "x > 5", "x >= 6", 'match("a",x)', 'contains("a",x)', "true()", "false()"],
    ]);
  });

  it("tells a parenthesised term from a parenthesised body", () => {
    expect(body("h(x) :- a(x), (x + 1) * 2 < 3, (x < 4).")).toEqual([["a(x)", "((x + 1) * 2) < 3", "x < 4"]]);
  });

  it("parses and ignores a .plan after a rule", () => {
    expect(body("h(x) :- a(x), b(x).\n.plan 0: (1, 2), 1: (2, 1)")).toEqual([["a(x)", "b(x)"]]);
  });

  it("accepts Soufflé's liberal identifiers", () => {
    const c = clause("_?(x, ?y) :- a_?b(x, ?y).");
    expect(c.heads[0]!.relation).toBe("_?");
    expect(body("_?(x, ?y) :- a_?b(x, ?y).")).toEqual([["a_?b(x,?y)"]]);
  });
});

describe("terms", () => {
  it("reads number literals in every spelling", () => {
    const lit = (s: string) => shape(term(s));
    expect(lit("42")).toEqual({ kind: "number", text: "42", value: 42 });
    expect(lit("0x1F")).toEqual({ kind: "number", text: "0x1F", value: 31 });
    expect(lit("0b101")).toEqual({ kind: "number", text: "0b101", value: 5 });
    expect(lit("10u")).toEqual({ kind: "number", text: "10u", value: 10, numType: "unsigned" });
    expect(lit("0xFFu")).toEqual({ kind: "number", text: "0xFFu", value: 255, numType: "unsigned" });
    expect(lit("1.5")).toEqual({ kind: "number", text: "1.5", value: 1.5, numType: "float" });
    expect(lit("1.5e3")).toEqual({ kind: "number", text: "1.5e3", value: 1500, numType: "float" });
    expect(lit("-7")).toEqual({ kind: "number", text: "-7", value: -7 });
    expect(lit("-2.5")).toEqual({ kind: "number", text: "-2.5", value: -2.5, numType: "float" });
    expect(lit("127.0.0.1")).toEqual({ kind: "number", text: "127.0.0.1", value: 2130706433 });
  });

  it("decodes strings with Soufflé's escapes", () => {
    expect(term('"a\\"b\\\\c\\n\\t\\r\\\'"')).toMatchObject({ kind: "string", value: "a\"b\\c\n\t\r'" });
    expect(term('"/* not a comment */ // nor this"')).toMatchObject({ value: "/* not a comment */ // nor this" });
  });

  it("follows Soufflé's precedence and associativity", () => {
    const p = (s: string) => show(term(s));
    expect(p("1 + 2 * 3")).toBe("(1 + (2 * 3))");
    expect(p("1 - 2 - 3")).toBe("((1 - 2) - 3)");
    expect(p("8 / 4 % 3 * 2")).toBe("(((8 / 4) % 3) * 2)");
    expect(p("2 ^ 3 ^ 2")).toBe("(2 ^ (3 ^ 2))");
    expect(p("-2 ^ 2")).toBe("(neg (2 ^ 2))");
    expect(p("-x * y")).toBe("((neg x) * y)");
    expect(p("2 ^ -x")).toBe("(2 ^ (neg x))");
    expect(p("bnot x + 1")).toBe("((bnot x) + 1)");
    expect(p("lnot x band y")).toBe("((lnot x) band y)");
    expect(p("1 + 2 bshl 3")).toBe("((1 + 2) bshl 3)");
    expect(p("a band b bxor c bor d")).toBe("(((a band b) bxor c) bor d)");
    expect(p("a lor b lxor c land d")).toBe("(a lor (b lxor (c land d)))");
    expect(p("a bshr b bshru c")).toBe("((a bshr b) bshru c)");
    expect(p("(1 + 2) * 3")).toBe("((1 + 2) * 3)");
    expect(p("- (5)")).toBe("-5");
    expect(p("-(-5)")).toBe("(neg -5)");
  });

  it("reads functor calls, casts, the counter and wildcards", () => {
    const p = (s: string) => show(term(s));
    expect(p('cat("a", to_string(x), substr(s, 0, strlen(s)))')).toBe('cat("a", to_string(x), substr(s, 0, strlen(s)))');
    expect(p("min(x, y, 3)")).toBe("min(x, y, 3)");
    expect(p("itof(ord(s)) + abs(y)")).toBe("(itof(ord(s)) + abs(y))");
    expect(p("as(x, Node)")).toBe("as(x, Node)");
    expect(p("autoinc()")).toBe("autoinc()");
    expect(p("$")).toBe("autoinc()");
    expect(p("_")).toBe("_");
  });

  it("reads aggregates with and without braces", () => {
    const c = clause("h(n, s, m) :- n = count : { a(x), !b(x) }, s = sum x + 1 : { a(x), x > 0 }, m = min y : a(y), mean z : a(z) = 2.");
    const [conj] = c.body!;
    const aggs = conj!.flatMap((l) => (l.kind === "compare" ? [l.left, l.right] : [])).filter((t) => t.kind === "aggregate");
    expect(aggs.map((a) => (a.kind === "aggregate" ? [a.fn, a.target ? show(a.target) : undefined, a.body.map(showLit)] : []))).toEqual([
      ["count", undefined, ["a(x)", "!b(x)"]],
      ["sum", "(x + 1)", ["a(x)", "x > 0"]],
      ["min", "y", ["a(y)"]],
      ["mean", "z", ["a(z)"]],
    ]);
  });

  it("leaves the arity of aggregates to the checks", () => {
    expect(body("h(n, s) :- n = count x : a(x), s = sum : a(x).")).toEqual([["n = count", "s = sum"]]);
    const [conj] = clause("h(n) :- n = count x : a(x).").body!;
    expect(conj![0]).toMatchObject({ right: { kind: "aggregate", fn: "count", target: { kind: "var", name: "x" } } });
  });
});

describe("spans", () => {
  const text = `// header
.decl edge(a: number, b: number) output
.type Node <: number
.input edge(IO=file)
edge(1, -2).
path(x, y) :-
   edge(x, z),
   path(z, y), x != y + 1.
`;
  const program: Program = parse(text, "g.dl").program;
  const at = (s: Span) => text.slice(s.start.offset, s.end.offset);

  it("locates every node, with the same positions as spanOf", () => {
    const [decl, type, input, fact, rule] = program.items;
    expect(decl!.span).toEqual(spanOf("g.dl", text, 10, 49));
    expect(decl!.kind === "decl" && at(decl.nameSpan)).toBe("edge");
    expect(decl!.kind === "decl" && decl.attributes.map((a) => [at(a.span), at(a.type.span)])).toEqual([
      ["a: number", "number"],
      ["b: number", "number"],
    ]);
    expect(at(type!.span)).toBe(".type Node <: number");
    expect(type!.kind === "type" && at(type.of[0]!.span)).toBe("number");
    expect(at(input!.span)).toBe(".input edge(IO=file)");
    expect(input!.kind === "directive" && at(input.relationSpan)).toBe("edge");
    expect(at(fact!.span)).toBe("edge(1, -2).");
    expect(fact!.kind === "clause" && fact.heads[0]!.args.map((a) => at(a.span))).toEqual(["1", "-2"]);
    expect(at(rule!.span)).toBe("path(x, y) :-\n   edge(x, z),\n   path(z, y), x != y + 1.");
    expect(rule!.span.start).toEqual({ line: 6, col: 1, offset: text.indexOf("path(x, y)") });
    const conj = rule!.kind === "clause" ? rule.body![0]! : [];
    expect(conj.map((l) => at(l.span))).toEqual(["edge(x, z)", "path(z, y)", "x != y + 1"]);
    const cmp = conj[2]!;
    expect(cmp.kind === "compare" && [at(cmp.left.span), at(cmp.right.span)]).toEqual(["x", "y + 1"]);
    expect(cmp.span.start).toMatchObject({ line: 8, col: 16 });
  });

  it("spans binary terms from the first to the last operand, parentheses included", () => {
    const src = "a((1 + 2) * 3, -x ^ 2, bnot y).";
    const args = (parse(src, "s.dl").program.items[0] as Clause).heads[0]!.args;
    expect(args.map((a) => src.slice(a.span.start.offset, a.span.end.offset))).toEqual(["(1 + 2) * 3", "-x ^ 2", "bnot y"]);
  });
});

describe("line endings and byte-order marks", () => {
  it("reads CRLF files and a leading BOM like plain ones", () => {
    const lf = '.decl e(x: number)\n// c\ne(1). e(2).\nr(x) :-\n  e(x),\n  x > 1.\n.output r(delimiter="\\t")\n';
    const strip = (p: Program) => shape(p);
    const crlf = parse(lf.replace(/\n/g, "\r\n"), "t.dl");
    expect(crlf.diagnostics).toEqual([]);
    expect(strip(crlf.program)).toEqual(strip(parse(lf, "t.dl").program));
    expect(crlf.program.items[3]!.span.start).toMatchObject({ line: 4, col: 1 });
    const bom = parse(`\uFEFF${lf}`, "t.dl");
    expect(bom.diagnostics).toEqual([]);
    expect(strip(bom.program)).toEqual(strip(parse(lf, "t.dl").program));
  });
});

describe("annotations", () => {
  /** The items without their spans, to compare texts that differ only in space. */
  const shape = (text: string) => JSON.parse(JSON.stringify(parse(text, "a.dl"), (k, v) => (/[sS]pans?$/.test(k) ? undefined : v)));

  it("read Soufflé's @[…] and @![…] as space, wherever space may go", () => {
    const annotated = `@[xtype(T)] .type R = [ @[field = {=}] a: number, @[form [=] (x) "]"] b: symbol ]
@[doc = "a \\"quoted\\" ]"]
.decl r(x: R)
@[x(M)] @[y()]
r([1, "s"]) :- @![inner = (1, [2])] true.`;
    const plain = `.type R = [ a: number, b: symbol ]
.decl r(x: R)
r([1, "s"]) :- true.`;
    expect(shape(annotated).diagnostics).toEqual([]);
    expect(shape(annotated)).toEqual(shape(plain));
  });

  it("that do not close, or close the wrong bracket, are syntax errors where they start", () => {
    for (const bad of ["@[a(]\n.decl r(x: number)", "@[a\n.decl r(x: number)", '@["]"\n.decl r(x: number)']) {
      const r = parse(bad, "a.dl");
      expect(
        r.diagnostics.map((d) => [d.code, d.span?.start.offset]),
        bad,
      ).toEqual([["syntax", 0]]);
    }
  });
});
