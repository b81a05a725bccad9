// The two boolean lattices over cells 0/1: `or` (false ⊑ true, join is or)
// and `and` (true ⊑ false, join is and).

import type { Lattice } from "./lattice.js";

export const orLattice: Lattice = {
  name: "or",
  bottom: 0,
  join: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  leq: (a, b) => a === 0 || b !== 0,
};

export const andLattice: Lattice = {
  name: "and",
  bottom: 1,
  join: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  leq: (a, b) => a !== 0 || b === 0,
};
