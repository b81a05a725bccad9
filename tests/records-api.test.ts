// Records and algebraic data types through the embedded API: a record or ADT
// column takes and gives its values as Soufflé's text of them (as facts files
// and outputs hold them), checked like every other value, in insert, retract,
// when, lookup, on, query and the typed Schema.

import { describe, expect, it } from "vitest";
import { compile, ValueError } from "../index.js";
import { programDeclarations } from "../lang/dts.js";

const SOURCE = `
.type List = [head: number, tail: List]
.type Shape = Circle {r: number} | Square {side: number}
.decl list(l: List)
.decl suffix(l: List)
suffix(l) :- list(l).
suffix(t) :- suffix([_, t]), t != nil.
.decl shape(name: symbol, s: Shape)
.decl round(name: symbol)
round(n) :- shape(n, $Circle(_)).
`;

describe("records and ADTs in the API", () => {
  it("take and give values as Soufflé's text of them", () => {
    const db = compile(SOURCE).database();
    db.insert("list", [["[1, [2, [3, nil]]]"]]);
    db.insert("shape", [
      ["a", "$Circle(2)"],
      ["b", "$Square(3)"],
    ]);
    db.runSync();
    expect(
      db
        .tuples("suffix")
        .map((t) => t[0])
        .sort(),
    ).toEqual(["[1, [2, [3, nil]]]", "[2, [3, nil]]", "[3, nil]"]);
    expect(db.tuples("shape").sort()).toEqual([
      ["a", "$Circle(2)"],
      ["b", "$Square(3)"],
    ]);
    expect(db.tuples("round")).toEqual([["a"]]);
    expect(db.lookup("suffix", ["[2, [3, nil]]"])).toEqual([["[2, [3, nil]]"]]);
    expect(db.query("suffix([h, _]), h > 1")).toEqual(expect.arrayContaining([{ h: 2 }, { h: 3 }]));
    expect(db.query("suffix([h, _]), h > 1")).toHaveLength(2);
    // Variables that hold records, bound by a column or by a field of a record pattern, as text.
    expect(db.query("suffix([h, t]), h < 3")).toEqual(
      expect.arrayContaining([
        { h: 1, t: "[2, [3, nil]]" },
        { h: 2, t: "[3, nil]" },
      ]),
    );
    expect(db.query("suffix(l), l = [3, _]")).toEqual([{ l: "[3, nil]" }]);
    expect(db.query("shape(n, s), s != $Square(3)")).toEqual([{ n: "a", s: "$Circle(2)" }]);
  });

  it("refuse what is not a value of the column's type, and insert nothing of the batch", () => {
    const db = compile(SOURCE).database();
    expect(() => db.insert("list", [["[1, nil]"], ["[1, 2]"]])).toThrow(ValueError);
    expect(() => db.insert("list", [[5]])).toThrow(/column 0 "l" is 5, not a List as Soufflé writes it/);
    expect(() => db.insert("shape", [["c", "$Triangle(1)"]])).toThrow(ValueError);
    db.runSync();
    expect(db.tuples("list")).toEqual([]);
  });

  it("are explained, and explained as absent, by their text", () => {
    const db = compile(SOURCE).database();
    db.insert("list", [["[1, [2, nil]]"]]);
    db.runSync();
    const proof = db.explain("suffix", ["[2, nil]"]);
    expect(proof).toMatchObject({ kind: "rule", tuple: ["[2, nil]"], premises: [{ kind: "rule", tuple: ["[1, [2, nil]]"] }] });
    expect(db.explain("suffix", ["[3, nil]"])).toMatchObject({ kind: "absent" });
  });

  it("are strings in the typed Schema", () => {
    const front = compile(SOURCE);
    expect(programDeclarations(front.written, "p.dl")).toContain(
      "readonly shape: {\n    readonly tuple: readonly [name: string, s: string];",
    );
  });

  it("tell handlers of their changes, and retract", async () => {
    const db = compile(SOURCE).database();
    const seen: string[] = [];
    db.on("suffix", (t, kind) => seen.push(`${kind} ${t[0]}`));
    db.insert("list", [["[7, [8, nil]]"]]);
    await db.run();
    const reached = db.when("suffix", ["[8, nil]"]);
    await reached;
    db.retract("list", [["[7, [8, nil]]"]]);
    await db.run();
    expect(db.tuples("suffix")).toEqual([]);
    expect(seen.sort()).toEqual(["added [7, [8, nil]]", "added [8, nil]", "removed [7, [8, nil]]", "removed [8, nil]"]);
  });
});
