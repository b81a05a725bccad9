// Syntax errors and unsupported Soufflé features: located diagnostics with
// exact messages and positions, never exceptions.

import { describe, expect, it } from "vitest";
import { parse } from "../lang/parse/parse.js";

/** Each diagnostic as `code line:col-line:col message`. */
function diags(text: string): string[] {
  return parse(text, "e.dl").diagnostics.map(
    (d) => `${d.code} ${d.span!.start.line}:${d.span!.start.col}-${d.span!.end.line}:${d.span!.end.col} ${d.message}`,
  );
}

describe("syntax errors", () => {
  it.each([
    ["a(x", 'syntax 1:4-1:4 expected ")" or "," at end of input'],
    ["a(1)\nb(2).", 'syntax 2:1-2:2 expected ",", ".", or ":-"'],
    [".decl a(x number)", 'syntax 1:11-1:17 expected ":"'],
    [".decl r(x: number)\nr(x) :- .", "syntax 2:9-2:10 expected an atom, a negation or a constraint"],
    ["r(x) :- a(x) b(x).", 'syntax 1:14-1:15 expected ",", ".", ";", or a comparison operator'],
    ["r(x) :- a(x), x + 1.", "syntax 1:20-1:21 expected a comparison operator"],
    [".decl input(x: number)", "syntax 1:7-1:12 `input` is a reserved word; expected a relation or type name"],
    ["a(1,).", "syntax 1:5-1:6 expected a term"],
    [".input a(IO=)", "syntax 1:13-1:14 expected an identifier, a number, or a string"],
    [".foo r", "syntax 1:1-1:5 unknown directive `.foo`"],
    ["a(1).\n}", "syntax 2:1-2:2 expected a declaration, a directive, or a clause"],
    ['a("abc', 'syntax 1:3-1:4 unterminated string: missing closing `"`'],
    ["a(1).\n/* x", "syntax 2:1-2:3 unterminated comment: missing `*/`"],
    ['a("ab\\q").', "syntax 1:6-1:8 unknown escape sequence \\q"],
    ["a(1.2.3.400).", "syntax 1:3-1:12 IP address part out of range (0..255)"],
    ["a(n) :- n = sum x, y : b(x, y).", "syntax 1:17-1:21 an aggregate takes at most one target expression"],
    [".plan 1: (1)", "syntax 1:1-1:6 unknown directive `.plan`"],
    [
      ".lattice L<> { Bottom -> 0, Join -> max(_, _) }",
      'syntax 1:29-1:33 unknown lattice operator "Join" (expected Bottom, Top, Lub or Glb)',
    ],
    [".lattice L<> { Bottom -> 0 Lub -> max(_, _) }", 'syntax 1:28-1:31 expected "," or "}"'],
    [".lattice L { Bottom -> 0 }", 'syntax 1:12-1:13 expected "<"'],
    [".decl r(x: number, d: min<number)", 'syntax 1:33-1:34 expected "," or ">"'],
    [".functor f(x: number) number", 'syntax 1:23-1:29 expected ":"'],
  ])("%j", (text, expected) => {
    expect(diags(text)).toEqual([expected]);
  });

  it("reports an error in a fact file at its line, after the fast-path lines", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `e(${i}, ${i + 1}).`);
    lines[150] = "e(150, 151";
    expect(diags(lines.join("\n"))).toEqual(['syntax 152:1-152:2 expected ")" or ","']);
  });

  it("never throws, whatever the input", () => {
    for (const text of ["", "(", ")", ".", "..decl", "a(", '"', "/*", "a(x) :- !", "\u0000", "a(1) :- b(x) ;;"]) {
      expect(() => parse(text, "x.dl")).not.toThrow();
    }
  });
});

describe("features not supported yet", () => {
  it.each([
    ["a(x) :- x = @@agg x : 0, { b(x) }.", "unsupported 1:13-1:34 user-defined aggregates are not supported yet"],
    ["a(n) :- n = count : { b(x) ; c(x) }.", "unsupported 1:21-1:36 disjunction in aggregate bodies is not supported yet"],
    ["a(x) :- x = recursive_iteration_cnt().", "unsupported 1:13-1:38 recursive_iteration_cnt is not supported yet"],
    [".decl d = debug_delta(r)", "unsupported 1:1-1:25 debug_delta relations are not supported yet"],
  ])("%j", (text, expected) => {
    expect(diags(text)).toEqual([expected]);
  });

  it("drops only the items that use them", () => {
    const r = parse(
      ".decl a(x: number)\na(x) :- x = recursive_iteration_cnt().\na(1).\n.comp C { .decl b(x: number) .decl d = debug_delta(b) }\n.output a",
      "u.dl",
    );
    expect(r.program.items.map((i) => i.kind)).toEqual(["decl", "clause", "directive"]);
    expect(r.diagnostics.map((d) => [d.code, d.span!.start.line])).toEqual([
      ["unsupported", 2],
      ["unsupported", 4],
    ]);
  });
});

describe("records, algebraic data types and choice domains", () => {
  it("parse without diagnostics, to their own terms and declarations", () => {
    const r = parse(
      ".type R = [a: number, b: R]\n.type T = A {x: number} | B {}\n.decl r(x: R, y: T) choice-domain x, (x, y)\nr([1, nil], $A(2)).",
      "u.dl",
    );
    expect(r.diagnostics).toEqual([]);
    const [rt, adt, decl, fact] = r.program.items;
    expect(rt).toMatchObject({
      kind: "type",
      name: "R",
      form: "record",
      of: [],
      fields: [{ name: "a" }, { name: "b", type: { name: "R" } }],
    });
    expect(adt).toMatchObject({
      form: "adt",
      branches: [
        { name: "A", fields: [{ name: "x" }] },
        { name: "B", fields: [] },
      ],
    });
    expect(decl).toMatchObject({ kind: "decl", choiceDomain: [{ columns: ["x"] }, { columns: ["x", "y"] }] });
    expect(fact).toMatchObject({
      kind: "clause",
      heads: [
        {
          args: [
            { kind: "record", args: [{ kind: "number" }, { kind: "nil" }] },
            { kind: "adt", branch: "A", args: [{ kind: "number" }] },
          ],
        },
      ],
    });
  });
});

describe("error positions", () => {
  it("reports the first error, before an unterminated string further on", () => {
    expect(diags('a(1) b.\nc("open')).toEqual(['syntax 1:6-1:7 expected ",", ".", or ":-"']);
  });
});
