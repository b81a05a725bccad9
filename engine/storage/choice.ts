// A relation's choice domains at run time: one hash index per domain over its
// columns. A tuple is admitted only when no tuple already in the relation
// shares its values on any domain; the first one inserted wins, as in Soufflé
// (which is why a choice relation's contents depend on evaluation order).

import { HashIndex } from "./hash-index.js";

export class ChoiceDomains {
  private readonly indexes: HashIndex[];
  private readonly slots: number[];

  constructor(
    private readonly domains: readonly (readonly number[])[],
    private readonly arity: number,
  ) {
    this.indexes = domains.map((d) => new HashIndex(d, arity));
    this.slots = domains.map(() => 0);
  }

  /** Whether row `row` of `data` clashes with no admitted row on any domain; if so, it is admitted. */
  admit(data: Int32Array, row: number): boolean {
    const { indexes, slots } = this;
    for (let i = 0; i < indexes.length; i++) {
      const idx = indexes[i]!;
      const slot = idx.probe(data, row);
      if (idx.slots[2 * slot] !== 0) return false;
      slots[i] = slot;
    }
    for (let i = 0; i < indexes.length; i++) {
      // Each index was probed last for this row, so its slot still holds.
      indexes[i]!.putAt(slots[i]!, row);
    }
    return true;
  }

  /** Forgets every admitted row (the relation was emptied). */
  clear(): void {
    this.indexes.splice(0, this.indexes.length, ...this.domains.map((d) => new HashIndex(d, this.arity)));
  }
}
