// Writing relations out (engine/io/facts-writer.ts): every cell as formatCell
// writes it — numbers at their extremes and digit-count edges, unsigned,
// floats, symbols beyond ASCII, scalar, user and composite lattice values — with one-
// and many-character delimiters, dead lattice rows left out, and rows that
// span the writer's buffer chunks.

import { describe, expect, it } from "vitest";
import { compile } from "../index.js";
import { readFacts } from "../engine/io/facts-reader.js";
import { formatRows } from "../engine/io/facts-writer.js";
import { formatCell } from "../engine/storage/values.js";

const EDGES = [-2147483648, -1000000000, -10, -9, -1, 0, 1, 9, 10, 99, 100, 999999999, 1000000000, 2147483647];

function written(src: string, facts: Record<string, unknown[][]>, relation: string, delimiter?: string): string {
  const db = compile(src).database();
  for (const [r, ts] of Object.entries(facts)) db.insert(r, ts as never);
  db.runSync();
  return formatRows(db.runner.relation(relation), db.runner.symbols, delimiter);
}

describe("writing rows", () => {
  it("numbers and unsigned numbers at their edges", () => {
    const src = `.decl n(x: number, y: unsigned)\n`;
    const rows = EDGES.map((v) => [v, v < 0 ? 4294967295 + v + 1 : v]);
    expect(written(src, { n: rows }, "n")).toBe(rows.map(([a, b]) => `${a}\t${b}`).join("\n") + "\n");
    expect(written(src, { n: [[7, 4294967295]] }, "n", ", ")).toBe("7, 4294967295\n");
  });

  it("floats and symbols as formatCell writes them", () => {
    const db = compile(`.decl f(x: float, s: symbol)`).database();
    db.insert("f", [
      [0.1, "héllo"],
      [-2.5e-7, "日本"],
      [1e21, ""],
      [3, "a\tb"],
    ]);
    db.runSync();
    const rel = db.runner.relation("f");
    const expected = db
      .tuples("f")
      .map((_, r) => [0, 1].map((c) => formatCell(rel.types[c]!, rel.data[r * 2 + c]!, db.runner.symbols)).join("|"));
    expect(formatRows(rel, db.runner.symbols, "|")).toBe(expected.join("\n") + "\n");
  });

  it("lattice values: the live value of each key, scalar and composite", () => {
    const src = `
      .decl d(x: number, v: min<unsigned>)
      .decl s(x: number, v: set<number>)
      .decl w(x: number, v: max<float>)`;
    expect(
      written(
        src,
        {
          d: [
            [1, 9],
            [1, 4],
            [2, 4294967294],
          ],
        },
        "d",
      ),
    ).toBe("1\t4\n2\t4294967294\n");
    expect(
      written(
        src,
        {
          s: [
            [1, [3]],
            [1, [1, 2]],
          ],
        },
        "s",
      ),
    ).toBe("1\t{1, 2, 3}\n");
    expect(
      written(
        src,
        {
          w: [
            [1, 0.5],
            [1, 2.25],
          ],
        },
        "w",
      ),
    ).toBe("1\t2.25\n");
  });

  it("a user lattice's values as its carrier's: symbols quoted with rfc4180, so that the rows read back", () => {
    const src = `.type L <: symbol\n.lattice L<> { Bottom -> "", Lub -> max(_, _) }\n.decl r(x: number, v: L<>)`;
    const db = compile(src).database();
    db.insert("r", [
      [1, "a,b"],
      [2, 'say "hi"'],
    ]);
    db.runSync();
    const text = formatRows(db.runner.relation("r"), db.runner.symbols, ",", true);
    expect(text).toBe('1,"a,b"\n2,"say ""hi"""\n');
    expect(formatRows(db.runner.relation("r"), db.runner.symbols)).toBe('1\ta,b\n2\tsay "hi"\n');
    const back = compile(src).database();
    const options = { delimiter: ",", headers: false, rfc4180: true };
    expect(readFacts(back.runner.relation("r"), { file: "r.csv", text }, options, back.runner.symbols)).toEqual([]);
    expect(back.tuples("r")).toEqual(db.tuples("r"));
  });

  it("many rows across buffer chunks, nothing lost or doubled", () => {
    const n = 200_000;
    const rows = Array.from({ length: n }, (_, i) => [i * 7919 - 800_000_000, i]);
    const text = written(`.decl r(a: number, b: number)`, { r: rows }, "r");
    expect(text.length).toBeGreaterThan(1 << 20);
    expect(text).toBe(rows.map(([a, b]) => `${a}\t${b}`).join("\n") + "\n");
  });
});
