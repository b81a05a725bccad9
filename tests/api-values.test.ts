// Values given to the API are checked against their columns and never
// coerced: a value that does not fit is a ValueError naming the relation, the
// tuple, the column and the value, and the batch it came in changes nothing.
// Accepted values come back exactly as given (bigints as numbers).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArityError, compile, ValueError } from "../index.js";

const program = compile(`
.decl n(x: number)
.decl u(x: unsigned)
.decl f(x: float)
.decl s(x: symbol)
.decl edge(from: number, to: number)
.decl dist(x: number, d: min<number>)
.decl bag(k: symbol, items: set<number>)
`);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

describe("values are checked, never coerced", () => {
  const rejected: [string, unknown, string][] = [
    ["n", 1.5, "1.5"],
    ["n", 2 ** 31, "2147483648"],
    ["n", -(2 ** 31) - 1, "-2147483649"],
    ["n", Number.NaN, "NaN"],
    ["n", Number.POSITIVE_INFINITY, "Infinity"],
    ["n", null, "null"],
    ["n", undefined, "undefined"],
    ["n", "7", '"7"'],
    ["n", true, "true"],
    ["n", 2n ** 31n, "2147483648n"],
    ["u", -1, "-1"],
    ["u", 2 ** 32, "4294967296"],
    ["u", -1n, "-1n"],
    ["f", "1.5", '"1.5"'],
    ["f", null, "null"],
    ["s", 7, "7"],
    ["s", null, "null"],
  ];
  for (const [rel, value, shown] of rejected) {
    it(`${rel} rejects ${shown}`, () => {
      const db = program.database();
      const e = thrown(() => db.insert(rel, [[rel === "s" ? "fine" : 0], [value]]));
      expect(e).toBeInstanceOf(ValueError);
      expect(e).toBeInstanceOf(TypeError);
      const v = e as ValueError;
      expect([v.relation, v.row, v.column, v.columnName]).toEqual([rel, 1, 0, "x"]);
      expect(Object.is(v.value, value)).toBe(true);
      expect(v.message).toContain(`insert into "${rel}": tuple 1, column 0 "x" is ${shown}, not a`);
      expect(v.message).toMatch(/nothing of the batch was inserted$/);
      expect(db.tuples(rel)).toEqual([]);
    });
  }

  it("accepts what the column's type allows, exactly", () => {
    const db = program.database();
    db.insert("n", [[-(2 ** 31)], [2 ** 31 - 1], [0], [-0], [5n], [-(2n ** 31n)]]);
    db.insert("u", [[0], [2 ** 32 - 1], [4294967295n]]);
    db.insert("f", [[Number.NaN], [Number.POSITIVE_INFINITY], [0.5], [-2]]);
    db.insert("s", [[""], ["x y"], ["é"]]);
    db.runSync();
    expect(
      db
        .tuples("n")
        .map((t) => t[0])
        .sort((a, b) => (a as number) - (b as number)),
    ).toEqual([-(2 ** 31), 0, 5, 2 ** 31 - 1]);
    expect(db.tuples("u").map((t) => t[0])).toEqual([0, 4294967295]);
    expect(db.tuples("f").map((t) => t[0])).toEqual([Number.NaN, Number.POSITIVE_INFINITY, 0.5, -2]);
    expect(db.tuples("s").map((t) => t[0])).toEqual(["", "x y", "é"]);
  });

  it("checks lattice values and set elements the same way", () => {
    const db = program.database();
    const e = thrown(() => db.insert("dist", [[1, 1.5]])) as ValueError;
    expect(e).toBeInstanceOf(ValueError);
    expect([e.column, e.columnName, e.value]).toEqual([1, "d", 1.5]);
    expect(e.message).toBe(
      'insert into "dist": tuple 0, column 1 "d" is 1.5, not a value of min<number>: a whole number from -2147483648 to 2147483647; nothing of the batch was inserted',
    );
    const s = thrown(() => db.insert("bag", [["k", [1, 2 ** 40]]])) as ValueError;
    expect(s).toBeInstanceOf(ValueError);
    expect(s.message).toContain('column 1 "items" is [1, 1099511627776], not a value of set<number>');
    db.insert("dist", [[1, 3n]]);
    db.insert("bag", [["k", [2, 1n]]]);
    db.runSync();
    expect(db.tuples("dist")).toEqual([[1, 3]]);
    expect(db.tuples("bag")).toEqual([["k", [1, 2]]]);
  });

  it("takes objects keyed by column name; wrong widths and keys are ArityErrors", () => {
    const db = program.database();
    db.insert("edge", [{ from: 1, to: 2 }, [2, 3]]);
    db.runSync();
    expect(db.tuples("edge")).toEqual([
      [1, 2],
      [2, 3],
    ]);
    const cases: [unknown, string][] = [
      [[1], 'tuple 0 has 1 value; "edge" has 2 columns (from, to)'],
      [{ from: 1 }, 'tuple 0 lacks column "to"; "edge" has 2 columns (from, to)'],
      [{ from: 1, to: 2, weight: 3 }, 'tuple 0 has no column "weight"; "edge" has 2 columns (from, to)'],
      [7, "tuple 0 is 7, not an array or an object keyed by column name"],
    ];
    for (const [t, problem] of cases) {
      const e = thrown(() => db.insert("edge", [t as [number, number]])) as ArityError;
      expect(e).toBeInstanceOf(ArityError);
      expect(e.message).toBe(`insert into "edge": ${problem}; nothing of the batch was inserted`);
    }
    expect(db.size("edge")).toBe(2);
    expect(thrown(() => db.when("edge", [1, 0.5]))).toMatchObject({ name: "ValueError", operation: "when", column: 1 });
  });

  it("accepts a value exactly when it is a whole number in range (property, against a hand-written predicate)", () => {
    const inRange = (v: unknown, lo: number, hi: number) =>
      (typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi) || (typeof v === "bigint" && v >= BigInt(lo) && v <= BigInt(hi));
    const value = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.bigInt({ min: -(2n ** 33n), max: 2n ** 33n }),
      fc.constantFrom(2 ** 31, 2 ** 32, -(2 ** 31), 2 ** 32 - 1, -1, null, undefined, "1", true),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), fc.constantFrom("n", "u"), (values, rel) => {
        const [lo, hi] = rel === "n" ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
        const db = program.database();
        const ok = values.every((v) => inRange(v, lo, hi));
        const bad = values.findIndex((v) => !inRange(v, lo, hi));
        const e = (() => {
          try {
            db.insert(
              rel,
              values.map((v) => [v as number]),
            );
            return undefined;
          } catch (err) {
            return err;
          }
        })();
        if (ok) {
          expect(e).toBeUndefined();
          db.runSync();
          const want = [...new Set(values.map((v) => Number(v)))].sort((a, b) => a - b);
          expect(
            db
              .tuples(rel)
              .map((t) => t[0] as number)
              .sort((a, b) => a - b),
          ).toEqual(want);
        } else {
          expect(e).toBeInstanceOf(ValueError);
          expect((e as ValueError).row).toBe(bad);
          expect(db.size(rel)).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
