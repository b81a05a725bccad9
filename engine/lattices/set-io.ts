// The text and API forms of set<T>: written {e1, e2, …} with the elements in
// Soufflé's own form (symbols quoted as JSON strings) and in their own order,
// read back the same way; through the API, a sorted array of the elements.

import type { BaseType } from "../../lang/model.js";
import { parseCell } from "../storage/cell-text.js";
import type { SymbolTable } from "../storage/symbols.js";
import { cellOfValue, decode, encode, formatCell } from "../storage/values.js";
import type { LatticeIO } from "./lattice-io.js";
import type { Lattice } from "./lattice.js";
import { setOf } from "./set.js";
import type { ValueTable } from "./value-table.js";

export function setIO(elem: BaseType, lattice: Lattice, table: ValueTable, symbols: SymbolTable): LatticeIO {
  // Cells are ordered by id (symbols by interning order); people and the API see values in their own order.
  const sorted = (cells: Int32Array): (number | string)[] => {
    const values = [...cells].map((c) => decode(elem, c, symbols) as number | string);
    return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    lattice,
    plain: undefined,
    toValue: (id) => sorted(table.get(id)),
    fromValue(v) {
      if (!Array.isArray(v)) return undefined;
      const cells: number[] = [];
      for (const x of v) {
        const cell = cellOfValue(elem, x, symbols);
        if (cell === undefined) return undefined;
        cells.push(cell);
      }
      return setOf(table, cells);
    },
    format: (id) => {
      const parts = sorted(table.get(id)).map((v) =>
        typeof v === "string" ? JSON.stringify(v) : formatCell(elem, encode(elem, v, symbols), symbols),
      );
      return `{${parts.join(", ")}}`;
    },
    parse: (text) => {
      const t = text.trim();
      if (!t.startsWith("{") || !t.endsWith("}")) return undefined;
      const inner = t.slice(1, -1).trim();
      if (inner === "") return lattice.bottom;
      let items: unknown[];
      try {
        items = JSON.parse(`[${inner}]`) as unknown[];
      } catch {
        return undefined;
      }
      const cells: number[] = [];
      for (const item of items) {
        if ((elem === "symbol") !== (typeof item === "string")) return undefined;
        const cell = elem === "symbol" ? symbols.intern(item as string) : parseCell(elem, String(item), symbols);
        if (typeof cell !== "number") return undefined;
        cells.push(cell);
      }
      return setOf(table, cells);
    },
  };
}
