// A hash index over some columns of a relation's rows. Open addressing maps a
// key to the newest row with that key; `next` chains each row to the previous
// row with the same key, so a chain lists rows newest first. Reading only rows
// below a bound, or inside a [lo, hi) range, is a skip at the chain's head and
// an early stop at its tail: one index serves full, delta and old reads.

import { finish, HASH_SEED, mix } from "./hash.js";

export class HashIndex {
  /** The indexed columns, in key order. */
  readonly columns: readonly number[];
  private readonly arity: number;
  /** Slot -> newest row with that key, plus one; 0 marks an empty slot. */
  table: Int32Array;
  mask: number;
  /** Row -> the previous row with the same key, or -1. */
  next: Int32Array;
  private keys = 0;

  constructor(columns: readonly number[], arity: number, capacity = 16) {
    this.columns = columns;
    this.arity = arity;
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.next = new Int32Array(Math.max(16, capacity));
  }

  private hashRow(data: Int32Array, row: number): number {
    let h = HASH_SEED;
    const base = row * this.arity;
    for (const c of this.columns) h = mix(h, data[base + c]!);
    return finish(h);
  }

  private sameKey(data: Int32Array, a: number, b: number): boolean {
    const ab = a * this.arity;
    const bb = b * this.arity;
    for (const c of this.columns) if (data[ab + c] !== data[bb + c]) return false;
    return true;
  }

  /** Adds `row` (already written into `data`) to the index. */
  add(data: Int32Array, row: number): void {
    if (row >= this.next.length) {
      const grown = new Int32Array(Math.max(this.next.length * 2, row + 1));
      grown.set(this.next);
      this.next = grown;
    }
    const table = this.table;
    const mask = this.mask;
    let slot = this.hashRow(data, row) & mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) {
        table[slot] = row + 1;
        this.next[row] = -1;
        if (++this.keys * 2 > mask) this.grow(data);
        return;
      }
      if (this.sameKey(data, e - 1, row)) {
        this.next[row] = e - 1;
        table[slot] = row + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(data: Int32Array): void {
    const old = this.table;
    const size = old.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const e = old[i]!;
      if (e === 0) continue;
      let slot = this.hashRow(data, e - 1) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e;
    }
    this.table = table;
    this.mask = mask;
  }

  /**
   * Adds `row` unless a row with the same key is already indexed: one probe
   * for the dedup check and the insertion. Returns the existing row, or -1
   * when `row` was added. Used with every column as the key (set semantics).
   */
  addUnique(data: Int32Array, row: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = this.hashRow(data, row) & mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) {
        table[slot] = row + 1;
        if (++this.keys * 2 > mask) this.grow(data);
        return -1;
      }
      if (this.sameKey(data, e - 1, row)) return e - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** The newest row whose key equals `key` (cells in column order), or -1. */
  find(data: Int32Array, key: ArrayLike<number>): number {
    let h = HASH_SEED;
    for (let i = 0; i < key.length; i++) h = mix(h, key[i]!);
    const table = this.table;
    const mask = this.mask;
    const cols = this.columns;
    const arity = this.arity;
    let slot = finish(h) & mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) return -1;
      const base = (e - 1) * arity;
      let same = true;
      for (let i = 0; i < cols.length; i++) {
        if (data[base + cols[i]!] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return e - 1;
      slot = (slot + 1) & mask;
    }
  }

  clear(): void {
    this.table.fill(0);
    this.keys = 0;
  }
}
