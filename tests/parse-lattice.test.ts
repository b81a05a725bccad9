// The syntax around lattices: lattice column types, `.lattice` and `.functor`
// declarations and `@f(…)` calls parse to the AST of lang/ast.ts, identically
// on the fast path and through the grammar, with exact spans.

import { describe, expect, it } from "vitest";
import type { FunctorDecl, LatticeDecl, RelationDecl, Term, TypeRef } from "../lang/ast.js";
import { ParseContext } from "../lang/parse/context.js";
import { readItem } from "../lang/parse/fast-items.js";
import { parse, parseWhole } from "../lang/parse/parse.js";
import type { Span } from "../lang/span.js";

/** Parses `text`, checking that the fast path and the grammar agree and that there are no diagnostics. */
function items(text: string) {
  const r = parse(text, "l.dl");
  expect(JSON.stringify(r)).toBe(JSON.stringify(parseWhole(text, "l.dl")));
  expect(r.diagnostics).toEqual([]);
  return r.program.items;
}

function showType(t: TypeRef): string {
  return t.args ? `${t.name}<${t.args.map(showType).join(",")}>` : t.name;
}

function showTerm(t: Term): string {
  switch (t.kind) {
    case "var":
      return t.name;
    case "wildcard":
      return "_";
    case "number":
      return t.text;
    case "string":
      return JSON.stringify(t.value);
    case "binary":
      return `(${showTerm(t.left)} ${t.op} ${showTerm(t.right)})`;
    case "call":
      return `${t.name}(${t.args.map(showTerm).join(", ")})`;
    default:
      return t.kind;
  }
}

describe("lattice column types", () => {
  const text = ".decl r(a: number, b: min<number>, c: pair<min<number>, set<Node>>, d: Sign<>, e: or, f: max < float >)";
  const [decl] = items(text) as RelationDecl[];
  const slice = (s: Span) => text.slice(s.start.offset, s.end.offset);

  it("keeps the arguments of each type: absent for a plain name, empty for Name<>", () => {
    expect(decl!.attributes.map((a) => showType(a.type))).toEqual([
      "number",
      "min<number>",
      "pair<min<number>,set<Node>>",
      "Sign<>",
      "or",
      "max<float>",
    ]);
    expect(decl!.attributes[0]!.type).toEqual({ name: "number", span: decl!.attributes[0]!.type.span });
    expect(decl!.attributes[3]!.type.args).toEqual([]);
  });

  it("locates each type and its arguments", () => {
    const c = decl!.attributes[2]!;
    expect(slice(c.span)).toBe("c: pair<min<number>, set<Node>>");
    expect(slice(c.type.span)).toBe("pair<min<number>, set<Node>>");
    expect(c.type.args!.map((a) => slice(a.span))).toEqual(["min<number>", "set<Node>"]);
    expect(slice(c.type.args![1]!.args![0]!.span)).toBe("Node");
    expect(slice(decl!.attributes[5]!.type.span)).toBe("max < float >");
  });

  it("is read by the fast path", () => {
    expect(readItem(text, 0, new ParseContext("l.dl", text))?.kind).toBe("fast");
  });
});

describe(".functor", () => {
  it("reads named and bare parameters, the result type and the qualifiers", () => {
    const text = ".functor f(x: number, Sign, y: a.b): symbol monotone stateful\n.functor g(): number";
    const [f, g] = items(text) as FunctorDecl[];
    expect(f).toMatchObject({ kind: "functor", name: "f", qualifiers: ["monotone", "stateful"], result: { name: "symbol" } });
    expect(f!.params.map((p) => [p.name, p.type.name, text.slice(p.span.start.offset, p.span.end.offset)])).toEqual([
      ["x", "number", "x: number"],
      ["", "Sign", "Sign"],
      ["y", "a.b", "y: a.b"],
    ]);
    expect(text.slice(f!.span.start.offset, f!.span.end.offset)).toBe(".functor f(x: number, Sign, y: a.b): symbol monotone stateful");
    expect(g).toMatchObject({ name: "g", params: [], qualifiers: [] });
  });

  it("does not take the start of a rule named monotone as a qualifier", () => {
    const kinds = items(".functor f(x: number): number\nmonotone(1).\n.functor g(): number monotone\nmonotone.x(2).");
    expect(kinds.map((i) => i.kind)).toEqual(["functor", "clause", "functor", "clause"]);
    expect((kinds[2] as FunctorDecl).qualifiers).toEqual(["monotone"]);
  });

  it("calls user functors by their name with its @", () => {
    const [rule] = items("r(@f(x, @g()), y) :- s(x, y), y = @ h(x).");
    const c = rule!.kind === "clause" ? rule : undefined;
    expect(c!.heads[0]!.args.map(showTerm)).toEqual(["@f(x, @g())", "y"]);
    const lit = c!.body![0]![1]!;
    expect(lit.kind === "compare" && showTerm(lit.right)).toBe("@h(x)");
  });
});

describe(".lattice", () => {
  it("reads its operations in order, with the operands as wildcards", () => {
    const text = `.lattice Sign<> {
  Bottom -> 0,
  Top -> 7,
  Lub -> _ bor _,
  Glb -> @glb(_, _)
}`;
    const [l] = items(text) as LatticeDecl[];
    expect(l!.name).toBe("Sign");
    expect(l!.ops.map((o) => [o.op, showTerm(o.term)])).toEqual([
      ["Bottom", "0"],
      ["Top", "7"],
      ["Lub", "(_ bor _)"],
      ["Glb", "@glb(_, _)"],
    ]);
    expect(l!.ops.map((o) => text.slice(o.span.start.offset, o.span.end.offset))).toEqual([
      "Bottom -> 0",
      "Top -> 7",
      "Lub -> _ bor _",
      "Glb -> @glb(_, _)",
    ]);
    expect(text.slice(l!.span.start.offset, l!.span.end.offset)).toBe(text);
    expect(readItem(text, 0, new ParseContext("l.dl", text))?.kind).toBe("fast");
  });

  it("parses an empty body (the checks report what is missing)", () => {
    expect(items(".lattice L<> {}")).toEqual([expect.objectContaining({ kind: "lattice", name: "L", ops: [] })]);
  });
});
