// The order `cairn run --sort` (or `.output r(sort=true)`) writes a relation
// in, for outputs that diff cleanly from run to run: its live rows by their
// values column by column, numbers by value (NaN last), symbols by their text
// (UTF-16 code units), set and pair lattice values by the text written.
// (Without it a relation is written in derivation order.)

import type { Relation } from "../storage/relation.js";
import type { SymbolTable } from "../storage/symbols.js";
import { floatOfBits } from "../storage/values.js";

/** The live rows of `rel`, sorted. */
export function sortedRows(rel: Relation, symbols: SymbolTable): Int32Array {
  const { arity, data } = rel;
  const rows: number[] = [];
  for (let r = 0; r < rel.size; r++) if (rel.isLive(r)) rows.push(r);
  const io = rel.latticeIO;
  const compare = rel.types.map((t, c): ((a: number, b: number) => number) => {
    const type = c === arity - 1 && io ? io.plain : t;
    if (type === undefined) {
      // A set or pair value: by its text.
      return (a, b) => text(io!.format(a), io!.format(b));
    }
    switch (type) {
      case "number":
        return (a, b) => a - b;
      case "unsigned":
        return (a, b) => (a >>> 0) - (b >>> 0);
      case "float":
        return (a, b) => float(floatOfBits(a), floatOfBits(b));
      case "symbol":
        return (a, b) => (a === b ? 0 : text(symbols.text(a), symbols.text(b)));
    }
  });
  rows.sort((x, y) => {
    for (let c = 0; c < arity; c++) {
      const d = compare[c]!(data[x * arity + c]!, data[y * arity + c]!);
      if (d !== 0) return d;
    }
    return 0;
  });
  return Int32Array.from(rows);
}

function text(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function float(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
