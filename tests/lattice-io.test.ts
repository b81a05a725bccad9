// The text and API forms of lattice values (engine/lattices/*-io.ts), apart
// from any program: what each lattice writes, that reading back what it wrote
// and converting back what it showed give the same cell, and what it refuses.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LatticeContext, latticeIO, makeLattice } from "../engine/lattices/index.js";
import type { LatticeIO } from "../engine/lattices/lattice-io.js";
import { pairOf } from "../engine/lattices/pair.js";
import { setOf } from "../engine/lattices/set.js";
import { ValueTable } from "../engine/lattices/value-table.js";
import { SymbolTable } from "../engine/storage/symbols.js";
import { bitsOfFloat } from "../engine/storage/values.js";
import type { BaseType, LatticeRef } from "../lang/model.js";

function context(): LatticeContext {
  // A user lattice's text form depends on its carrier only; its join is never called here.
  const sign = { name: "Sign<>", bottom: 0, join: (a: number, b: number) => a | b, leq: (a: number, b: number) => (a | b) === b };
  return { table: new ValueTable(), symbols: new SymbolTable(), user: new Map([["Sign", sign]]) };
}

function ioOf(ref: LatticeRef, ctx = context()): LatticeIO {
  const lattice = makeLattice(ref, ctx);
  if (!lattice) throw new Error(`no lattice for ${ref.name}`);
  return latticeIO(ref, lattice, ctx);
}

const scalar = (name: string, elem: BaseType): LatticeRef => ({ name, elem });
const set = (elem: BaseType): LatticeRef => ({ name: "set", elem });
const pair = (a: LatticeRef, b: LatticeRef): LatticeRef => ({ name: "pair", elem: "number", args: [a, b] });

/** Both round trips hold for `cell`: text and API value. */
function roundTrips(io: LatticeIO, cell: number): void {
  expect(io.parse(io.format(cell))).toBe(cell);
  expect(io.fromValue(io.toValue(cell))).toBe(cell);
}

describe("plain lattices read, write and convert as their element type", () => {
  it("numbers, unsigned numbers and floats", () => {
    const ints = fc.integer({ min: -2147483648, max: 2147483647 });
    const number = ioOf(scalar("min", "number"));
    const unsigned = ioOf(scalar("max", "unsigned"));
    fc.assert(
      fc.property(ints, (n) => {
        roundTrips(number, n);
        roundTrips(unsigned, n);
      }),
    );
    // Text keeps six significant digits (as Soufflé prints floats), so floats round-trip through the API only.
    const float = ioOf(scalar("max", "float"));
    fc.assert(
      fc.property(fc.float({ noNaN: true }).map(bitsOfFloat), (bits) => {
        expect(float.fromValue(float.toValue(bits))).toBe(bits);
      }),
    );
  });

  it("shows what it holds: unsigned above 2^31, floats as Soufflé prints them, booleans as 0 and 1", () => {
    const u = ioOf(scalar("max", "unsigned"));
    expect(u.format(-1)).toBe("4294967295");
    expect(u.toValue(-1)).toBe(4294967295);
    expect(u.parse("0x10")).toBe(16);
    expect(ioOf(scalar("min", "float")).format(bitsOfFloat(Infinity))).toBe("inf");
    const or = ioOf(scalar("or", "number"));
    expect([or.format(1), or.toValue(0), or.parse(" 1 ")]).toEqual(["1", 0, 1]);
    expect(or.plain).toBe("number");
  });

  it("a user lattice as its carrier, symbols included", () => {
    const ctx = context();
    const io = ioOf(scalar("Sign", "symbol"), ctx);
    const plus = io.parse("+");
    expect(plus).toBe(ctx.symbols.intern("+"));
    expect([io.format(plus!), io.toValue(plus!), io.fromValue("+"), io.plain]).toEqual(["+", "+", plus, "symbol"]);
    expect(io.lattice.name).toBe("Sign<>");
  });

  it("refuses text and values of another type", () => {
    const n = ioOf(scalar("min", "number"));
    expect([n.parse("abc"), n.parse("2147483648"), n.parse("1.5"), n.fromValue("1"), n.fromValue([1])]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(ioOf(scalar("Sign", "symbol")).fromValue(1)).toBeUndefined();
  });
});

describe("set<T>", () => {
  it("writes elements in their own order, symbols quoted, and reads them back", () => {
    const ctx = context();
    const io = ioOf(set("symbol"), ctx);
    // Interned b before a: the cells' order is not the text's.
    const [b, a] = [ctx.symbols.intern("b"), ctx.symbols.intern('a "q"')];
    const s = setOf(ctx.table, [b, a]);
    expect(io.format(s)).toBe('{"a \\"q\\"", "b"}');
    expect(io.toValue(s)).toEqual(['a "q"', "b"]);
    roundTrips(io, s);
    expect(io.parse("{}")).toBe(io.lattice.bottom);
    expect(io.format(io.lattice.bottom)).toBe("{}");
    expect(io.plain).toBeUndefined();
  });

  it("round-trips any set of numbers, negative ones and repeats included", () => {
    const ctx = context();
    const io = ioOf(set("number"), ctx);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 6 }), (xs) => {
        const s = setOf(ctx.table, xs);
        roundTrips(io, s);
        expect(io.toValue(s)).toEqual([...new Set(xs)].sort((x, y) => x - y));
        expect(io.fromValue(xs)).toBe(s);
      }),
    );
  });

  it("refuses what is not a set of its elements", () => {
    const io = ioOf(set("number"));
    for (const text of ["1, 2", "{1, 2", "{1,, 2}", '{"a"}', "{1.5}", "{x}"]) expect(io.parse(text), text).toBeUndefined();
    for (const v of [1, ["a"], [[1]], "{1}"]) expect(io.fromValue(v), JSON.stringify(v)).toBeUndefined();
    expect(ioOf(set("symbol")).parse("{1}")).toBeUndefined();
  });
});

describe("pair<A, B>", () => {
  it("writes (a, b) with each component in its own form, nested pairs and sets included", () => {
    const ctx = context();
    const ref = pair(scalar("min", "number"), pair(set("symbol"), scalar("max", "unsigned")));
    const io = ioOf(ref, ctx);
    const inner = pairOf(ctx.table, setOf(ctx.table, [ctx.symbols.intern("x,y"), ctx.symbols.intern("(")]), -1);
    const p = pairOf(ctx.table, -3, inner);
    expect(io.format(p)).toBe('(-3, ({"(", "x,y"}, 4294967295))');
    expect(io.toValue(p)).toEqual([-3, [["(", "x,y"], 4294967295]]);
    roundTrips(io, p);
    expect(io.lattice.name).toBe("pair<min<number>, pair<set<symbol>, max<unsigned>>>");
  });

  it("refuses what is not a pair of its components' values", () => {
    const io = ioOf(pair(scalar("min", "number"), set("number")));
    for (const text of ["1, {}", "(1)", "(1, {}, 2)", "({}, 1)", "(1, {2)"]) expect(io.parse(text), text).toBeUndefined();
    for (const v of [[1], [1, [2], 3], [[2], 1], { 0: 1, 1: [] }]) expect(io.fromValue(v), JSON.stringify(v)).toBeUndefined();
    expect(io.parse("(1, {2})")).toBe(io.fromValue([1, [2]]));
  });
});
