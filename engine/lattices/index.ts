// Builds the lattice of a lattice column from its reference: the built-ins
// (max, min, or, and, set, pair) and user lattices compiled from the program.

import type { LatticeRef } from "../../lang/model.js";
import type { SymbolTable } from "../storage/symbols.js";
import { parseCell } from "../storage/cell-text.js";
import { decode, encode, formatCell } from "../storage/values.js";
import { andLattice, orLattice } from "./bool.js";
import type { Lattice } from "./lattice.js";
import { maxLattice } from "./max.js";
import { minLattice } from "./min.js";
import { pairLattice, type Component } from "./pair.js";
import { setLattice } from "./set.js";
import type { ValueTable } from "./value-table.js";

export type { Lattice } from "./lattice.js";
export type { Component } from "./pair.js";

export interface LatticeContext {
  readonly table: ValueTable;
  readonly symbols: SymbolTable;
  /** User lattices by name. */
  readonly user: ReadonlyMap<string, Lattice>;
}

/** How a lattice's values are written, read, and shown through the API (scalar lattices as their element type). */
export function component(lattice: Lattice, symbols: SymbolTable): Component {
  return {
    lattice,
    format: lattice.format ? (c) => lattice.format!(c) : (c) => formatCell(lattice.elem, c, symbols),
    parse: lattice.parse
      ? (t) => lattice.parse!(t)
      : (t) => {
          const cell = parseCell(lattice.elem, t, symbols);
          return typeof cell === "number" ? cell : undefined;
        },
    toValue: lattice.toValue ? (c) => lattice.toValue!(c) : (c) => decode(lattice.elem, c, symbols),
    fromValue: lattice.fromValue
      ? (v) => lattice.fromValue!(v)
      : (v) =>
          (lattice.elem === "symbol") === (typeof v === "string") && (typeof v === "string" || typeof v === "number")
            ? encode(lattice.elem, v, symbols)
            : undefined,
  };
}

export function makeLattice(ref: LatticeRef, ctx: LatticeContext): Lattice | undefined {
  switch (ref.name) {
    case "max":
      return maxLattice(ref.elem);
    case "min":
      return minLattice(ref.elem);
    case "or":
      return orLattice;
    case "and":
      return andLattice;
    case "set":
      return setLattice(ref.elem, ctx.table, ctx.symbols);
    case "pair": {
      const [ra, rb] = ref.args ?? [];
      const a = ra && makeLattice(ra, ctx);
      const b = rb && makeLattice(rb, ctx);
      if (!a || !b) return undefined;
      return pairLattice(component(a, ctx.symbols), component(b, ctx.symbols), ctx.table);
    }
    default:
      return ctx.user.get(ref.name);
  }
}
