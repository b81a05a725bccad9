// The text and API forms of a lattice whose cells are plain values of a base
// type (max, min, or, and, user lattices): exactly that type's forms, so a
// min<number> column reads, prints and converts like a number column.

import type { BaseType } from "../../lang/model.js";
import { parseCell } from "../storage/cell-text.js";
import type { SymbolTable } from "../storage/symbols.js";
import { cellOfValue, decode, formatCell } from "../storage/values.js";
import type { LatticeIO } from "./lattice-io.js";
import type { Lattice } from "./lattice.js";

export function plainIO(elem: BaseType, lattice: Lattice, symbols: SymbolTable): LatticeIO {
  return {
    lattice,
    plain: elem,
    format: (cell) => formatCell(elem, cell, symbols),
    parse: (text) => {
      const cell = parseCell(elem, text, symbols);
      return typeof cell === "number" ? cell : undefined;
    },
    toValue: (cell) => decode(elem, cell, symbols),
    fromValue: (v) => cellOfValue(elem, v, symbols),
  };
}
