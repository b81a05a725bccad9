// The k-CFA frontend is an application of Cairn: programs/kcfa/ and `cairn
// kcfa` import nothing of the engine or the language but the public API
// (index.ts). What they use of it is tested here as any user would use it:
// readColumns() for reading big outputs, and the diagnostics helpers
// (errorDiagnostic, LineIndex, SourceMap) for reporting errors in their own input.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CairnError,
  compile,
  errorDiagnostic,
  LineIndex,
  readColumns,
  renderDiagnostics,
  SourceMap,
  UnknownRelationError,
  warningDiagnostic,
} from "../index.js";

const root = join(import.meta.dirname, "..");

/** The modules a TypeScript file imports (static `from "…"` clauses and dynamic imports). */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

describe("the k-CFA frontend uses only the public API", () => {
  const files = [
    ...readdirSync(join(root, "programs/kcfa"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `programs/kcfa/${f}`),
    "cli/kcfa.ts",
  ];

  it("imports Cairn only through index.ts", () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const outside = imports(file).filter((m) => m.startsWith(".") && !/^\.\/[\w-]+\.js$/.test(m) && !m.startsWith("../programs/kcfa/"));
      const allowed = file.startsWith("cli/") ? "../index.js" : "../../index.js";
      expect(
        outside.filter((m) => m !== allowed),
        file,
      ).toEqual([]);
    }
  });
});

describe("readColumns", () => {
  const program = compile(`
    .decl e(s: symbol, n: number, u: unsigned, f: float)
    .decl d(x: number, v: min<number>)
    .decl m(x: symbol, v: max<float>)
    .decl c(x: number, v: set<number>)
    .decl z()
    e("b", -1, 4294967295, 0.5).
    e("a", 7, 3, -2.25).
  `);

  it("gives each column as a typed array of its values, symbols as ids", () => {
    const db = program.database();
    db.runSync();
    const e = readColumns(db, "e");
    expect(e.size).toBe(2);
    const [s, n, u, f] = e.columns;
    expect([s, n, u, f].map((col) => col?.constructor.name)).toEqual(["Int32Array", "Int32Array", "Uint32Array", "Float32Array"]);
    expect([...s!].map((id) => e.symbol(id))).toEqual(["b", "a"]);
    expect([...n!]).toEqual([-1, 7]);
    expect([...u!]).toEqual([4294967295, 3]);
    expect([...f!]).toEqual([0.5, -2.25]);
    // The same tuples, in the same order, as tuples() gives them.
    expect(Array.from({ length: e.size }, (_, i) => [e.symbol(s![i]!), n![i], u![i], f![i]])).toEqual(db.tuples("e"));
  });

  it("gives a lattice relation's current value per key, and is a copy", () => {
    const db = program.database();
    db.insert("d", [
      [1, 9],
      [2, 4],
      [1, 3],
      [1, 5],
    ]);
    db.insert("m", [
      ["x", 1.5],
      ["x", 2.5],
    ]);
    db.runSync();
    const d = readColumns(db, "d");
    expect(d.size).toBe(2);
    expect(d.columns.map((col) => [...col])).toEqual([
      [2, 1],
      [4, 3],
    ]);
    expect(d.columns.map((col) => [...col])).toEqual([db.tuples("d").map((t) => t[0]), db.tuples("d").map((t) => t[1])]);
    const m = readColumns(db, "m");
    expect([m.symbol(m.columns[0]![0]!), m.columns[1]![0]]).toEqual(["x", 2.5]);
    db.insert("d", [[2, 1]]);
    db.runSync();
    expect([...d.columns[1]!]).toEqual([4, 3]);
    expect([...readColumns(db, "d").columns[1]!]).toEqual([3, 1]);
  });

  it("gives a nullary relation's size, and refuses sets and undeclared relations", () => {
    const db = program.database();
    db.insert("z", [[]]);
    db.runSync();
    expect(readColumns(db, "z")).toMatchObject({ size: 1, columns: [] });
    expect(() => readColumns(db, "c")).toThrow(/holds set<number> values: read them with tuples\(\)/);
    expect(() => readColumns(db, "nope")).toThrow(UnknownRelationError);
  });
});

describe("diagnostics for a tool's own input", () => {
  it("renders an error located through a LineIndex, with its note, as Cairn's own are rendered", () => {
    const text = "first line\n  (oops\nlast";
    const lines = new LineIndex("in.txt", text);
    const at = text.indexOf("(");
    const sources = new SourceMap();
    sources.add("in.txt", text);
    const e = new CairnError(
      [
        errorDiagnostic("my-syntax", '"(" is never closed', lines.spanAt(at, at + 1), [
          { message: "the input starts here", span: lines.spanAt(0, 5) },
        ]),
      ],
      sources,
    );
    expect(e.diagnostics[0]).toMatchObject({ code: "my-syntax", severity: "error", span: { start: { line: 2, col: 3, offset: 13 } } });
    expect(renderDiagnostics(e.diagnostics, e.sources)).toBe(
      [
        'in.txt:2:3: error[my-syntax]: "(" is never closed',
        "  |",
        "2 |   (oops",
        "  |   ^",
        "  note: in.txt:1:1: the input starts here",
        "    |",
        "  1 | first line",
        "    | ^^^^^",
      ].join("\n"),
    );
    expect(warningDiagnostic("my-style", "odd", lines.spanAt(0, 1)).severity).toBe("warning");
  });
});
