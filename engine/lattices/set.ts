// set<T>: finite sets of T ordered by inclusion, joined by union. A value is
// the id of its sorted, duplicate-free cells in a ValueTable; bottom is {}.
// Printed as {e1, e2, …} with elements in Soufflé's own form (symbols quoted).

import type { BaseType } from "../../lang/model.js";
import type { SymbolTable } from "../storage/symbols.js";
import { parseCell } from "../storage/cell-text.js";
import { decode, encode, formatCell } from "../storage/values.js";
import type { Lattice } from "./lattice.js";
import type { ValueTable } from "./value-table.js";

function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!,
      y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out.subarray(0, k);
}

function subset(a: Int32Array, b: Int32Array): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j]! < a[i]!) j++;
    if (j >= b.length || b[j] !== a[i]) return false;
  }
  return true;
}

export interface SetLattice extends Lattice {
  /** The set holding just `cell`. */
  singleton(cell: number): number;
  /** The elements of a set value. */
  elements(id: number): Int32Array;
}

export function setLattice(elem: BaseType, table: ValueTable, symbols: SymbolTable): SetLattice {
  const bottom = table.intern(new Int32Array(0));
  const quote = (s: string) => JSON.stringify(s);
  // Cells are ordered by id (symbols by interning order); people and the API see values in their own order.
  const sorted = (cells: Int32Array): (number | string)[] => {
    const values = [...cells].map((c) => decode(elem, c, symbols) as number | string);
    return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    name: `set<${elem}>`,
    elem,
    bottom,
    scalar: false,
    join: (a, b) => (a === b ? a : table.intern(union(table.get(a), table.get(b)))),
    leq: (a, b) => a === b || subset(table.get(a), table.get(b)),
    singleton: (cell) => table.intern(Int32Array.of(cell)),
    elements: (id) => table.get(id),
    toValue: (id) => sorted(table.get(id)),
    fromValue(v) {
      if (!Array.isArray(v)) return undefined;
      if (!v.every((x) => (elem === "symbol" ? typeof x === "string" : typeof x === "number"))) return undefined;
      return table.intern(Int32Array.from(new Set(v.map((x) => encode(elem, x as number | string, symbols)))).sort());
    },
    format: (id) => {
      const parts = sorted(table.get(id)).map((v) =>
        typeof v === "string" ? quote(v) : formatCell(elem, encode(elem, v, symbols), symbols),
      );
      return `{${parts.join(", ")}}`;
    },
    parse: (text) => {
      const t = text.trim();
      if (!t.startsWith("{") || !t.endsWith("}")) return undefined;
      const inner = t.slice(1, -1).trim();
      if (inner === "") return bottom;
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
        if (typeof cell !== "number" || (elem === "symbol" && typeof item !== "string")) return undefined;
        cells.push(cell);
      }
      return table.intern(Int32Array.from(new Set(cells)).sort());
    },
  };
}
