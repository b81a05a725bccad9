// Derivation heights of a stratum's rows. A set relation's rows are appended
// in the order the semi-naive rounds derive them, and a round reads only rows
// present when it began (its bounds are fixed then), so a row first derived
// in round r has a derivation whose rows of the stratum all come from rounds
// before r. Noting, for each relation of the stratum, the row at which each
// round began is then enough: a row's height is the number of rounds begun
// at or before it (a binary search), given facts and rows present before the
// first round having height 0. A later run continues the count (its catch-up
// round and the rounds after it get higher heights), and so does a retraction
// that removes rows in place (remap()). The heights are only trusted while no
// relation of the stratum had its rows put in place otherwise
// (Relation.reorders: rebuilt, compacted by someone else, appended in bulk by
// worker threads, restored from a state file).

import type { Relation } from "../storage/relation.js";

export class StratumHeights {
  /** For each relation, the row at which each round began (the first `rounds` cells). */
  private starts: Int32Array[];
  private rounds = 0;
  /** Each relation's Relation.reorders when the starts last described its rows; undefined: never. */
  private seen: number[] | undefined;

  constructor(private readonly rels: readonly Relation[]) {
    this.starts = rels.map(() => new Int32Array(16));
  }

  /** The stratum is evaluated from its given facts: every row present has height 0. */
  reset(): void {
    this.rounds = 0;
    this.seen = this.rels.map((r) => r.reorders);
  }

  /** A round begins: rows appended from now on have the next height. */
  begin(): void {
    if (this.rounds === this.starts[0]?.length) this.starts = this.starts.map((s) => grow(s, s.length * 2));
    for (let k = 0; k < this.rels.length; k++) this.starts[k]![this.rounds] = this.rels[k]!.size;
    this.rounds++;
  }

  /** Whether the heights describe the relations' rows as they are now. */
  current(): boolean {
    const seen = this.seen;
    return seen !== undefined && this.rels.every((r, k) => r.reorders === seen[k]);
  }

  /** The highest height a row can have now. */
  get top(): number {
    return this.rounds;
  }

  /** The height of row `row` of the stratum's relation number `k`. */
  height(k: number, row: number): number {
    const s = this.starts[k]!;
    let lo = 0;
    let hi = this.rounds;
    // The number of starts at or before `row`.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= row) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first row of relation `k` whose height is `h` or more (its size when none is). */
  firstOf(k: number, h: number): number {
    return h <= 0 ? 0 : h > this.rounds ? this.rels[k]!.size : this.starts[k]![h - 1]!;
  }

  /**
   * Relation `k` kept its rows in order but lost some: `before(n)` is how
   * many rows it keeps among its first `n` of before. The heights follow,
   * and are trusted again for the relation as it is now.
   */
  remap(k: number, before: (n: number) => number): void {
    const s = this.starts[k]!;
    for (let i = 0; i < this.rounds; i++) s[i] = before(s[i]!);
    if (this.seen) this.seen[k] = this.rels[k]!.reorders;
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
