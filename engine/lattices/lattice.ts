// What the engine needs of a lattice: a bottom cell, the join of two cells,
// the order, and optionally the join as inline JavaScript for generated code.
// Values are 32-bit cells like every other column.

import type { BaseType } from "../../lang/model.js";

export interface Lattice {
  /** How the lattice is written in a declaration, e.g. `min<number>`. */
  readonly name: string;
  readonly elem: BaseType;
  /** The least element: a derivation equal to it adds nothing. */
  readonly bottom: number;
  /** The least upper bound of two cells. */
  join(a: number, b: number): number;
  /** Whether a ⊑ b. */
  leq(a: number, b: number): boolean;
  /** Whether the join is the identity on equal arguments and never needs the symbol table. */
  readonly scalar: boolean;
}
