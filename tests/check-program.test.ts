// The shape of the checked program (desugared rules, relation information),
// and properties that hold for any program: check never throws, `checked` is
// present iff there is no error, strata respect dependencies.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHECK_CODES, check } from "../lang/check/index.js";
import type { CheckedProgram } from "../lang/model.js";
import { parse } from "../lang/parse/parse.js";
import { brief, checkText, okProgram, showRule } from "./check-helpers.js";

describe("the checked program", () => {
  it("has one rule per head and disjunct, and facts as rules with an empty body", () => {
    const p = okProgram(
      ".decl e(x:number, y:number) input\n.decl a(x:number)\n.decl b(x:number)\n" + "a(1).\na(x), b(y) :- e(x, y) ; e(y, x), x != y.\n",
    );
    expect(p.rules.map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
    expect(p.rules.map(showRule)).toEqual([
      "a(1:number).",
      "a(x:number) :- e(x:number, y:number).",
      "a(x:number) :- e(y:number, x:number), x:number != y:number.",
      "b(y:number) :- e(x:number, y:number).",
      "b(y:number) :- e(y:number, x:number), x:number != y:number.",
    ]);
    expect(p.rules.slice(1).map((r) => r.span.start.line)).toEqual([5, 5, 5, 5]);
  });

  it("describes each relation: columns with base and declared types, qualifiers, IO", () => {
    const p = okProgram(
      '.type Node <: symbol\n.decl edge(from:Node, to:Node, w:float) brie input\nedge("a", "b", 1).\n.output edge(IO=stdout)\n',
    );
    const e = p.relations.get("edge")!;
    expect({ ...e, span: e.span.start, inputs: e.inputs.map((s) => s.params), outputs: e.outputs.map((s) => s.params) }).toEqual({
      name: "edge",
      columns: [
        { name: "from", type: "symbol", typeName: "Node" },
        { name: "to", type: "symbol", typeName: "Node" },
        { name: "w", type: "float", typeName: "float" },
      ],
      span: { line: 2, col: 1, offset: 21 },
      qualifiers: ["brie", "input"],
      inputs: [{}],
      outputs: [{ IO: "stdout" }],
      printsize: false,
    });
  });

  it("keeps warnings with a checked program and drops the program on any error", () => {
    const ok = checkText(".decl a(x:number)\n.decl b(x:number)\nb(x) :- a(x).\n");
    expect(ok.checked).toBeDefined();
    expect(ok.warnings.length).toBe(1);
    const bad = checkText(".decl b(x:number)\nb(x) :- a(x).\n");
    expect(bad.checked).toBeUndefined();
  });

  it("sorts diagnostics by position and reports a body shared by several heads once", () => {
    const r = checkText(".decl a(x:number)\n.decl b(x:number)\nb(x) :- c(x).\na(x), b(x) :- d(x).\n.output zz\n");
    expect(r.diagnostics.map(brief)).toEqual([
      '3:9 undeclared-relation: relation "c" is not declared',
      '4:15 undeclared-relation: relation "d" is not declared',
      '5:9 undeclared-relation: relation "zz" is not declared',
    ]);
  });

  it("orders diagnostics of several files as the program's items come from them", () => {
    const main = parse(".decl a(x:number)\na(x) :- b(x).\n", "z-main.dl").program;
    const included = parse(".decl c(x:number)\nc(x) :- d(x).\n", "a-included.dl").program;
    const r = check({ items: [...main.items, ...included.items] });
    expect(r.diagnostics.map((d) => `${d.span!.file}:${d.span!.start.line}`)).toEqual(["z-main.dl:2", "a-included.dl:2"]);
  });

  it("documents every diagnostic code", () => {
    for (const code of Object.keys(CHECK_CODES)) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

// ---------------------------------------------------------------- properties

// Random programs over a few declared relations: most atoms have the right arity, most terms are variables,
// so that a good share of the programs are valid and exercise stratification.
const arities: Record<string, number> = { a: 2, b: 1, c: 2, d: 1, e: 2 };
const decls =
  ".decl a(x:number, y:number) input\n.decl b(x:number)\n.decl c(x:number, y:number)\n.decl d(x:number)\n.decl e(x:number, y:number) eqrel\n";
const term = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("x", "y", "z") },
  { weight: 1, arbitrary: fc.constantFrom("_", "1", "2.5", "3u", '"s"', "-4", "x + 1", "strlen(y)", "cat(x, y)") },
  { weight: 1, arbitrary: fc.constantFrom("count : { a(x, _) }", "max z : b(z)", "as(x, number)", "to_string(z)", "sum w : { c(w, x) }") },
);
const atom = fc
  .tuple(fc.constantFrom("a", "b", "c", "d", "e", "f"), fc.array(term, { minLength: 0, maxLength: 3 }), fc.integer({ min: 0, max: 9 }))
  .chain(([r, extra, k]) => {
    const n = k > 0 && r in arities ? arities[r]! : extra.length;
    return fc.array(term, { minLength: n, maxLength: n }).map((args) => `${r}(${args.join(", ")})`);
  });
const literal = fc.oneof(
  { weight: 4, arbitrary: atom },
  { weight: 1, arbitrary: atom.map((a) => `!${a}`) },
  { weight: 1, arbitrary: fc.tuple(term, fc.constantFrom("=", "<", "!="), term).map(([l, op, r]) => `${l} ${op} ${r}`) },
);
const clause = fc
  .tuple(atom, fc.array(literal, { minLength: 0, maxLength: 3 }))
  .map(([h, body]) => (body.length ? `${h} :- ${body.join(", ")}.` : `${h}.`));
const program = fc.array(clause, { maxLength: 8 }).map((cs) => decls + cs.join("\n") + "\n");

function respectsStrata(p: CheckedProgram): boolean {
  const pos = new Map(p.strata.flatMap((s, i) => s.relations.map((r) => [r, i] as const)));
  if (pos.size !== p.relations.size) return false;
  return p.rules.every((rule) =>
    [...JSON.stringify(rule.body).matchAll(/"relation":"(\w+)"/g)].every((m) => pos.get(m[1]!)! <= pos.get(rule.head.relation)!),
  );
}

describe("any program", () => {
  it("is checked without throwing; checked iff no error; strata respect dependencies", () => {
    fc.assert(
      fc.property(program, (text) => {
        const parsed = parse(text, "p.dl");
        if (parsed.diagnostics.some((d) => d.severity === "error")) return true;
        const r = check(parsed.program);
        const hasError = r.diagnostics.some((d) => d.severity === "error");
        expect(r.checked === undefined).toBe(hasError);
        for (const d of r.diagnostics) expect(CHECK_CODES).toHaveProperty([d.code]);
        if (r.checked) expect(respectsStrata(r.checked)).toBe(true);
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
