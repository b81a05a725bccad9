// The planner's statistics (engine/plan/statistics.ts) read off the live
// relations. Row counts are the relations' own bounds. A distinct count is
// exact where an index over those columns exists (its key count, kept as rows
// are indexed); otherwise it is estimated from a sample of rows spread evenly
// (one from each stretch, at a place a hash picks, so that no pattern in the
// data lines up with the sample), scaled up by how many sampled values were
// seen only once (a sample of values all seen once comes from a column of as
// many values as rows; one whose values all repeat has seen them all), and
// remembered until the relation has grown fourfold.

import type { Range } from "../plan/ir.js";
import type { Statistics } from "../plan/statistics.js";
import { finish, HASH_SEED, mix } from "../storage/hash.js";
import type { Relation } from "../storage/relation.js";

/** Rows a distinct count reads at most. */
const SAMPLE = 1024;
/** A sampled count stands until its relation has grown this many times over. */
const RESAMPLE_GROWTH = 4;

interface Remembered {
  readonly rows: number;
  readonly distinct: number;
}

/** Estimates the distinct values of `columns` over the live rows of `rel` (exact when it has at most SAMPLE rows). */
export function sampleDistinct(rel: Relation, columns: readonly number[]): number {
  const size = rel.size;
  const live = rel.live;
  if (live === 0) return 0;
  const step = Math.max(1, Math.floor(size / SAMPLE));
  const counts = new Map<number | string, number>();
  const { data, arity } = rel;
  let sampled = 0;
  for (let from = 0; from < size; from += step) {
    // One row from each stretch of `step` rows, at a place the hash of the stretch picks: evenly spread,
    // yet never in step with a pattern of the data (every third row, say).
    const r = step === 1 ? from : Math.min(size - 1, from + ((finish(mix(HASH_SEED, from)) >>> 0) % step));
    if (!rel.isLive(r)) continue;
    const base = r * arity;
    let key: number | string;
    if (columns.length === 1) key = data[base + columns[0]!]!;
    else {
      key = "";
      for (const c of columns) key += `${data[base + c]},`;
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
    sampled++;
  }
  if (sampled === 0) return 1;
  if (step === 1) return counts.size;
  let once = 0;
  for (const n of counts.values()) if (n === 1) once++;
  // Haas and Stokes' first-order jackknife: d / (1 - (1 - q) f1 / n), with q the fraction sampled.
  // All sampled values distinct (f1 = n) scales d up to the whole relation; none seen once leaves d as it is.
  const q = sampled / live;
  const estimate = counts.size / (1 - ((1 - q) * once) / sampled);
  return Math.max(counts.size, Math.min(live, Math.round(estimate)));
}

/** The rows a read of `range` covers in `r` now (the runner's size watch reads the same counts). */
export function rangeRows(r: Relation, range: Range): number {
  switch (range) {
    case "full":
      // A lattice relation's superseded rows are skipped, and mostly absent from its indexes.
      return r.lattice ? r.live : Math.max(r.deltaEnd, r.stableEnd);
    case "delta":
      return r.deltaEnd - r.stableEnd;
    case "old":
      return r.stableEnd;
  }
}

export class RelationStatistics implements Statistics {
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly relation: (name: string) => Relation) {}

  rows(name: string, range: Range): number {
    return rangeRows(this.relation(name), range);
  }

  distinct(name: string, columns: readonly number[]): number {
    const r = this.relation(name);
    const index = r.existingIndex(columns);
    if (index) return index.keyCount;
    const key = `${name}/${columns.join(",")}`;
    const known = this.remembered.get(key);
    if (known && r.live < known.rows * RESAMPLE_GROWTH && (known.rows > 0 || r.live === 0)) return known.distinct;
    const distinct = sampleDistinct(r, columns);
    this.remembered.set(key, { rows: r.live, distinct });
    return distinct;
  }

  indexed(name: string, columns: readonly number[]): boolean {
    return this.relation(name).existingIndex(columns) !== undefined;
  }
}
