// Finding the rows of a relation that match a pattern (some columns given,
// the others free) through a hash index over the given columns: the one the
// rules already keep when they probe the same columns, otherwise one built on
// the first lookup and kept up to date from then on, as the rules' own are.
// No column given is a scan; every column given is one probe of the unique
// index.

import type { Relation } from "../storage/relation.js";

/** The live rows of `rel` whose cells at the columns marked in `bound` equal `cells` there, in row order. */
export function matchingRows(rel: Relation, cells: Int32Array, bound: readonly boolean[]): number[] {
  const columns: number[] = [];
  for (let c = 0; c < bound.length; c++) if (bound[c]) columns.push(c);
  const out: number[] = [];
  if (columns.length === 0) {
    for (let r = 0; r < rel.size; r++) if (rel.isLive(r)) out.push(r);
    return out;
  }
  rel.ensureIndexed();
  const key = Int32Array.from(columns, (c) => cells[c]!);
  const arity = rel.arity;
  const data = rel.data;
  const matches = (r: number) => rel.isLive(r) && columns.every((c) => data[r * arity + c] === cells[c]);
  // Every column of the unique index given (a lattice relation's key, a plain one's whole tuple): one probe.
  const unique = rel.unique;
  if (unique.columns.every((c) => bound[c])) {
    const r = unique.find(
      data,
      Int32Array.from(unique.columns, (c) => cells[c]!),
    );
    if (r >= 0 && matches(r)) out.push(r);
    return out;
  }
  const idx = rel.index(columns);
  rel.ensureIndex(columns);
  for (let r = idx.find(data, key); r >= 0; r = idx.next[r]!) if (matches(r)) out.push(r);
  return out.reverse();
}
