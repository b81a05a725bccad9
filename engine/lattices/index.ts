// The built-in lattices by name, as a lattice column declares them.

import type { LatticeRef } from "../../lang/model.js";
import { andLattice, orLattice } from "./bool.js";
import type { Lattice } from "./lattice.js";
import { maxLattice } from "./max.js";
import { minLattice } from "./min.js";

export type { Lattice } from "./lattice.js";

export function builtinLattice(ref: LatticeRef): Lattice | undefined {
  switch (ref.name) {
    case "max": return maxLattice(ref.elem);
    case "min": return minLattice(ref.elem);
    case "or": return orLattice;
    case "and": return andLattice;
    default: return undefined;
  }
}
