// The hand-written fast path (lang/parse/fast-*.ts) against the grammar: on
// generated programs, and on those programs with random damage, parse() gives
// exactly what one plain ohm parse gives; and common programs never need ohm.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type GrammarUse, parse, parseWhole } from "../lang/parse/parse.js";
import { ParseContext } from "../lang/parse/context.js";
import { readItem } from "../lang/parse/fast-items.js";
import { foldLongTokens } from "../lang/parse/fold.js";
import { souffleGrammar } from "../lang/parse/grammar.js";
import { skipSpace } from "../lang/parse/scan.js";

const RUNS = Number(process.env["PARSE_FAST_RUNS"] ?? 250);

/**
 * Same AST, diagnostics and key order (JSON), as parse() and a plain ohm parse;
 * and ohm read the rest of the text only for a syntax error, and then once.
 */
function agree(text: string): void {
  const uses: GrammarUse[] = [];
  expect(JSON.stringify(parse(text, "g.dl", { onGrammar: (u) => uses.push(u) }))).toBe(JSON.stringify(parseWhole(text, "g.dl")));
  const rests = uses.filter((u) => u.kind === "rest").length;
  expect(rests).toBe(souffleGrammar().match(text).succeeded() ? 0 : 1);
}

/** How many items the fast path reads before leaving the text to ohm, and whether it read all. */
function fastCoverage(text: string): { items: number; all: boolean } {
  const ctx = new ParseContext("c.dl", text);
  let pos = 0;
  let items = 0;
  for (;;) {
    const start = skipSpace(text, pos);
    if (start >= text.length) return { items, all: true };
    const r = readItem(text, start, ctx);
    if (r?.kind !== "fast") return { items, all: false };
    items++;
    pos = r.end;
  }
}

const space = fc.constantFrom(
  "",
  " ",
  " ",
  "  ",
  "\n",
  "\t",
  "\r\n",
  " /* c */ ",
  "// c\n",
  "/**/",
  "\uFEFF",
  // Annotations count as space; unbalanced or unclosed ones do not.
  "@[a]",
  " @[x(y)] ",
  '@![doc = "s]"]',
  "@[f {=} [=] (=)]\n",
  "@[a)]",
  "@[",
  '@["x]',
);
const name = fc.constantFrom(
  "x",
  "y",
  "_x",
  "?a",
  "abc",
  "mini",
  "asx",
  "counter",
  "true_",
  "bshrux",
  "ord2",
  "X1",
  "nil_",
  "Max",
  "in",
  "e",
  "n.m",
);
const number = fc.constantFrom(
  "0",
  "1",
  "42",
  "10u",
  "0x1F",
  "0xffu",
  "0b101",
  "0b1u",
  "1.5",
  "2.25e3",
  "1.5E-3",
  "1e5",
  "1.2.3.4",
  "1.2.3",
  "007",
  "3.",
  "255.255.255.255",
  "1.2.3.400",
  "0x",
  "0b2",
  "12ab",
  "5u1",
);
const string = fc.constantFrom('"a"', '""', '"a\\"b"', '"x\\ny"', '"/*"', '"//"', '"\\q"', '"multi\nline"');
const binop = fc.constantFrom("+", "-", "*", "/", "%", "^", "band", "bor", "bxor", "bshl", "bshr", "bshru", "land", "lor", "lxor");
const cmp = fc.constantFrom("=", "!=", "<", "<=", ">", ">=");

/** Token lists joined with random spaces and comments. */
function spaced(...parts: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  return fc.tuple(...parts.map((p) => fc.tuple(space, p))).map((pairs) => pairs.map(([s, p]) => s + p).join(""));
}
const lit = (s: string) => fc.constant(s);

const { term, body } = fc.letrec<{ term: string; body: string; literal: string; atom: string }>((tie) => ({
  term: fc.oneof(
    { maxDepth: 3, depthIdentifier: "t" },
    number,
    string,
    name,
    lit("_"),
    lit("$"),
    spaced(lit("-"), tie("term")),
    spaced(lit("("), tie("term"), lit(")")),
    spaced(tie("term"), binop, tie("term")),
    spaced(fc.constantFrom("bnot", "lnot"), tie("term")),
    spaced(fc.constantFrom("cat", "f", "min", "max", "to_string", "strlen", "ord"), lit("("), tie("term"), lit(","), tie("term"), lit(")")),
    spaced(lit("as"), lit("("), tie("term"), lit(","), name, lit(")")),
    spaced(lit("autoinc"), lit("("), lit(")")),
    spaced(fc.constantFrom("count", "sum", "min", "max", "mean"), fc.constantFrom("", "x", "x + 1", "(y)", "x, y"), lit(":"), tie("atom")),
    spaced(fc.constantFrom("count", "sum", "min", "mean"), fc.constantFrom("", "x"), lit(":"), lit("{"), tie("body"), lit("}")),
    fc.constantFrom(
      "[1, 2]",
      "nil",
      "@f(1)",
      "$A(1)",
      "range(1, 3)",
      "@@g x : {a(x)}",
      "recursive_iteration_cnt()",
      "@min(1)",
      "@ g()",
      "@f",
      "$A(1, x)",
      "$ A.b ()",
      "$A(1",
      "@ @agg y : 0, { a(y) }",
      "@@agg y : 0, b(y)",
      "@@agg : 0, b(y)",
      "[]",
      "[x, [y]]",
      "[1,",
      "range",
      "recursive_iteration_cnt",
    ),
    spaced(
      lit("@"),
      fc.constantFrom("f", "g_2", "lub"),
      lit("("),
      fc.array(tie("term"), { maxLength: 3 }).map((ts) => ts.join(", ")),
      lit(")"),
    ),
    spaced(fc.constantFrom("singleton", "size", "pair", "first", "member"), lit("("), tie("term"), lit(")")),
  ),
  atom: spaced(
    name,
    lit("("),
    fc.array(tie("term"), { maxLength: 3 }).map((ts) => ts.join(", ")),
    lit(")"),
  ),
  literal: fc.oneof(
    { maxDepth: 3, depthIdentifier: "l" },
    tie("atom"),
    spaced(lit("!"), tie("literal")),
    spaced(tie("term"), cmp, tie("term")),
    spaced(fc.constantFrom("match", "contains"), lit("("), tie("term"), lit(","), tie("term"), lit(")")),
    fc.constantFrom("true", "false"),
    spaced(lit("("), tie("body"), lit(")")),
  ),
  body: fc
    .array(fc.array(tie("literal"), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })
    .map((alts) => alts.map((conj) => conj.join(", ")).join("; ")),
}));

const attrType = fc.constantFrom(
  "number",
  "symbol",
  "T",
  "a.b",
  "T<>",
  "T< >",
  "min<number>",
  "max <float>",
  "set<symbol>",
  "pair<min<number>, set<T>>",
  "pair<max<N>,or>",
  "or",
  "and",
  "min",
  "min<number",
  "min<>",
  "set<a.b>",
  "pair<min<number> max<number>>",
  "x<y<z<>>>",
);
const attribute = spaced(name, lit(":"), attrType);
const latticeOp = fc.oneof(
  spaced(fc.constantFrom("Bottom", "Top", "Lub", "Glb"), lit("->"), term),
  fc.constantFrom("Lub -> _ bor _", "Lub -> @lub(_, _)", "Bottom -> -1", "Join -> 0", "Lub ->", "Top -> 7"),
);
const functorParam = fc.constantFrom("x: number", "symbol", "a.b", "y: T", "z:", "input");
const item = fc.oneof(
  spaced(
    lit(".decl"),
    fc.constantFrom("r", "a, b", "n.m"),
    lit("("),
    fc.array(attribute, { maxLength: 3 }).map((a) => a.join(", ")),
    lit(")"),
    fc.constantFrom(
      "",
      "btree",
      "eqrel output",
      "brie inline",
      "btree_delete",
      "no_magic printsize",
      "choice-domain x",
      "choice-domain (x, y), z",
      "choice-domain ()",
      "choice-domainx",
      "btreex",
    ),
  ),
  spaced(
    fc.constantFrom(
      ".type T <: number",
      ".type T = A | B.c",
      ".type T = U",
      ".type T",
      ".number_type N",
      ".symbol_type S",
      ".type R = [a: number]",
      ".type R = [a: number, b: min<number>]",
      ".type R = [a number]",
      ".type D = A {x: number} | B {}",
      ".type D = A {} | B {x: R} | C",
      ".type D = A {x}",
      ".decl d = debug_delta(r)",
      ".decl d = debug_delta(r) btree output",
      ".decl d = debug_delta(r",
      ".type T <: 5",
      ".type T = ",
    ),
  ),
  spaced(
    fc.constantFrom(".input", ".output", ".printsize", ".limitsize"),
    fc.constantFrom("r", "a, b.c"),
    fc.constantFrom("", "()", '(IO=file, filename="a\\"b.csv")', '(delimiter=",", n=5, k=v, k=w)', "(IO=)", '(a="\\q")'),
  ),
  spaced(lit(".pragma"), string, fc.constantFrom("", '"v"')),
  spaced(
    name,
    lit("("),
    fc.array(term, { maxLength: 3 }).map((ts) => ts.join(", ")),
    lit(")"),
    lit("."),
  ),
  spaced(
    fc.array(spaced(name, lit("("), term, lit(")")), { minLength: 1, maxLength: 2 }).map((h) => h.join(", ")),
    lit(":-"),
    body,
    lit("."),
    fc.constantFrom("", ".plan 0:(1,2), 1:(2,1)", ".plan 0: (1)", ".plan"),
  ),
  fc.constantFrom(
    ".comp C { .decl r(x: number) }",
    ".init c = C",
    ".lattice L<> {}",
    ".override r",
    ".override",
    ".init c = C<number, a.b>",
    ".init c = C<>",
    ".init c = C<number",
    ".comp C<T> : B<T>, D { .decl r(x: T) r(1). .init d = D .comp E {} }",
    ".comp C : { }",
    ".comp C { r([1]). }",
    ".comp C { .decl r(x: number) ",
    ".comp C {}",
    ".comp C<T>{.override r}",
  ),
  spaced(
    lit(".comp"),
    name,
    fc.constantFrom("", "<T>", "<A, B>", " : B", " : B<T>, D<number>"),
    lit("{"),
    fc.array(spaced(name, lit("("), term, lit(")"), lit(".")), { maxLength: 2 }).map((cs) => cs.join(" ")),
    lit("}"),
  ),
  spaced(
    name,
    lit("("),
    fc.array(term, { maxLength: 3 }).map((ts) => ts.join(", ")),
    lit(")"),
    lit("<="),
    name,
    lit("("),
    fc.array(term, { maxLength: 3 }).map((ts) => ts.join(", ")),
    lit(")"),
    lit(":-"),
    body,
    lit("."),
    fc.constantFrom("", ".plan 0:(1)"),
  ),
  spaced(
    lit(".functor"),
    fc.constantFrom("f", "g", "min"),
    lit("("),
    fc.array(functorParam, { maxLength: 3 }).map((ps) => ps.join(", ")),
    lit(")"),
    lit(":"),
    fc.constantFrom("number", "T", "a.b"),
    fc.constantFrom(
      "",
      "stateful",
      "monotone",
      "monotone stateful",
      "stateful stateful",
      "monotone(1).",
      "monotone.x(1).",
      "monotone\n.decl r(x: number)",
      "monotonex",
    ),
  ),
  spaced(
    lit(".lattice"),
    fc.constantFrom("L", "Sign", "min"),
    fc.constantFrom("<>", "< >", ""),
    lit("{"),
    fc.array(latticeOp, { maxLength: 4 }).map((ops) => ops.join(", ")),
    lit("}"),
  ),
);
const program = fc.array(fc.tuple(item, space), { maxLength: 6 }).map((items) => items.map(([i, s]) => `${i}${s}\n`).join(""));

describe("the fast path agrees with the grammar", () => {
  it("on generated programs, reading all of every program without diagnostics", () => {
    fc.assert(
      fc.property(program, (text) => {
        agree(text);
        if (parseWhole(text, "g.dl").diagnostics.length === 0) expect(fastCoverage(text).all).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("on generated programs with random damage", () => {
    const damaged = fc
      .tuple(program, fc.nat(), fc.nat({ max: 3 }), fc.constantFrom("", "(", ")", ",", ".", ":-", "/*", '"', "!", "x", " "))
      .map(([text, at, cut, insert]) => {
        const p = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, p) + insert + text.slice(p + cut);
      });
    fc.assert(fc.property(damaged, agree), { numRuns: RUNS });
  });

  it.each([
    "a(1).5",
    "a(x) :- b(x).\n.plan 0:(1)",
    ".decl a(x: number) btree\nbtree(1).",
    ".type A <: 5",
    ".type A = B |",
    "a(1.) .",
    "a(x) :- x = 1.2.3.",
    "a(x) :- b(x), x < 3.\n.decl q(y: number)",
    "a(x) :- min(x, y) < 3.",
    "a(x) :- min x : b(x) = 1.",
    "a(x) :- (x) < 3.",
    "a(x) :- ((b(x))).",
    "a(x) :- !!b(x).",
    "a(x) :- x = - - 5.",
    "a(-2^2).",
    "a(x) :- b(x) /* x",
    "a(x) :- e(x) + 1 = 2.",
    "a(x) :- e.f(x).",
    "a(x) :- e(x), $ = x.",
    "a($ x).",
    ".input a\n(IO=file)",
    '.pragma "a"\n"b"',
    ".decl a(x: number)\nchoice-domain x",
    "a(x) :- b(x) ; c(x), !(d(x) ; e(x)).",
    "a(x) :- count : b(x) = x.",
    "a(x) :- x = sum y, z : b(y).",
    "a(x) :- x = count : { b(x) ; c(x) }.",
    ".functor f(): number\nmonotone(1).",
    ".functor f(): number monotone\nmonotone(1).",
    ".functor f(): number monotone\n.decl r(x: number)",
    ".decl r(d: pair<min<number>, max<number>>)",
    ".lattice L<> { Bottom -> 0, Lub -> _ bor _ }",
    '.lattice L<> { Lub -> "a\\q" }',
    "a(@f(x, @g())) :- b(x).",
    ".decl r(x: min<number>>)",
    "a(x) <= a(y) :- x < y.",
    "a(x), b(x) <= a(y) :- x < y.",
    "a(x) <= :- x < y.",
    "a(x) <= a(y), b(y) :- x < y.",
    "a(x) <= a(y).",
  ])("on %j", (text) => agree(text));

  it("shortens long literals and comments for ohm, and maps offsets back", () => {
    const text = `a("${"x".repeat(1_000_000)}") /* ${"y".repeat(100)} */ b // ${"z".repeat(100)}\nc("short").`;
    const folded = foldLongTokens(text);
    expect(folded.text).toBe('a("") /**/ b //\nc("short").');
    for (const token of ["a(", ") /*", " b", "\nc(", '"short"']) {
      expect(folded.toOriginal(folded.text.indexOf(token))).toBe(text.indexOf(token));
    }
    // Inside a shortened token: its start.
    expect(folded.toOriginal(3)).toBe(2);
    expect(foldLongTokens('a("x").').changed).toBe(false);
  });

  // The syntax error's message comes from the text with long literals and comments shortened (lang/parse/fold.ts).
  const long = "x".repeat(3000);
  it.each([
    `a("${long}") b.`,
    `a("${long}").\na(1 x.`,
    `a("${long}", "${long}") :- b("${long}" c.`,
    `// ${long}\na(1 x.`,
    `a(1). /* ${long} */ a(2) /* ${long} */ x.`,
    `a("// ${long} /*") b.`,
    `a("\\"${long}\\"") b.`,
    `a(1) /* ${long}`,
    `a("${long}`,
    `a(x) :- b(x).\n.plan 0:("${long}")`,
  ])("after long literals and comments: %#", (text) => agree(text));
});

describe("the fast path covers common programs", () => {
  it("reads every item of a program that uses every supported construct", () => {
    const text = `.type Node <: symbol
.type Id = number
.type Any = Node | Id
.number_type N
.symbol_type S
.decl edge(a: Node, b: Node) btree output
.decl a, b(x: number)
.decl nullary()
.input edge(IO=file, filename="edge.facts", delimiter="\\t")
.output a, b
.printsize a
.pragma "legacy"
.pragma "k" "v"
edge("a", "b"). a(0x1F). a(0b101u). a(1.5e3). a(-3). a(127.0.0.1). b(10u).
// a comment
a(x) :- edge(_, y), x = strlen(y) + 1 * 2 bshl 3, x != 0, !b(x), (b(x) ; a(x)), true.
b(x), a(x) :- a(y), x = count : { edge(_, _) }, y = sum z : { a(z), z > 0 }, max(y, 2) < 5.
a(x) :- a(y), x = as(y, Id), y = autoinc(), z = $, match("a.*", "abc"), !contains("a", "b"), x = -y ^ 2, bnot x = lnot y.
a(x) :- a(x), min z : a(z) < x. .plan 0:(1), 1:()
.decl dist(x: number, d: min<number>)
.decl best(p: pair<min<number>, max<float>>, s: set<symbol>)
.decl flag(x: Node, f: or)
.type Sign <: number
.lattice Sign<> { Bottom -> 0, Top -> 7, Lub -> _ bor _, Glb -> @glb(_, _) }
.functor glb(a: number, b: number): number monotone stateful
.functor name(symbol): symbol
.decl sign(x: number, s: Sign<>)
sign(x, @glb(s, 1)) :- sign(x, s), member("a", t), singleton(x) = t.
b(x) <= b(y) :- x < y.
.comp Box<T> : Base<T>, Other { .decl v(x: T) .override w v(1). .init inner = Other }
.init box = Box<number>
`;
    expect(fastCoverage(text)).toEqual({ items: 36, all: true });
    expect(parse(text, "c.dl").diagnostics).toEqual([]);
    expect(parse(text, "c.dl").program.items).toHaveLength(38);
    agree(text);
  });

  it("reads 600 rules on the fast path (timed in bench/parse.mjs)", () => {
    const lines = [".decl e(x: number, y: number)"];
    for (let i = 0; i < 300; i++) lines.push(`.decl r${i}(x: number, y: number)`);
    for (let i = 0; i < 300; i++) {
      lines.push(`r${i}(x, y) :- e(x, z), r${(i + 1) % 300}(z, y), x != y, z < 100 + ${i}.`);
      lines.push(`r${i}(x, y) :- e(x, y).`);
    }
    const text = lines.join("\n");
    const r = parse(text, "big.dl");
    expect(r.diagnostics).toEqual([]);
    expect(r.program.items).toHaveLength(901);
    expect(fastCoverage(text).all).toBe(true);
  });
});
