// Tuples a head collects off the relation's owner: rows with their hashes,
// each key once (a plain tuple's repeats dropped, a lattice key's values
// joined), in one buffer. The buffers are SharedArrayBuffers: handed to
// another thread without a copy.

import { int32s } from "../storage/memory.js";
import type { Lattice } from "../lattices/lattice.js";
import type { ShardOut } from "./messages.js";

export class Collector {
  private out = int32s(256, true);
  private hashes = int32s(64, true);
  count = 0;
  /** Open addressing over collected rows (row + 1), by hash. */
  private table = new Int32Array(128);
  private tmask = 127;
  private readonly keyArity: number;

  constructor(
    readonly name: string,
    readonly arity: number,
    readonly lattice: Lattice | undefined,
  ) {
    this.keyArity = lattice ? arity - 1 : arity;
  }

  /** Adds the tuple `tmp` (whose key hashes to `h`) unless its key is there; a lattice key's value is joined in. */
  add(tmp: Int32Array, h: number): boolean {
    const arity = this.arity;
    if (arity === 0) {
      if (this.count > 0) return false;
      this.count = 1;
      return true;
    }
    const k = this.keyArity;
    const out = this.out;
    const table = this.table;
    let s = h & this.tmask;
    for (;;) {
      const e = table[s]!;
      if (e === 0) break;
      if (this.hashes[e - 1] === h) {
        const b = (e - 1) * arity;
        let same = true;
        for (let c = 0; c < k; c++)
          if (out[b + c] !== tmp[c]) {
            same = false;
            break;
          }
        if (same) {
          if (!this.lattice) return false;
          const prev = out[b + k]!;
          const joined = this.lattice.join(prev, tmp[k]!);
          out[b + k] = joined;
          return joined !== prev;
        }
      }
      s = (s + 1) & this.tmask;
    }
    const n = this.count;
    if ((n + 1) * arity > out.length) this.out = grow(out, (n + 1) * arity);
    if (n + 1 > this.hashes.length) this.hashes = grow(this.hashes, n + 1);
    this.out.set(tmp.subarray(0, arity), n * arity);
    this.hashes[n] = h;
    table[s] = n + 1;
    this.count = n + 1;
    if (this.count * 2 > this.tmask) this.rehash();
    return true;
  }

  private rehash(): void {
    const size = (this.tmask + 1) * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let r = 0; r < this.count; r++) {
      let s = this.hashes[r]! & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = r + 1;
    }
    this.table = table;
    this.tmask = mask;
  }

  /** The collected rows (handed over, to be transferred), leaving the collector empty. */
  take(): ShardOut {
    const out: ShardOut = { name: this.name, rows: this.out, hashes: this.hashes, count: this.count };
    this.out = int32s(256, true);
    this.hashes = int32s(64, true);
    this.count = 0;
    if (this.tmask > 127) {
      this.table = new Int32Array(128);
      this.tmask = 127;
    } else {
      this.table.fill(0);
    }
    return out;
  }
}

function grow(a: Int32Array, need: number): Int32Array {
  const b = int32s(Math.max(need, a.length * 2), true);
  b.set(a);
  return b;
}
