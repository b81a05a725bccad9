// The record table: every record value is interned to one 32-bit id, as
// Soufflé does, so a record fits a tuple cell and equal records have equal
// cells (joins on records are integer joins). One table per arity: the
// fields of record `id` are cells [id * arity, id * arity + arity) of a flat
// Int32Array, found again through an open-addressing hash of the fields.
// Id 0 is nil in every arity; real records are numbered from 1. Reading a
// field of an id that is not a record of that arity gives 0, never throws:
// a pattern is checked field by field, in whatever order the plan reads them.

import type { MemoryBudget } from "./memory-budget.js";

class ArityTable {
  /** Fields, `arity` cells per id; id 0 (nil) is all zeros. */
  cells: Int32Array;
  /** Open addressing: slot -> id, 0 when empty. */
  slots: Int32Array;
  /** Ids handed out, nil included. */
  count = 1;

  constructor(readonly arity: number) {
    this.cells = new Int32Array(Math.max(1, arity) * 64);
    this.slots = new Int32Array(128);
  }

  hashAt(source: ArrayLike<number>, at: number): number {
    let h = 0x811c9dc5 ^ this.arity;
    for (let i = 0; i < this.arity; i++) {
      h = Math.imul(h ^ source[at + i]!, 0x01000193);
      h ^= h >>> 15;
    }
    return h;
  }

  find(source: ArrayLike<number>, at: number, budget: MemoryBudget | undefined): number {
    const n = this.arity;
    const mask = this.slots.length - 1;
    let s = this.hashAt(source, at) & mask;
    for (;;) {
      const id = this.slots[s]!;
      if (id === 0) break;
      const base = id * n;
      let same = true;
      for (let i = 0; i < n; i++) {
        if (this.cells[base + i] !== source[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return id;
      s = (s + 1) & mask;
    }
    // A new record.
    const id = this.count++;
    if ((id + 1) * n > this.cells.length) {
      budget?.takeText(this.cells.length * 4);
      const grown = new Int32Array(this.cells.length * 2);
      grown.set(this.cells);
      this.cells = grown;
    }
    for (let i = 0; i < n; i++) this.cells[id * n + i] = source[at + i]!;
    this.slots[s] = id;
    if (this.count * 2 > this.slots.length) this.rehash(budget);
    return id;
  }

  private rehash(budget: MemoryBudget | undefined): void {
    budget?.takeText(this.slots.length * 8);
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 1; id < this.count; id++) {
      let s = this.hashAt(this.cells, id * this.arity) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
  }
}

export class RecordTable {
  private readonly tables: ArityTable[] = [];
  private readonly scratch = new Int32Array(4);
  /** The budget new records are taken from (none: unbounded). */
  budget: MemoryBudget | undefined;

  private table(arity: number): ArityTable {
    let t = this.tables[arity];
    if (!t) this.tables[arity] = t = new ArityTable(arity);
    return t;
  }

  /** The id of the record whose fields are `fields[at…at+arity)`, interning it on first sight. */
  pack(arity: number, fields: ArrayLike<number>, at = 0): number {
    return this.table(arity).find(fields, at, this.budget);
  }

  pack1(a: number): number {
    this.scratch[0] = a;
    return this.table(1).find(this.scratch, 0, this.budget);
  }

  pack2(a: number, b: number): number {
    const s = this.scratch;
    s[0] = a;
    s[1] = b;
    return this.table(2).find(s, 0, this.budget);
  }

  pack3(a: number, b: number, c: number): number {
    const s = this.scratch;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    return this.table(3).find(s, 0, this.budget);
  }

  pack4(a: number, b: number, c: number, d: number): number {
    const s = this.scratch;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return this.table(4).find(s, 0, this.budget);
  }

  /** Field `i` of record `id` of `arity` fields; 0 for nil or an id that is not one. */
  field(id: number, arity: number, i: number): number {
    const t = this.tables[arity];
    if (!t || id <= 0 || id >= t.count) return 0;
    return t.cells[id * arity + i]!;
  }

  /** Whether `id` is a record of `arity` fields (not nil). */
  has(id: number, arity: number): boolean {
    const t = this.tables[arity];
    return t !== undefined && id > 0 && id < t.count;
  }

  /** Records of each arity (nil not counted), for saving: arity -> flat fields of ids 1…. */
  dump(): { arity: number; cells: Int32Array }[] {
    const out: { arity: number; cells: Int32Array }[] = [];
    this.tables.forEach((t, arity) => {
      if (t && t.count > 1) out.push({ arity, cells: t.cells.slice(arity, t.count * arity) });
    });
    return out;
  }

  /**
   * Takes over saved records, giving each its saved id; returns false, changing
   * nothing more, when a table already holds records that differ from the saved ones.
   */
  restore(saved: readonly { arity: number; cells: Int32Array }[]): boolean {
    for (const { arity, cells } of saved) {
      const t = this.table(arity);
      const count = arity === 0 ? 0 : cells.length / arity;
      for (let id = 1; id < t.count; id++) {
        for (let i = 0; i < arity; i++) if (t.cells[id * arity + i] !== cells[(id - 1) * arity + i]) return false;
      }
      for (let k = 0; k < count; k++) {
        const id = t.find(cells, k * arity, this.budget);
        if (id !== k + 1) return false;
      }
    }
    return true;
  }

  /** How many records are interned, over all arities. */
  get size(): number {
    return this.tables.reduce((n, t) => n + (t ? t.count - 1 : 0), 0);
  }
}
