// A relation's row as the API shows it: each cell decoded by its column's
// type, a lattice column by its lattice's own reading (sets and pairs as
// arrays), a record or ADT column as Soufflé's text of it ("[1, nil]").

import type { Relation } from "./relation.js";
import type { SymbolTable } from "./symbols.js";
import { decode, type Value } from "./values.js";

/** The tuple of `rel`'s arity whose cells start at `at` in `cells`. */
export function decodeRow(rel: Relation, symbols: SymbolTable, cells: Int32Array, at: number): Value[] {
  const arity = rel.arity;
  const t: Value[] = new Array(arity);
  const structured = rel.structuredIO;
  for (let c = 0; c < arity; c++) {
    const s = structured?.[c];
    t[c] = s ? s.format(cells[at + c]!) : decode(rel.types[c]!, cells[at + c]!, symbols);
  }
  if (rel.latticeIO) t[arity - 1] = rel.latticeIO.toValue(cells[at + arity - 1]!) as Value;
  return t;
}
