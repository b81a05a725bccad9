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
  /** Whether a value is a plain number of `elem` (max, min, or, and); otherwise an id with its own format. */
  readonly scalar: boolean;
  /** How a value is written in output files (scalar lattices print as their element type). */
  format?(cell: number): string;
  /** Reads a value written by `format`; undefined when the text is not one. */
  parse?(text: string): number | undefined;
  /** The API form of a composite value (a set as a sorted array, a pair as [a, b]). */
  toValue?(cell: number): unknown;
  /** The cell of an API value; undefined when `v` is not a value of this lattice. */
  fromValue?(v: unknown): number | undefined;
}
