// The grammar per item: where the fast path leaves an item to ohm (an
// unsupported feature, a literal with a diagnostic), ohm parses that item's
// text alone and the fast path goes on after it; where no item starts, ohm
// matches from the item before on, once, for the syntax error. In every case
// parse() gives exactly what one plain ohm parse of the whole text gives.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { souffleGrammar } from "../lang/parse/grammar.js";
import { type GrammarUse, parse, parseWhole } from "../lang/parse/parse.js";

const RUNS = Number(process.env["PARSE_FAST_RUNS"] ?? 250);

/** The pieces of `text` that parse() handed to ohm, as [kind, the text of the piece]. */
function grammarUses(text: string): [GrammarUse["kind"], string][] {
  const uses: GrammarUse[] = [];
  parse(text, "i.dl", { onGrammar: (use) => uses.push(use) });
  return uses.map((u) => [u.kind, text.slice(u.start, u.end)]);
}

/**
 * parse() agrees with one plain ohm parse (AST, diagnostics, key order), and
 * used ohm only where it had to: the rest of the text once and last, and only
 * when the whole text has a syntax error; otherwise single items, each of which
 * has a diagnostic of its own.
 */
function agreeUsingGrammarPerItem(text: string): void {
  const uses: GrammarUse[] = [];
  const r = parse(text, "i.dl", { onGrammar: (use) => uses.push(use) });
  expect(JSON.stringify(r)).toBe(JSON.stringify(parseWhole(text, "i.dl")));
  const rests = uses.filter((u) => u.kind === "rest");
  if (souffleGrammar().match(text).succeeded()) {
    expect(rests).toEqual([]);
    for (const u of uses) {
      const own = r.diagnostics.filter((d) => d.span!.start.offset >= u.start && d.span!.start.offset < u.end);
      expect(own.length, `a diagnostic in ${JSON.stringify(text.slice(u.start, u.end))}`).toBeGreaterThan(0);
    }
  } else {
    expect(rests).toHaveLength(1);
    expect(uses[uses.length - 1]).toBe(rests[0]);
  }
}

describe("an item the fast path leaves to the grammar", () => {
  it("is the only text ohm parses, however long the program after it", () => {
    const lines = [".decl d = debug_delta(e)", ".decl e(x: number, y: number)"];
    for (let i = 0; i < 100; i++) lines.push(`.decl r${i}(x: number, y: number)`);
    for (let i = 0; i < 300; i++) lines.push(`r${i % 100}(x, y) :- e(x, z), r${(i + 1) % 100}(z, y), x != y.`);
    const text = lines.join("\n");
    expect(grammarUses(text)).toEqual([["item", ".decl d = debug_delta(e)"]]);
    const r = parse(text, "i.dl");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["debug_delta relations are not supported yet"]);
    expect(r.program.items).toHaveLength(401);
    agreeUsingGrammarPerItem(text);
  });

  it.each<[string, string, [GrammarUse["kind"], string][]]>([
    [
      "unsupported items among supported ones",
      ".decl a(x: number)\na([1, 2]).\na(1).\n.decl d = debug_delta(a)\na(x) :- x = @@agg y : 0, { a(y) }.\n.output a\na(nil). a(2). a(x) :- x = recursive_iteration_cnt().",
      [
        ["item", ".decl d = debug_delta(a)"],
        ["item", "a(x) :- x = @@agg y : 0, { a(y) }."],
        ["item", "a(x) :- x = recursive_iteration_cnt()."],
      ],
    ],
    [
      "every unsupported declaration form",
      '.decl r(x: number) choice-domain (x), x\n.decl d = debug_delta(r) btree\n.type R = [a: number, b: R]\n.decl q(x: number) btree\n.pragma "a\\q" "b"\n.input q(IO=file, filename="\\z")',
      [
        ["item", ".decl d = debug_delta(r) btree"],
        ["item", '.pragma "a\\q" "b"'],
        ["item", '.input q(IO=file, filename="\\z")'],
      ],
    ],
    [
      "literals and terms with a diagnostic",
      'a(1.2.3.400).\nb(x) :- x = sum y, z : c(y, z).\nb(n) :- n = count : { c(x) ; d(x) }.\nb(x) :- x = recursive_iteration_cnt().\n.lattice L<> { Join -> 0, Lub -> _ }\nc("\\q").',
      [
        ["item", "a(1.2.3.400)."],
        ["item", "b(x) :- x = sum y, z : c(y, z)."],
        ["item", "b(n) :- n = count : { c(x) ; d(x) }."],
        ["item", "b(x) :- x = recursive_iteration_cnt()."],
        ["item", ".lattice L<> { Join -> 0, Lub -> _ }"],
        ["item", 'c("\\q").'],
      ],
    ],
    [
      "a component holding one, which is left whole",
      ".comp C { .decl b(x: number) b(x) :- x = recursive_iteration_cnt(). }\n.init c = C\n.decl a(x: number)",
      [["item", ".comp C { .decl b(x: number) b(x) :- x = recursive_iteration_cnt(). }"]],
    ],
    [
      "spaces and comments in and around it",
      '.decl d = debug_delta( r /* ) */ ) /* .decl x(y: number) */ // (\na(")", 1). /* ( */ b(x) :- x = recursive_iteration_cnt( /* ) */ ) . // )\nc(1).',
      [
        ["item", ".decl d = debug_delta( r /* ) */ )"],
        ["item", "b(x) :- x = recursive_iteration_cnt( /* ) */ ) ."],
      ],
    ],
    [
      "a plan after it, which belongs to it",
      "a(x) :- b(x), x = recursive_iteration_cnt().\n.plan 0:(1), 1:(1)\nb(1).",
      [["item", "a(x) :- b(x), x = recursive_iteration_cnt().\n.plan 0:(1), 1:(1)"]],
    ],
    [
      "an ADT over lines, and a union that is not one: both on the fast path",
      ".type T = A {x: number}\n| B {}\n.type U = A | B\n.type V = A {}",
      [],
    ],
    ["a counter, and an ADT constructor, both on the fast path", "a($). a($ + 1). a($ A (1)).", []],
    [
      "a user functor, which is not a user aggregate",
      "a(@f(1)). a(@ f()). a(x) :- x = @ @agg y : 0, b(y).",
      [["item", "a(x) :- x = @ @agg y : 0, b(y)."]],
    ],
  ])("%s", (_name, text, expected) => {
    expect(grammarUses(text)).toEqual(expected);
    agreeUsingGrammarPerItem(text);
  });
});

describe("a syntax error", () => {
  it.each<[string, string, [GrammarUse["kind"], string][]]>([
    [
      "after an unsupported item: matched from that item on",
      ".decl d = debug_delta(r)\nb(1)\nc(2).",
      [
        ["item", ".decl d = debug_delta(r)"],
        ["rest", ".decl d = debug_delta(r)\nb(1)\nc(2)."],
      ],
    ],
    [
      "several items after an unsupported one",
      ".decl d = debug_delta(r)\nb(1).\nc(x) :- b(x) d(x).\ne(1).",
      [
        ["item", ".decl d = debug_delta(r)"],
        ["rest", "b(1).\nc(x) :- b(x) d(x).\ne(1)."],
      ],
    ],
    ["inside an item that uses an unsupported feature", "b(1).\na([1, 2]) :- b(x) c(x).", [["rest", "b(1).\na([1, 2]) :- b(x) c(x)."]]],
    [
      "inside a record type",
      ".decl a(x: number)\n.type R = [a: number, b symbol]\na(1).",
      [["rest", ".type R = [a: number, b symbol]\na(1)."]],
    ],
    [
      "inside an ADT's second branch, after a first one read as a whole type",
      ".type T = A {x: number} | B {y}\n.decl a(x: number)",
      [["rest", ".type T = A {x: number} | B {y}\n.decl a(x: number)"]],
    ],
    [
      "in a plan that the item before tried to read",
      "a(x) :- b(x), x = recursive_iteration_cnt().\n.plan 0:(1), 1:(x)",
      [
        ["item", "a(x) :- b(x), x = recursive_iteration_cnt().\n.plan 0:(1)"],
        ["rest", "a(x) :- b(x), x = recursive_iteration_cnt().\n.plan 0:(1), 1:(x)"],
      ],
    ],
    [
      "after a functor declaration that looked for a qualifier",
      ".functor f(): number\nmonotone(x) :- x = recursive_iteration_cnt().\nmonotone.x",
      [
        ["item", "monotone(x) :- x = recursive_iteration_cnt()."],
        ["rest", "monotone(x) :- x = recursive_iteration_cnt().\nmonotone.x"],
      ],
    ],
    [
      "an unterminated comment after an unsupported item",
      "a(x) :- x = recursive_iteration_cnt(). /* b(2).",
      [
        ["item", "a(x) :- x = recursive_iteration_cnt()."],
        ["rest", "a(x) :- x = recursive_iteration_cnt(). /* b(2)."],
      ],
    ],
    ["an unterminated string in an unsupported item", 'a([1], "b).\nc(1).', [["rest", 'a([1], "b).\nc(1).']]],
    ["in a record term's brackets", "a([1, 2).\nb(1).", [["rest", "a([1, 2).\nb(1)."]]],
    ["in an ADT constructor's parentheses", "a($).\na($A(1).", [["rest", "a($).\na($A(1)."]]],
  ])("%s", (_name, text, expected) => {
    expect(grammarUses(text)).toEqual(expected);
    expect(parse(text, "i.dl").diagnostics.map((d) => d.code)).toEqual(["syntax"]);
    agreeUsingGrammarPerItem(text);
  });
});

describe("items around unsupported ones, generated", () => {
  const space = fc.constantFrom(" ", "\n", "", " /* [ ] */ ", "// ]\n", "\t");
  const supported = fc.constantFrom(
    ".decl a(x: number)",
    ".decl r(x: number, y: number) btree",
    "a(1).",
    'a("[x]").',
    "a(x) :- a(y), x = y + 1.",
    "a(x) :- a(x). .plan 0:(1)",
    ".type T = A | B",
    ".type T",
    ".output a",
    ".input a(IO=file)",
    '.pragma "k" "v"',
    ".functor f(x: number): number",
    ".functor g(): number monotone",
    ".init c = C<number>",
    ".comp C { .decl b(x: number) }",
    "a(x) :- x = count : a(_).",
    "a(x) :- x = $.",
    "a(@f(1)).",
    ".type R = [a: number, b: symbol]",
    ".type R = []",
    ".type T = A {x: number} | B {}",
    ".type T = A {}\n| B {y: R}",
    ".decl r(x: number) choice-domain x",
    ".decl r(x: number, y: number) choice-domain (x, y), y",
    "a([1, [2, x]]).",
    "a(nil).",
    "a($A(1, 2)).",
    "a($ A.b ()).",
    ".comp D { a([1]). }",
  );
  const unsupported = fc.constantFrom(
    ".decl d = debug_delta(a) btree",
    "a(x) :- x = @@agg y : 0, { a(y) }.",
    "a(x) :- x = recursive_iteration_cnt().",
    "a(n) :- n = sum x, y : a(x).",
    "a(n) :- n = count : { a(x) ; b(x) }.",
    "a(1.2.3.999).",
    'a("\\q").',
    '.pragma "\\w"',
    ".lattice L<> { Meet -> 0 }",
    ".comp D { a(x) :- x = recursive_iteration_cnt(). }",
  );
  const broken = fc.constantFrom(
    "a(1)",
    "a([1).",
    ".type R = [a number]",
    "a(x) :- .",
    "}",
    '"',
    "/*",
    ".plan 0:(1)",
    "| B {}",
    "a($A(1).",
  );
  const program = fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 3, arbitrary: supported }, { weight: 2, arbitrary: unsupported }, { weight: 1, arbitrary: broken }),
        space,
      ),
      {
        maxLength: 8,
      },
    )
    .map((items) => items.map(([i, s]) => i + s).join("\n"));

  it("parse as the grammar parses them, with the grammar used per item", () => {
    fc.assert(fc.property(program, agreeUsingGrammarPerItem), { numRuns: RUNS });
  });
});
