// Every built-in lattice's algebra obeys the laws on random samples
// (fast-check), and the law checker does catch a broken join. Samples are
// made as cells, with no text or API form in between.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { andLattice, orLattice } from "../engine/lattices/bool.js";
import { checkLaws } from "../engine/lattices/laws.js";
import { type Lattice as PublicLattice, checkLaws as publicCheckLaws } from "../index.js";
import type { Lattice } from "../engine/lattices/lattice.js";
import { maxLattice } from "../engine/lattices/max.js";
import { minLattice } from "../engine/lattices/min.js";
import { pairLattice, pairOf } from "../engine/lattices/pair.js";
import { setLattice, setOf } from "../engine/lattices/set.js";
import { ValueTable } from "../engine/lattices/value-table.js";
import { bitsOfFloat } from "../engine/storage/values.js";

const ints = fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { minLength: 1, maxLength: 8 });
const floats = fc.array(fc.float({ noNaN: true }).map(bitsOfFloat), { minLength: 1, maxLength: 8 });

function lawsHold(l: Lattice, arb: fc.Arbitrary<number[]>) {
  fc.assert(
    fc.property(arb, (xs) => {
      expect(checkLaws(l, xs)).toEqual([]);
    }),
    { numRuns: 60 },
  );
}

describe("built-in lattices obey the laws", () => {
  for (const elem of ["number", "unsigned"] as const) {
    it(`max<${elem}>`, () => lawsHold(maxLattice(elem), ints));
    it(`min<${elem}>`, () => lawsHold(minLattice(elem), ints));
  }
  it("max<float>", () => lawsHold(maxLattice("float"), floats));
  it("min<float>", () => lawsHold(minLattice("float"), floats));
  it("float lattices commute on 0 and -0", () => {
    const zeros = [bitsOfFloat(0), bitsOfFloat(-0), bitsOfFloat(1)];
    expect(checkLaws(maxLattice("float"), zeros)).toEqual([]);
    expect(checkLaws(minLattice("float"), zeros)).toEqual([]);
  });
  it("or and and", () => {
    expect(checkLaws(orLattice, [0, 1])).toEqual([]);
    expect(checkLaws(andLattice, [0, 1])).toEqual([]);
  });
  it("set<number>", () => {
    const table = new ValueTable();
    const set = setLattice("number", table);
    const sets = fc
      .array(fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 4 }), { minLength: 1, maxLength: 6 })
      .map((ss) => ss.map((s) => setOf(table, s)));
    lawsHold(set, sets);
  });
  it("pair<min<number>, set<symbol>>", () => {
    const table = new ValueTable();
    const p = pairLattice(minLattice("number"), setLattice("symbol", table), table);
    // Symbols are cells too: ids 0, 1, 2 stand for three interned symbols.
    const pairs = fc
      .array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.array(fc.constantFrom(0, 1, 2), { maxLength: 3 })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((ps) => ps.map(([min, set]) => pairOf(table, min, setOf(table, set))));
    lawsHold(p, pairs);
  });
});

describe("the law checker", () => {
  it("reports a join that is not commutative", () => {
    const bad: Lattice = { name: "first", bottom: 0, join: (a) => a, leq: (a, b) => a <= b };
    const laws = checkLaws(bad, [1, 2]).map((v) => v.law);
    expect(laws).toContain("commutative");
    expect(laws).toContain("bottom-identity");
  });
  it("reports a join that is not idempotent", () => {
    const bad: Lattice = { name: "plus", bottom: 0, join: (a, b) => a + b, leq: (a, b) => a <= b };
    expect(checkLaws(bad, [1, 2]).map((v) => v.law)).toContain("idempotent");
  });
  it("reports an order that disagrees with the join, through the public API", () => {
    // A lawful join (max) whose leq is the reverse order: only the order law breaks.
    const reversed: PublicLattice = { name: "reversed", bottom: -2147483648, join: (a, b) => Math.max(a, b), leq: (a, b) => a >= b };
    expect(publicCheckLaws(reversed, [1, 2]).map((v) => [v.law, v.values])).toEqual([["order", [-2147483648, 1]]]);
  });
});
