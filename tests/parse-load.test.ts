// loadProgram: includes (#include, .include, include dirs, cycles, once),
// the preprocessor (macros, conditionals, errors), line-exact spans per file.

import { describe, expect, it } from "vitest";
import type { Clause, Item } from "../lang/ast.js";
import type { Span } from "../lang/span.js";
import { loadProgram, type LoadOptions } from "../lang/load.js";
import { dirname, join, normalize } from "../lang/posix-path.js";

function load(files: Record<string, string>, entry = "main.dl", options: LoadOptions = {}) {
  return loadProgram(entry, (p) => files[p], options);
}

/** A short description of each item: relation and first argument of facts, names of declarations. */
function summary(items: readonly Item[]): string[] {
  return items.map((i) => {
    if (i.kind === "clause") {
      const h = i.heads[0]!;
      const arg = h.args[0];
      return `${h.relation}(${arg?.kind === "number" ? arg.value : arg?.kind === "string" ? JSON.stringify(arg.value) : (arg?.kind ?? "")})`;
    }
    return i.kind === "decl" || i.kind === "type" ? `${i.kind} ${i.name}` : i.kind;
  });
}

const where = (s: Span) => `${s.file}:${s.start.line}:${s.start.col}`;
const diags = (r: ReturnType<typeof load>) => r.diagnostics.map((d) => `${d.code} ${d.span ? where(d.span) : "-"} ${d.message}`);

describe("includes", () => {
  it("splices included files where the include stands, with spans into each file", () => {
    const r = load(
      {
        "src/main.dl": 'a(1).\n#include "lib/b.dl"\na(2).\n.include "c.dl"\na(3).',
        "src/lib/b.dl": "// b\n\nb(1).",
        "src/c.dl": "c(1).",
      },
      "src/main.dl",
    );
    expect(diags(r)).toEqual([]);
    expect(summary(r.program.items)).toEqual(["a(1)", "b(1)", "a(2)", "c(1)", "a(3)"]);
    expect(r.program.items.map((i) => where(i.span))).toEqual([
      "src/main.dl:1:1",
      "src/lib/b.dl:3:1",
      "src/main.dl:3:1",
      "src/c.dl:1:1",
      "src/main.dl:5:1",
    ]);
    expect(r.sources.text("src/lib/b.dl")).toBe("// b\n\nb(1).");
    expect(r.sources.line("src/main.dl", 2)).toBe('#include "lib/b.dl"');
  });

  it("searches the include directories after the including file's directory", () => {
    const files = { "main.dl": '#include <std.dl>\n#include "../shared/x.dl"', "/usr/dl/std.dl": "s(1).", "../shared/x.dl": "x(1)." };
    const r = load(files, "main.dl", { includeDirs: ["/usr/dl"] });
    expect(diags(r)).toEqual([]);
    expect(summary(r.program.items)).toEqual(["s(1)", "x(1)"]);
    expect(r.program.items[0]!.span.file).toBe("/usr/dl/std.dl");
  });

  it("reports a missing include at its file name and loads the rest", () => {
    const r = load({ "main.dl": 'a(1).\n  #include "nope.dl"\n.include "gone.dl"\na(2).' });
    expect(diags(r)).toEqual([
      'include-not-found main.dl:2:12 cannot find include file "nope.dl"',
      'include-not-found main.dl:3:10 cannot find include file "gone.dl"',
    ]);
    expect(summary(r.program.items)).toEqual(["a(1)", "a(2)"]);
  });

  it("reports a missing entry file without a span", () => {
    expect(diags(load({}, "none.dl"))).toEqual(['include-not-found - cannot read file "none.dl"']);
  });

  it("stops include cycles, and honours #pragma once and .once", () => {
    const cyc = load({ "main.dl": '#include "b.dl"', "b.dl": 'b(1).\n#include "main.dl"' });
    expect(diags(cyc)).toEqual(['include-cycle b.dl:2:10 "main.dl" includes itself (include cycle)']);
    const once = load({
      "main.dl": '#include "o.dl"\n#include "o.dl"\n#include "p.dl"\n#include "p.dl"',
      "o.dl": "#pragma once\no(1).",
      "p.dl": ".once\np(1).",
    });
    expect(diags(once)).toEqual([]);
    expect(summary(once.program.items)).toEqual(["o(1)", "p(1)"]);
  });

  it("reports syntax errors in an included file against that file", () => {
    const r = load({ "main.dl": '#include "b.dl"\na(1).', "b.dl": "\nb(1" });
    expect(diags(r)).toEqual(['syntax b.dl:2:4 expected ")" or "," at end of input']);
  });
});

describe("macros", () => {
  it("expands object-like and function-like macros, with # and ##", () => {
    const r = load({
      "main.dl": [
        "#define N 10",
        "#define EDGE(x, y) edge(x, y).",
        "#define NAME(x) #x",
        "#define REL(p, s) p##_##s",
        "a(N).",
        "EDGE(N, N + 1)",
        "n(NAME(hello world)).",
        "REL(foo, bar)(1).",
        "#undef N",
        "b(N).",
      ].join("\n"),
    });
    expect(diags(r)).toEqual([]);
    const facts = r.program.items as Clause[];
    expect(facts.map((c) => c.heads[0]!.relation)).toEqual(["a", "edge", "n", "foo_bar", "b"]);
    expect(facts[0]!.heads[0]!.args[0]).toMatchObject({ kind: "number", value: 10 });
    expect(facts[1]!.heads[0]!.args[1]).toMatchObject({ kind: "binary", op: "+" });
    expect(facts[2]!.heads[0]!.args[0]).toMatchObject({ kind: "string", value: "hello world" });
    expect(facts[4]!.heads[0]!.args[0]).toMatchObject({ kind: "var", name: "N" });
  });

  it("takes definitions from the options, and leaves comments and strings alone", () => {
    const r = load({ "main.dl": 'a(N, "N"). // N\nb(SQ(3)).' }, "main.dl", { defines: { N: "7", "SQ(x)": "x * x" } });
    const [a, b] = r.program.items as Clause[];
    expect(a!.heads[0]!.args.map((t) => (t.kind === "number" ? t.value : t.kind === "string" ? t.value : ""))).toEqual([7, "N"]);
    expect(b!.heads[0]!.args[0]).toMatchObject({ kind: "binary", op: "*" });
  });

  it("predefines __LINE__, __FILE__ and RAM_DOMAIN_SIZE, as Soufflé does", () => {
    const r = load({
      "main.dl": 'a(__LINE__, __FILE__).\n#include "inc.dl"\n\na(__LINE__, "__LINE__").\n#if RAM_DOMAIN_SIZE == 32\nb(32).\n#endif',
      "inc.dl": "// included\na(__LINE__, __FILE__).",
    });
    expect(r.diagnostics).toEqual([]);
    const args = (r.program.items as Clause[]).map((c) =>
      c.heads[0]!.args.map((t) => (t.kind === "number" ? t.value : t.kind === "string" ? t.value : t.kind)),
    );
    expect(args).toEqual([[1, "main.dl"], [2, "inc.dl"], [4, "__LINE__"], [32]]);
    const mine = load({ "main.dl": "b(RAM_DOMAIN_SIZE).\n#define __LINE__ 0\na(__LINE__)." }, "main.dl", {
      defines: { RAM_DOMAIN_SIZE: "64" },
    });
    expect((mine.program.items as Clause[]).map((c) => (c.heads[0]!.args[0] as { value: number }).value)).toEqual([64, 0]);
  });

  it("strips comments from directives, but not from strings in them", () => {
    const r = load({ "main.dl": '#define URL "http://x/*y*/" // the address\n#define TWO 2 /* a\n comment */\na(URL, TWO).' });
    expect(diags(r)).toEqual([]);
    const [a] = r.program.items as Clause[];
    expect(a!.heads[0]!.args).toMatchObject([
      { kind: "string", value: "http://x/*y*/" },
      { kind: "number", value: 2 },
    ]);
    expect(a!.span.start.line).toBe(4);
  });

  it("supports multi-line definitions that produce several items", () => {
    const r = load({
      "main.dl": ["#define REL(n, t) \\", "  .decl n(x: t) \\", "  .output n", "REL(p, number)", "REL(q, symbol)", "p(1)."].join("\n"),
    });
    expect(diags(r)).toEqual([]);
    expect(summary(r.program.items)).toEqual(["decl p", "directive", "decl q", "directive", "p(1)"]);
    expect(r.program.items.map((i) => i.span.start.line)).toEqual([4, 4, 5, 5, 6]);
  });

  it("keeps line numbers, and maps spans back to the original text", () => {
    const text = "#define LONGER_NAME x\n#define F(a,\\\n  b) a\na(LONGER_NAME) :- b(LONGER_NAME), y = 1.\nc(F(1,\n  2)).\n  d(1).";
    const r = load({ "main.dl": text });
    expect(diags(r)).toEqual([]);
    const [a, c, d] = r.program.items as Clause[];
    const at = (s: Span) => text.slice(s.start.offset, s.end.offset);
    expect(a!.span.start).toEqual({ line: 4, col: 1, offset: text.indexOf("a(LONGER") });
    expect(at(a!.span)).toBe("a(LONGER_NAME) :- b(LONGER_NAME), y = 1.");
    // What a macro produced points at the invocation; the rest is exact.
    expect(at(a!.heads[0]!.args[0]!.span)).toBe("LONGER_NAME");
    expect(a!.body![0]!.map((l) => at(l.span))).toEqual(["b(LONGER_NAME)", "y = 1"]);
    expect(c!.span.start.line).toBe(5);
    expect(at(c!.heads[0]!.args[0]!.span)).toBe("F(1,\n  2)");
    expect(d!.span.start).toEqual({ line: 7, col: 3, offset: text.indexOf("d(1)") });
  });
});

describe("conditionals", () => {
  it("keeps only the active branches, with every line in place", () => {
    const text = [
      "#define A", // 1
      "#ifdef A", // 2
      "a(1).", // 3
      "#else",
      "a(2).",
      "#endif",
      "#ifndef A",
      "b(1).",
      "#elif defined(B) || 1",
      "b(2).", // 10
      "#else",
      "b(3).",
      "#endif",
      "#if 0",
      "#error not reached",
      "#elif LEVEL > 2 && !defined(A)",
      "c(1).",
      "#elif (LEVEL * 2 == 6) ? 1 : 0",
      "c(2).", // 19
      "#endif",
      "#if 1",
      "#  if 0",
      "d(0).",
      "#  endif",
      "d(1).", // 25
      "#endif",
    ].join("\n");
    const r = load({ "main.dl": text }, "main.dl", { defines: { LEVEL: "3" } });
    expect(diags(r)).toEqual([]);
    expect(summary(r.program.items)).toEqual(["a(1)", "b(2)", "c(2)", "d(1)"]);
    expect(r.program.items.map((i) => i.span.start.line)).toEqual([3, 10, 19, 25]);
  });

  it("reports directive errors at their lines", () => {
    const r = load({ "main.dl": '#else\n#if 1\n#error "stop here"\n#warning careful\n#bogus\n#if (1\n#endif\n#if 1\na(1).' });
    expect(diags(r)).toEqual([
      "preprocessor main.dl:1:1 #else without #if",
      'preprocessor main.dl:3:1 #error "stop here"',
      "preprocessor main.dl:4:1 #warning careful",
      "preprocessor main.dl:5:1 unknown preprocessor directive #bogus",
      "preprocessor main.dl:6:1 invalid preprocessor expression `(1`",
      "preprocessor main.dl:2:1 unterminated conditional: missing #endif",
      "preprocessor main.dl:8:1 unterminated conditional: missing #endif",
    ]);
    expect(r.diagnostics[2]!.severity).toBe("warning");
  });

  it("stops a macro whose expansion doubles at each level, in code, in a condition and in an argument", () => {
    // 24 doublings: 2^24 copies at the last level, each level's text counted, is past the budget.
    const doubling = ["#define F(x) x + x", "#define B0 1", ...Array.from({ length: 24 }, (_, i) => `#define B${i + 1} B${i} + B${i}`)];
    const budget = (macro: string) =>
      `the expansion of macro "${macro}" grows past 16777216 characters, the text of every level of nesting counted (a macro that uses another several times, at each of many levels?)`;
    const cases: [string[], string, string[]][] = [
      [["a(1).", "a(B24).", "b(1)."], `28:3 ${budget("B24")}`, []],
      [["#if B24 > 0", "b(1).", "#endif", "c(1)."], `27:1 ${budget("B24")}`, []],
      [[`c(${"F(".repeat(24)}B2${")".repeat(24)}).`, "d(1)."], `27:3 ${budget("F")}`, []],
    ];
    for (const [code, error, items] of cases) {
      const r = load({ "main.dl": [...doubling, ...code].join("\n") });
      // One error; the text around the failed expansion (up to the next directive) and after it is left out.
      expect(diags(r)).toEqual([`preprocessor main.dl:${error}`]);
      expect(summary(r.program.items)).toEqual(items);
    }
    // Below the budget, the same macros expand: 2^6 ones (a sum of them nests 63 levels, under the nesting limit).
    const small = load({ "main.dl": [...doubling, "d(B6)."].join("\n") });
    expect(diags(small)).toEqual([]);
    expect(small.program.items).toHaveLength(1);
  });

  it("ignores directives inside block comments", () => {
    const r = load({ "main.dl": '/*\n#include "x.dl"\n*/\na(1).' });
    expect(diags(r)).toEqual([]);
    expect(summary(r.program.items)).toEqual(["a(1)"]);
  });
});

describe("posix paths", () => {
  it("joins, normalises and takes directory names without node:path", () => {
    expect(join("a/b", "../c.dl")).toBe("a/c.dl");
    expect(join(".", "x.dl")).toBe("x.dl");
    expect(join("a", "/abs/y.dl")).toBe("/abs/y.dl");
    expect(join("..", "../z.dl")).toBe("../../z.dl");
    expect(normalize("/a/./b/../../../c")).toBe("/c");
    expect(dirname("a/b.dl")).toBe("a");
    expect(dirname("b.dl")).toBe(".");
    expect(dirname("/b.dl")).toBe("/");
  });
});
