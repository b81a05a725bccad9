// How a lattice column's values cross the engine's edges: read from a facts
// field, written to an output file, converted to and from the values the API
// takes and gives. Kept apart from the algebra (lattice.ts), which works on
// cells alone: this side needs the element type, the symbol table and the
// value table. One implementation per kind of lattice: plain-io.ts (max, min,
// or, and, user lattices), set-io.ts, pair-io.ts.

import type { BaseType } from "../../lang/model.js";
import type { Value } from "../storage/values.js";
import type { Lattice } from "./lattice.js";

export interface LatticeIO {
  /** The lattice whose cells these are (its name is what messages show). */
  readonly lattice: Lattice;
  /**
   * The base type the cells are plain values of (max, min, or, and, user
   * lattices), so that readers and writers may treat the column as one of that
   * type; undefined for sets and pairs, whose cells are ids of composite values.
   */
  readonly plain: BaseType | undefined;
  /** The text of a value, as output files hold it. */
  format(cell: number): string;
  /** The cell of a value written as `format` writes it; undefined when `text` is not one. */
  parse(text: string): number | undefined;
  /** The API form of a value (a number, a string, a sorted array for a set, [a, b] for a pair). */
  toValue(cell: number): Value;
  /** The cell of an API value; undefined when `v` is not a value of this lattice. */
  fromValue(v: unknown): number | undefined;
}
