// The shared term walkers: over the model (lang/model-terms.ts) they enter
// aggregate bodies and rebuild only what changed; over the parser's terms
// (lang/check/ast-terms.ts) the plain walks stop at an aggregate, a scope of its
// own, while the rebuilds enter it.

import { describe, expect, it } from "vitest";
import type { Literal, Term } from "../lang/ast.js";
import { directVariables, mapLiteral as mapAstLiteral, mapTerm as mapAstTerm } from "../lang/check/ast-terms.js";
import type { MLiteral, MTerm } from "../lang/model.js";
import {
  literalVars,
  mapLiteral,
  mapTerm,
  replaceTerms,
  ruleTerms,
  someTerm,
  subterms,
  termVars,
  visitTerms,
} from "../lang/model-terms.js";
import { parse } from "../lang/parse/parse.js";
import { printLiteral, printTerm } from "../lang/calm/print.js";
import { atom, c, rule, v } from "./calm/build.js";

const plus = (l: MTerm, r: MTerm): MTerm => ({ kind: "binary", op: "+", type: "number", left: l, right: r, span: l.span });
const count = (body: MLiteral[], target?: MTerm): MTerm => ({
  kind: "aggregate",
  fn: target ? "sum" : "count",
  type: "number",
  ...(target ? { target } : {}),
  body,
  span: body[0]!.span,
});
const lt = (l: MTerm, r: MTerm): MLiteral => ({ kind: "compare", op: "<", type: "number", left: l, right: r, span: l.span });

// x + sum y : { e(y, z), z < as(w, number) }
const nested: MTerm = plus(
  v("x"),
  count([atom("e", [v("y"), v("z")], 1), lt(v("z"), { kind: "cast", type: "number", term: v("w"), span: v("w").span })], v("y")),
);

describe("model terms", () => {
  it("replaces whole subterms top-down, leaving what it replaced unvisited", () => {
    // Lifting the outermost aggregate out: the one nested in its body is not visited.
    const outer = count([atom("e", [v("y"), v("z")], 1), lt(count([atom("f", [v("z")], 1)]), c(3))]);
    const visited: string[] = [];
    const lifted = replaceTerms(plus(v("x"), outer), (t) => {
      visited.push(t.kind);
      return t.kind === "aggregate" ? v("n") : undefined;
    });
    expect(printTerm(lifted)).toBe("x + n");
    expect(visited).toEqual(["binary", "var", "aggregate"]);
    // Into aggregate bodies too, where nothing replaces the aggregate itself.
    expect(printTerm(replaceTerms(nested, (t) => (t.kind === "var" && t.name === "z" ? v("q") : undefined)))).toBe(
      "x + sum y : { e(y, q), q < as(w, number) }",
    );
    expect(replaceTerms(nested, () => undefined)).toBe(nested);
  });

  it("gives the direct children of every kind of term, an aggregate's target and body terms included", () => {
    expect(subterms(nested).map(printTerm)).toEqual(["x", "sum y : { e(y, z), z < as(w, number) }"]);
    expect(subterms(subterms(nested)[1]!).map(printTerm)).toEqual(["y", "y", "z", "z", "as(w, number)"]);
    expect(subterms(v("x"))).toEqual([]);
    expect(subterms(c(1))).toEqual([]);
    const call: MTerm = { kind: "call", name: "max", type: "number", args: [v("a"), c(2)], span: v("a").span };
    expect(subterms(call).map(printTerm)).toEqual(["a", "2"]);
    expect(subterms({ kind: "unary", op: "neg", type: "number", operand: v("a"), span: v("a").span }).map(printTerm)).toEqual(["a"]);
  });

  it("visits outermost first and skips below a term when told to", () => {
    const all: string[] = [];
    visitTerms(nested, (t) => void all.push(t.kind));
    expect(all).toEqual(["binary", "var", "aggregate", "var", "var", "var", "var", "cast", "var"]);
    const outside: string[] = [];
    visitTerms(nested, (t) => {
      if (t.kind === "var") outside.push(t.name);
      return t.kind !== "aggregate";
    });
    expect(outside).toEqual(["x"]);
  });

  it("finds terms inside aggregate bodies", () => {
    expect(someTerm(nested, (t) => t.kind === "cast")).toBe(true);
    expect(someTerm(nested, (t) => t.kind === "unary")).toBe(false);
    expect([...termVars(nested)].sort()).toEqual(["w", "x", "y", "z"]);
    expect([...literalVars(lt(v("a"), plus(v("b"), c(1))))]).toEqual(["a", "b"]);
  });

  it("lists a rule's terms: the head's arguments, then the body's", () => {
    const r = rule(0, atom("h", [v("x"), c(1)], 1), [atom("e", [v("x"), v("y")], 1), lt(v("y"), c(3))]);
    expect(ruleTerms(r).map(printTerm)).toEqual(["x", "1", "x", "y", "y", "3"]);
  });

  it("rebuilds bottom-up, inside aggregates too, keeping what did not change", () => {
    const renamed = mapTerm(nested, (t) => (t.kind === "var" ? { ...t, name: t.name.toUpperCase() } : t));
    expect(printTerm(renamed)).toBe("X + sum Y : { e(Y, Z), Z < as(W, number) }");
    expect(printTerm(nested)).toBe("x + sum y : { e(y, z), z < as(w, number) }");
    expect(mapTerm(nested, (t) => t)).toBe(nested);
    // Only the path to the changed leaf is rebuilt.
    const onlyW = mapTerm(nested, (t) => (t.kind === "var" && t.name === "w" ? { ...t, name: "q" } : t));
    expect(onlyW).not.toBe(nested);
    expect(subterms(onlyW)[0]).toBe(subterms(nested)[0]);
    // Children first: the function sees the parent already rebuilt from them.
    const seen: string[] = [];
    mapTerm(plus(v("a"), c(1)), (t) => (seen.push(printTerm(t)), t));
    expect(seen).toEqual(["a", "1", "a + 1"]);
    const l = lt(v("a"), c(1));
    expect(mapLiteral(l, (t) => t)).toBe(l);
    expect(printLiteral(mapLiteral(l, (t) => (t.kind === "const" ? c(5) : t)))).toBe("a < 5");
  });
});

function astBody(text: string): readonly Literal[] {
  const p = parse(`.decl e(x: number, y: number)\n.decl h(x: number)\nh(0) :- ${text}.`, "t.dl");
  const clause = p.program.items.find((i) => i.kind === "clause");
  if (clause?.kind !== "clause" || !clause.body) throw new Error("no clause");
  return clause.body[0]!;
}

describe("parser terms", () => {
  it("walks a scope without entering its aggregates", () => {
    const body = astBody("e(x, _), n = count : { e(x, z) }, n < x + z");
    const names = directVariables(body.flatMap((l) => (l.kind === "compare" ? [l.left, l.right] : l.kind === "atom" ? l.args : [])));
    expect(names.map((x) => x.name)).toEqual(["x", "n", "n", "x", "z"]);
  });

  it("rebuilds terms and literals inside aggregates, bottom-up", () => {
    const [, agg] = astBody("e(x, _), n = sum y : { e(x, y), !e(y, y) }");
    if (agg?.kind !== "compare") throw new Error("expected a comparison");
    const relations: string[] = [];
    const renamed = mapAstTerm(
      agg.right,
      (t: Term) => (t.kind === "var" ? { ...t, name: `${t.name}1` } : t),
      (l: Literal) => {
        if (l.kind === "atom") relations.push(`${l.relation}(${l.args.map((a) => (a.kind === "var" ? a.name : "?")).join(", ")})`);
        return l.kind === "negation" ? { ...l, atom: { ...l.atom, relation: "f" } } : l;
      },
    );
    // The literal hook sees each literal after its terms were rebuilt.
    expect(relations).toEqual(["e(x1, y1)"]);
    if (renamed.kind !== "aggregate") throw new Error("expected an aggregate");
    expect(renamed.target?.kind === "var" && renamed.target.name).toBe("y1");
    expect(renamed.body[1]?.kind === "negation" && renamed.body[1].atom.relation).toBe("f");
    expect(mapAstTerm(agg.right, (t) => t)).toBe(agg.right);
    expect(mapAstLiteral(agg, (t) => t)).toBe(agg);
  });
});
