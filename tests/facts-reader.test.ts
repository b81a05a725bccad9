// Reading facts files straight into a relation (engine/io/facts-reader.ts with
// Relation.addWritten): set semantics over repeats within a file, across the
// chunks rows are indexed in, and against rows already present; the first
// occurrence keeps its place, and every row stays findable through the index.
// A bad field on a huge line is located and quoted in part, cheaply.

import { describe, expect, it } from "vitest";
import { compile } from "../index.js";
import { readFacts } from "../engine/io/facts-reader.js";
import { Relation } from "../engine/storage/relation.js";
import { SymbolTable } from "../engine/storage/symbols.js";
import { renderDiagnostics } from "../lang/diagnostics.js";
import { SourceMap } from "../lang/span.js";

const OPTS = { delimiter: "\t", headers: false };

function rows(rel: Relation): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rel.size; r++) out.push(Array.from(rel.data.subarray(r * rel.arity, (r + 1) * rel.arity)));
  return out;
}

/** The distinct lines' tuples in order of first appearance. */
function firstSeen(lines: number[][]): number[][] {
  const seen = new Set<string>();
  return lines.filter((l) => {
    const k = l.join(",");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

describe("reading facts into a relation", () => {
  it("keeps the first of repeated lines, across chunks and against rows already present", () => {
    const rel = new Relation("e", ["number", "number"]);
    const symbols = new SymbolTable();
    // Present before: (0, 0) .. (99, 0).
    const before: number[][] = Array.from({ length: 100 }, (_, i) => [i, 0]);
    expect(readFacts(rel, { file: "a.facts", text: before.map((l) => l.join("\t")).join("\n") + "\n" }, OPTS, symbols)).toEqual([]);
    // 200,000 lines over 70,000 distinct tuples, in a scrambled order, some of them the rows above.
    const lines: number[][] = [];
    for (let i = 0; i < 200_000; i++) {
      const k = (i * 7919) % 70_000;
      lines.push([k % 1000, Math.floor(k / 1000)]);
    }
    expect(readFacts(rel, { file: "b.facts", text: lines.map((l) => l.join("\t")).join("\n") }, OPTS, symbols)).toEqual([]);
    const expected = firstSeen([...before, ...lines]);
    expect(rel.size).toBe(expected.length);
    expect(rel.live).toBe(expected.length);
    expect(rows(rel)).toEqual(expected);
    for (let r = 0; r < expected.length; r += 97) expect(rel.unique.find(rel.data, expected[r]!)).toBe(r);
    expect(rel.unique.find(rel.data, [5000, 5000])).toBe(-1);
  });

  it("symbols, and a malformed line reported with its place", () => {
    const rel = new Relation("s", ["symbol", "number"]);
    const symbols = new SymbolTable();
    const found = readFacts(rel, { file: "s.facts", text: "a\t1\nb\t2\na\t1\nc\tx\n" }, OPTS, symbols);
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col} ${d.message}`)).toEqual([
      '4:3 "x" is not a number (column 2 of "s" has type number)',
    ]);
    expect(rows(rel).map(([s, n]) => [symbols.text(s!), n])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("reports columns and offsets in characters, past symbols beyond ASCII", () => {
    const rel = new Relation("s", ["symbol", "number"]);
    const symbols = new SymbolTable();
    const text = "日本\t1\né\tx\n";
    const found = readFacts(rel, { file: "s.facts", bytes: Buffer.from(text, "utf8") }, OPTS, symbols);
    expect(found.map((d) => [d.span!.start.line, d.span!.start.col, d.span!.start.offset, d.span!.end.col])).toEqual([[2, 3, 7, 4]]);
    expect(text.slice(7, 8)).toBe("x");
    expect(rows(rel).map(([s, n]) => [symbols.text(s!), n])).toEqual([["日本", 1]]);
  });

  it("many-character delimiters and a header line", () => {
    const rel = new Relation("e", ["number", "symbol"]);
    const symbols = new SymbolTable();
    const found = readFacts(rel, { file: "e.csv", text: "a, b\r\n2, z\r\n1, x, y\r\n" }, { delimiter: ", ", headers: true }, symbols);
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col} ${d.message}`)).toEqual([
      '3:5 expected 2 fields for relation "e", found more',
    ]);
    expect(rows(rel).map(([n, s]) => [n, symbols.text(s!)])).toEqual([[2, "z"]]);
  });

  it("a lattice column of plain numbers: decimal, hex and signs alike, joined per key, junk reported with the lattice's name", () => {
    const db = compile(".decl d(x: number, v: min<number>)").database();
    const rel = db.runner.relation("d");
    const text = "1\t7\n1\t0x5\n2\t-3\n2\t+4\n3\t1e3\n3\t2147483648\n";
    const found = readFacts(rel, { file: "d.facts", bytes: Buffer.from(text, "utf8") }, OPTS, db.runner.symbols);
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col} ${d.message}`)).toEqual([
      '5:3 "1e3" is not a value of min<number> (column 2 of "d")',
      '6:3 "2147483648" is not a value of min<number> (column 2 of "d")',
    ]);
    // Lines after the first malformed one are checked but not added.
    expect(db.tuples("d")).toEqual([
      [1, 5],
      [2, -3],
    ]);
  });

  const READERS = [
    ["the tab reader", OPTS],
    ["the rfc4180 reader", { ...OPTS, rfc4180: true }],
  ] as const;

  it("reads a last line without a newline like any other, on every path a row takes", () => {
    for (const [reader, opts] of READERS) {
      for (const recordBase of [false, true]) {
        for (const text of ["1\ta\n2\tb\n3\tc", "1\ta\r\n2\tb\r\n3\tc", "1\ta\n2\tb\n3\tc\n"]) {
          const rel = new Relation("e", ["number", "symbol"]);
          // Remembering given facts sends each row through addBase() instead of writing it in place.
          rel.recordBase = recordBase;
          const symbols = new SymbolTable();
          expect(readFacts(rel, { file: "e.facts", text }, opts, symbols), reader).toEqual([]);
          const read = rows(rel).map(([n, s]) => [n, symbols.text(s!)]);
          expect(read, `${reader}, ${JSON.stringify(text)}`).toEqual([
            [1, "a"],
            [2, "b"],
            [3, "c"],
          ]);
        }
      }
    }
  });

  it("counts every line's fields: too few, too many, and an empty last field that still counts", () => {
    const text = "a\tb\tc\na\tb\t\na\tb\na\n\na\tb\tc\td\na\tb\tc\t";
    for (const [reader, opts] of READERS) {
      const rel = new Relation("t", ["symbol", "symbol", "symbol"]);
      const symbols = new SymbolTable();
      const found = readFacts(rel, { file: "t.facts", text }, opts, symbols);
      expect(
        found.map((d) => `${d.span!.start.line}:${d.span!.start.col}-${d.span!.end.col} ${d.message}`),
        reader,
      ).toEqual([
        '3:4-4 expected 3 fields for relation "t", found 2',
        '4:2-2 expected 3 fields for relation "t", found 1',
        '6:6-6 expected 3 fields for relation "t", found more',
        '7:6-6 expected 3 fields for relation "t", found more',
      ]);
      expect(
        rows(rel).map((r) => r.map((s) => symbols.text(s))),
        reader,
      ).toEqual([
        ["a", "b", "c"],
        ["a", "b", ""],
      ]);
    }
  });
});

describe("huge lines and fields", () => {
  it("locates a bad field on a 5 MB line, quoting the field cut short and a piece of the line", () => {
    const rel = new Relation("e", ["symbol", "number"]);
    const sources = new SourceMap();
    const long = "é".repeat(2_500_000);
    const text = `a\t1\n${long}\t${"9".repeat(3_000_000)}x\n`;
    const found = readFacts(rel, { file: "e.facts", bytes: Buffer.from(text, "utf8") }, OPTS, new SymbolTable(), sources);
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col} ${d.message}`)).toEqual([
      `2:${long.length + 2} "${"9".repeat(40)}…" is not a number (column 2 of "e" has type number)`,
    ]);
    expect(found[0]!.span!.start.offset).toBe(text.indexOf("\t9") + 1);
    const shown = renderDiagnostics(found, sources);
    expect(shown.length).toBeLessThan(600);
    const [, line, caret] = shown.split("\n").slice(1);
    // The caret stands under the field's first character, in a window of the line.
    expect(line).toMatch(/^2 \| …é+\t9+…$/);
    expect(line![caret!.indexOf("^")]).toBe("9");
  });

  it("reports a field longer than the bound without making a string of it", () => {
    const rel = new Relation("e", ["number", "symbol"]);
    const found = readFacts(
      rel,
      { file: "e.facts", text: "1\tshort\n2\tlonger than ten\n" },
      { ...OPTS, maxFieldBytes: 10 },
      new SymbolTable(),
    );
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col} ${d.message}`)).toEqual([
      '2:3 a field of 15 bytes is too long (column 2 of "e"): Cairn reads fields of at most 10 bytes',
    ]);
  });

  it("counts columns in UTF-16 units, as the decoded text does, past characters of two, three and four bytes", () => {
    const rel = new Relation("s", ["symbol", "symbol", "number"]);
    const text = "é日😀\tx😀y\tz\n";
    const found = readFacts(rel, { file: "s.facts", bytes: Buffer.from(text, "utf8") }, OPTS, new SymbolTable());
    const at = text.indexOf("z");
    expect(found.map((d) => [d.span!.start.col, d.span!.start.offset, d.span!.end.offset])).toEqual([[at + 1, at, at + 1]]);
  });

  it("numbers the lines after `from` as in the whole file", () => {
    const rel = new Relation("e", ["number"]);
    const sources = new SourceMap();
    const text = "1\n2\né\n4\nx\n";
    const bytes = Buffer.from(text, "utf8");
    const found = readFacts(rel, { file: "e.facts", bytes, from: bytes.indexOf("4") }, OPTS, new SymbolTable(), sources);
    expect(found.map((d) => `${d.span!.start.line}:${d.span!.start.col}:${d.span!.start.offset}`)).toEqual([`5:1:${text.indexOf("x")}`]);
    expect(renderDiagnostics(found, sources)).toContain("5 | x\n  | ^");
    expect(rows(rel)).toEqual([[4]]);
  });
});
