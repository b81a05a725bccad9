// set<T>: finite sets ordered by inclusion, joined by union. A value is the id
// in a ValueTable of its cells sorted as int32 and without duplicates, so equal
// sets have equal ids and union and inclusion are merges; bottom is {}. The
// algebra compares cells only: T names the lattice and matters to its text
// and API forms (set-io.ts), not to its order.

import type { BaseType } from "../../lang/model.js";
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

/** The set value holding exactly `cells` (in any order, repeats allowed). */
export function setOf(table: ValueTable, cells: Iterable<number>): number {
  return table.intern(Int32Array.from(new Set(cells)).sort());
}

export function setLattice(elem: BaseType, table: ValueTable): Lattice {
  return {
    name: `set<${elem}>`,
    bottom: setOf(table, []),
    join: (a, b) => (a === b ? a : table.intern(union(table.get(a), table.get(b)))),
    leq: (a, b) => a === b || subset(table.get(a), table.get(b)),
  };
}
