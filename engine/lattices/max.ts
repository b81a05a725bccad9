// max<T>: numbers ordered as usual, joined by the larger; bottom is T's least value.

import type { BaseType } from "../../lang/model.js";
import { bitsOfFloat, floatOfBits } from "../storage/values.js";
import type { Lattice } from "./lattice.js";

/** The larger float; between equal floats of different bits (0 and -0), the larger bits, so the join commutes. */
function joinMax(a: number, b: number): number {
  const x = floatOfBits(a);
  const y = floatOfBits(b);
  return x > y || (x === y && a > b) ? a : b;
}

function build(elem: BaseType): Lattice {
  switch (elem) {
    case "unsigned":
      return {
        name: "max<unsigned>",
        bottom: 0,
        join: (a, b) => (a >>> 0 >= b >>> 0 ? a : b),
        leq: (a, b) => a >>> 0 <= b >>> 0,
      };
    case "float":
      return { name: "max<float>", bottom: bitsOfFloat(-Infinity), join: joinMax, leq: (a, b) => joinMax(a, b) === b };
    default:
      return { name: "max<number>", bottom: -2147483648, join: (a, b) => (a >= b ? a : b), leq: (a, b) => a <= b };
  }
}

// One object per element type, shared by every program and database: the
// engine's call sites into `join` then see one target per lattice, not a new
// closure per database (which would make them polymorphic and deoptimise).
const made = new Map<BaseType, Lattice>();

export function maxLattice(elem: BaseType): Lattice {
  let l = made.get(elem);
  if (!l) made.set(elem, (l = Object.freeze(build(elem))));
  return l;
}
