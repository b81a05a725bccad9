// pair<A, B>: the product of two lattices, ordered and joined component-wise.
// A value is the id of its two component cells [a, b] in a ValueTable.

import type { Lattice } from "./lattice.js";
import type { ValueTable } from "./value-table.js";

export interface PairLattice extends Lattice {
  readonly first: Lattice;
  readonly second: Lattice;
}

/** The pair value of component cells `a` and `b`. */
export function pairOf(table: ValueTable, a: number, b: number): number {
  return table.intern(Int32Array.of(a, b));
}

export function pairLattice(first: Lattice, second: Lattice, table: ValueTable): PairLattice {
  return {
    name: `pair<${first.name}, ${second.name}>`,
    bottom: pairOf(table, first.bottom, second.bottom),
    join(p, q) {
      if (p === q) return p;
      const [x1, y1] = table.get(p);
      const [x2, y2] = table.get(q);
      return pairOf(table, first.join(x1!, x2!), second.join(y1!, y2!));
    },
    leq(p, q) {
      const [x1, y1] = table.get(p);
      const [x2, y2] = table.get(q);
      return first.leq(x1!, x2!) && second.leq(y1!, y2!);
    },
    first,
    second,
  };
}
