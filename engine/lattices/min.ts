// min<T>: numbers ordered in reverse, joined by the smaller; bottom is T's
// greatest value (+inf for float, the largest representable integer otherwise).

import type { BaseType } from "../../lang/model.js";
import { bitsOfFloat, floatOfBits } from "../storage/values.js";
import type { Lattice } from "./lattice.js";

/** The smaller float; between equal floats of different bits (0 and -0), the larger bits, so the join commutes. */
function joinMin(a: number, b: number): number {
  const x = floatOfBits(a);
  const y = floatOfBits(b);
  return x < y || (x === y && a > b) ? a : b;
}

function build(elem: BaseType): Lattice {
  switch (elem) {
    case "unsigned":
      return {
        name: "min<unsigned>",
        bottom: -1,
        join: (a, b) => (a >>> 0 <= b >>> 0 ? a : b),
        leq: (a, b) => a >>> 0 >= b >>> 0,
      };
    case "float":
      return { name: "min<float>", bottom: bitsOfFloat(Infinity), join: joinMin, leq: (a, b) => joinMin(a, b) === b };
    default:
      return { name: "min<number>", bottom: 2147483647, join: (a, b) => (a <= b ? a : b), leq: (a, b) => a >= b };
  }
}

// One object per element type, shared by every program and database: the
// engine's call sites into `join` then see one target per lattice, not a new
// closure per database (which would make them polymorphic and deoptimise).
const made = new Map<BaseType, Lattice>();

export function minLattice(elem: BaseType): Lattice {
  let l = made.get(elem);
  if (!l) made.set(elem, (l = Object.freeze(build(elem))));
  return l;
}
