// min<T>: numbers ordered in reverse, joined by the smaller; bottom is T's
// greatest value (+inf for float, the largest representable integer otherwise).

import type { BaseType } from "../../lang/model.js";
import { bitsOfFloat, floatOfBits } from "../values.js";
import type { Lattice } from "./lattice.js";

/** The smaller float; between equal floats of different bits (0 and -0), the larger bits, so the join commutes. */
function joinMin(a: number, b: number): number {
  const x = floatOfBits(a);
  const y = floatOfBits(b);
  return x < y || (x === y && a > b) ? a : b;
}

export function minLattice(elem: BaseType): Lattice {
  switch (elem) {
    case "unsigned":
      return { name: "min<unsigned>", elem, bottom: -1, scalar: true, join: (a, b) => ((a >>> 0) <= (b >>> 0) ? a : b), leq: (a, b) => a >>> 0 >= b >>> 0 };
    case "float":
      return { name: "min<float>", elem, bottom: bitsOfFloat(Infinity), scalar: true, join: joinMin, leq: (a, b) => joinMin(a, b) === b };
    default:
      return { name: "min<number>", elem, bottom: 2147483647, scalar: true, join: (a, b) => (a <= b ? a : b), leq: (a, b) => a >= b };
  }
}
