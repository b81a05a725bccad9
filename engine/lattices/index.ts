// Builds the lattice of a lattice column from the reference its declaration
// resolved to: its algebra (makeLattice: the built-ins max, min, or, and, set,
// pair, or one of the program's user lattices, compiled by user.ts) and,
// separately, the text and API forms of its values (latticeIO).

import type { LatticeRef } from "../../lang/model.js";
import type { SymbolTable } from "../storage/symbols.js";
import { andLattice, orLattice } from "./bool.js";
import type { Lattice } from "./lattice.js";
import type { LatticeIO } from "./lattice-io.js";
import { maxLattice } from "./max.js";
import { minLattice } from "./min.js";
import { type PairLattice, pairLattice } from "./pair.js";
import { pairIO } from "./pair-io.js";
import { plainIO } from "./plain-io.js";
import { setLattice } from "./set.js";
import { setIO } from "./set-io.js";
import type { ValueTable } from "./value-table.js";

export type { Lattice } from "./lattice.js";
export type { LatticeIO } from "./lattice-io.js";

export interface LatticeContext {
  readonly table: ValueTable;
  readonly symbols: SymbolTable;
  /** User lattices by name. */
  readonly user: ReadonlyMap<string, Lattice>;
}

/** The algebra of the lattice `ref` names; undefined for an unknown user lattice. */
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
      return setLattice(ref.elem, ctx.table);
    case "pair": {
      const [ra, rb] = ref.args ?? [];
      const a = ra && makeLattice(ra, ctx);
      const b = rb && makeLattice(rb, ctx);
      if (!a || !b) return undefined;
      return pairLattice(a, b, ctx.table);
    }
    default:
      return ctx.user.get(ref.name);
  }
}

function isPair(lattice: Lattice): lattice is PairLattice {
  return "first" in lattice && "second" in lattice;
}

/** How values of the lattice `ref` names are read, written and shown through the API; `lattice` is its algebra, made from the same ref. */
export function latticeIO(ref: LatticeRef, lattice: Lattice, ctx: Omit<LatticeContext, "user">): LatticeIO {
  switch (ref.name) {
    case "set":
      return setIO(ref.elem, lattice, ctx.table, ctx.symbols);
    case "pair": {
      const [ra, rb] = ref.args ?? [];
      if (!ra || !rb || !isPair(lattice)) throw new Error(`internal: ${lattice.name} is not the pair lattice its column declares`);
      return pairIO(lattice, latticeIO(ra, lattice.first, ctx), latticeIO(rb, lattice.second, ctx), ctx.table);
    }
    default:
      return plainIO(ref.elem, lattice, ctx.symbols);
  }
}
