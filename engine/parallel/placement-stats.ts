// What the placement search (placement.ts) knows of the data, taken from the
// relations as they are: how big each is, and whether splitting it on a
// column spreads a sample of its rows evenly over the parts. Threads planning
// an exchanging stratum (exchange-plan.ts) and the cluster's distribution
// pass (distributed/shard-plan.ts) both weigh placements with it.

import type { Relation } from "../storage/relation.js";
import { ownerOfCell } from "./partition.js";
import type { PlacementStats } from "./placement.js";

/** Distinct values a split column needs per worker, and how much more than its share one worker may hold. */
const MIN_DISTINCT_PER_WORKER = 16;
const MAX_IMBALANCE = 1.5;

/** Sizes of the relations as they are now, and which columns spread a sample of their rows evenly over the workers. */
export function statsOf(relations: readonly Relation[], workers: number): PlacementStats {
  const byName = new Map(relations.map((r) => [r.name, r]));
  const known = new Map<string, boolean>();
  const spreads = (n: string, column: number): boolean => {
    const r = byName.get(n);
    if (!r || r.live < 256) return true;
    const seen = new Set<number>();
    const parts = new Int32Array(workers);
    let sampled = 0;
    const step = Math.max(1, Math.floor(r.size / 8192));
    for (let row = 0; row < r.size; row += step) {
      if (!r.isLive(row)) continue;
      const v = r.data[row * r.arity + column]!;
      seen.add(v);
      parts[ownerOfCell(v, workers)]!++;
      sampled++;
    }
    return seen.size >= MIN_DISTINCT_PER_WORKER * workers && Math.max(...parts) <= (MAX_IMBALANCE * sampled) / workers;
  };
  return {
    workers,
    weight: (n) => Math.max(1, byName.get(n)?.live ?? 1),
    spreads: (n, column) => {
      const key = `${n}/${column}`;
      if (!known.has(key)) known.set(key, spreads(n, column));
      return known.get(key)!;
    },
  };
}
