// A relation's storage: rows of 32-bit cells appended to one growing
// Int32Array, a unique index over all columns for set semantics, and one hash
// index per access pattern the rules need. Rows are never moved or removed, so
// the rows derived in one round form a contiguous range: the delta.

import { HashIndex } from "./hash-index.js";
import type { BaseType } from "../lang/model.js";

export class Relation {
  readonly name: string;
  readonly arity: number;
  readonly types: readonly BaseType[];
  /** Row-major cells: row r, column c is data[r * arity + c]. */
  data: Int32Array;
  /** Number of rows. */
  size = 0;
  /** Rows [0, stableEnd) were known before the current round's delta. */
  stableEnd = 0;
  /** Rows [stableEnd, deltaEnd) are the current round's delta; rows past deltaEnd are new. */
  deltaEnd = 0;
  /** Scratch row: generated code writes a candidate tuple here, then calls add(). */
  readonly tmp: Int32Array;
  /** The index over all columns: set semantics and membership probes. */
  readonly unique: HashIndex;
  private readonly indexes = new Map<string, HashIndex>();
  private indexList: HashIndex[] = [];

  constructor(name: string, types: readonly BaseType[]) {
    this.name = name;
    this.arity = types.length;
    this.types = types;
    this.data = new Int32Array(Math.max(1, this.arity) * 64);
    this.tmp = new Int32Array(Math.max(1, this.arity));
    this.unique = new HashIndex(
      types.map((_, i) => i),
      this.arity,
    );
  }

  /** The index over `columns`, built on first request over the rows present. */
  index(columns: readonly number[]): HashIndex {
    const key = columns.join(",");
    let idx = this.indexes.get(key);
    if (!idx) {
      idx = new HashIndex(columns, this.arity, Math.max(16, this.size));
      for (let r = 0; r < this.size; r++) idx.add(this.data, r);
      this.indexes.set(key, idx);
      this.indexList = [...this.indexes.values()];
    }
    return idx;
  }

  /** Adds the tuple in `tmp`; returns true when it was new. */
  add(): boolean {
    const arity = this.arity;
    const row = this.size;
    let data = this.data;
    if ((row + 1) * arity > data.length) {
      const grown = new Int32Array(Math.max(data.length * 2, (row + 1) * arity));
      grown.set(data);
      this.data = data = grown;
    }
    const base = row * arity;
    const tmp = this.tmp;
    for (let c = 0; c < arity; c++) data[base + c] = tmp[c]!;
    if (arity === 0) {
      if (row > 0) return false;
    } else if (this.unique.addUnique(data, row) >= 0) {
      return false;
    }
    const list = this.indexList;
    for (let i = 0; i < list.length; i++) list[i]!.add(data, row);
    this.size = row + 1;
    return true;
  }

  /** Whether the tuple in `tmp` is present. */
  contains(): boolean {
    if (this.arity === 0) return this.size > 0;
    return this.unique.find(this.data, this.tmp) >= 0;
  }

  /** Marks every row as known: nothing is delta any more. */
  settle(): void {
    this.stableEnd = this.deltaEnd = this.size;
  }
}
