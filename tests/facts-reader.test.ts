// Reading facts files straight into a relation (engine/io/facts-reader.ts with
// Relation.addWritten): set semantics over repeats within a file, across the
// chunks rows are indexed in, and against rows already present; the first
// occurrence keeps its place, and every row stays findable through the index.

import { describe, expect, it } from "vitest";
import { compile } from "../index.js";
import { readFacts } from "../engine/io/facts-reader.js";
import { Relation } from "../engine/storage/relation.js";
import { SymbolTable } from "../engine/storage/symbols.js";

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
});
