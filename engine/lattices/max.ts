// max<T>: numbers ordered as usual, joined by the larger; bottom is T's least value.

import type { BaseType } from "../../lang/model.js";
import { bitsOfFloat, floatOfBits } from "../values.js";
import type { Lattice } from "./lattice.js";

export function maxLattice(elem: BaseType): Lattice {
  switch (elem) {
    case "unsigned":
      return { name: "max<unsigned>", elem, bottom: 0, scalar: true, join: (a, b) => ((a >>> 0) >= (b >>> 0) ? a : b), leq: (a, b) => a >>> 0 <= b >>> 0 };
    case "float":
      return {
        name: "max<float>", elem, bottom: bitsOfFloat(-Infinity), scalar: true,
        join: (a, b) => (floatOfBits(a) >= floatOfBits(b) ? a : b),
        leq: (a, b) => floatOfBits(a) <= floatOfBits(b),
      };
    default:
      return { name: "max<number>", elem, bottom: -2147483648, scalar: true, join: (a, b) => (a >= b ? a : b), leq: (a, b) => a <= b };
  }
}
