// Hash-consing of composite lattice values (sets, pairs): each distinct value
// gets one 32-bit id, so a composite value fits a tuple cell and equal values
// have equal cells.

export class ValueTable {
  private readonly ids = new Map<string, number>();
  private readonly values: Int32Array[] = [];

  /** The id of the value whose cells are `cells` (copied on first sight). */
  intern(cells: Int32Array): number {
    const key = cells.join(",");
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(Int32Array.from(cells));
      this.ids.set(key, id);
    }
    return id;
  }

  /** How many values have ids. */
  get size(): number {
    return this.values.length;
  }

  /** The cells of value `id`. */
  get(id: number): Int32Array {
    const v = this.values[id];
    if (v === undefined) throw new RangeError(`unknown composite value ${id}`);
    return v;
  }
}
