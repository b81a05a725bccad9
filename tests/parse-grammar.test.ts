// The grammar's packaging and the parser's fast paths: the embedded grammar
// and its compiled recipe match lang/parse/grammar.ohm, the fast path builds the
// same AST as the grammar on fact files, and a large fact file parses quickly.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grammarSource } from "../lang/parse/grammar.js";
import { parse, parseWhole } from "../lang/parse/parse.js";
import { RESERVED_WORDS } from "../lang/parse/literals.js";

const ohmFile = readFileSync(new URL("../lang/parse/grammar.ohm", import.meta.url), "utf8");

describe("the embedded grammar", () => {
  it("is lang/parse/grammar.ohm, verbatim (run `node scripts/embed-grammar.mjs` after editing it)", () => {
    expect(grammarSource).toBe(ohmFile);
  });

  it("holds the recipe that ohm compiles from lang/parse/grammar.ohm", () => {
    const script = fileURLToPath(new URL("../scripts/embed-grammar.mjs", import.meta.url));
    // --check regenerates the module's text (the recipe included) in memory and fails if it differs.
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("reserves the same words as the TypeScript side", () => {
    const rule = /\n {2}keyword\n {4}= \(([^)]*)\)/.exec(ohmFile);
    const words = new Set([...rule![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
    expect([...words].sort()).toEqual([...RESERVED_WORDS].sort());
  });
});

describe("the fact fast path", () => {
  it("gives the same result as one plain parse, on mixed files", () => {
    const text = `.decl e(a: number, b: symbol)
e(1, "a").   e(-2, "b\\"c").  // two facts on a line
e(0x1F, "x"). e(10u, "y"). e(1.5e3, "z").
/* e(9, "in a comment").
e(9, "still in it"). */
r(x) :-
  e(x, _),
  e(2, "on a line of its own, but inside a rule").
e(3, "multi
line string").
ns.q(1).
q(1, 2) :- true.
e(bad arg).`;
    const fast = parse(text, "m.dl");
    const whole = parseWhole(text, "m.dl");
    expect(fast).toEqual(whole);
    const good = text.replace("e(bad arg).", "");
    expect(parse(good, "m.dl")).toEqual(parseWhole(good, "m.dl"));
    expect(parse(good, "m.dl").program.items).toHaveLength(10);
  });

  const constant = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }).map(String),
    fc.nat().map((n) => `0x${n.toString(16)}`),
    fc.nat({ max: 1023 }).map((n) => `0b${n.toString(2)}u`),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toFixed(3)),
    fc.string({ unit: fc.constantFrom("a", " ", "\\\\", '\\"', "\\n", "é", "/", "*", ",", ")") }).map((s) => `"${s}"`),
  );
  const line = fc.oneof(
    fc
      .tuple(fc.constantFrom("e", "f.g", "_x?"), fc.array(constant, { maxLength: 4 }), fc.constantFrom("", " ", "\t", " // c"))
      .map(([r, args, tail]) => `${r}(${args.join(", ")}).${tail}`),
    fc.constantFrom(
      "",
      "// comment",
      "r(x) :- e(x).",
      "r(x) :-",
      "  e(1).",
      ".decl e(x: number)",
      "/*",
      "*/",
      ".output e",
      "s(1) :- e(1), ",
    ),
  );

  it("agrees with the grammar on generated fact files", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join("\n");
        expect(parse(text, "p.dl")).toEqual(parseWhole(text, "p.dl"));
      }),
      { numRuns: 300 },
    );
  });

  it("parses 5,000 lines of facts (timed in bench/parse.mjs)", () => {
    const lines = [".decl edge(a: number, b: symbol, w: float)"];
    for (let i = 0; i < 5000; i++) lines.push(`edge(${i}, "node_${i}", ${i}.5). // ${i}`);
    const text = lines.join("\n");
    const r = parse(text, "big.dl");
    expect(r.diagnostics).toEqual([]);
    expect(r.program.items).toHaveLength(5001);
  });
});
