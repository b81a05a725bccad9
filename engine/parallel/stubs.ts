// Stand-ins for relations while generated code runs off the relation's owner:
// the fields the code reads (rows, bounds, dead marks, the unique index),
// pointed at shared arrays, and a head that collects new tuples instead of
// inserting them, into one buffer or routed to the worker that owns them. The
// inline probe in the generated code has already dropped tuples present when
// the round started; a collector drops repeats among its own tuples (for a
// lattice head: keeps one joined value per key).

import { finish, HASH_SEED, mix } from "../storage/hash.js";
import { findRow } from "../storage/hash-index.js";
import type { RuleIndex, RuleRelation } from "../codegen/rule-relation.js";
import type { Lattice } from "../lattices/lattice.js";
import { Collector } from "./collector.js";
import type { IndexView, RelationView } from "./messages.js";

export class IndexStub implements RuleIndex {
  columns: readonly number[];
  slots: Int32Array;
  mask: number;
  next: Int32Array;
  constructor(v: IndexView) {
    this.columns = v.columns;
    this.slots = v.slots;
    this.mask = v.mask;
    this.next = v.next;
  }
  update(v: IndexView): void {
    this.slots = v.slots;
    this.mask = v.mask;
    this.next = v.next;
  }
}

export class RelationStub implements RuleRelation {
  readonly name: string;
  readonly arity: number;
  data: Int32Array;
  dead: Uint8Array;
  size: number;
  stableEnd: number;
  deltaEnd: number;
  readonly unique: IndexStub;
  readonly indexes: IndexStub[];
  readonly tmp: Int32Array;
  /** Where tuples this stub collects as a head go. */
  readonly sink: Collector;
  private readonly keyArity: number;
  /** The unique index's columns (the key: every column but a lattice one). */
  private readonly keyColumns: Int32Array;

  constructor(
    view: RelationView,
    readonly lattice: Lattice | undefined,
  ) {
    this.name = view.name;
    this.arity = view.arity;
    this.data = view.data;
    this.dead = view.dead;
    this.size = view.size;
    this.stableEnd = view.stableEnd;
    this.deltaEnd = view.deltaEnd;
    this.unique = new IndexStub(view.unique);
    this.indexes = view.indexes.map((i) => new IndexStub(i));
    this.tmp = new Int32Array(Math.max(1, view.arity));
    this.keyArity = lattice ? view.arity - 1 : view.arity;
    this.keyColumns = Int32Array.from(view.unique.columns);
    this.sink = new Collector(view.name, view.arity, lattice);
  }

  /** Points the stub at the current arrays and bounds. */
  update(view: RelationView, lo = view.stableEnd, hi = view.deltaEnd): void {
    this.data = view.data;
    this.dead = view.dead;
    this.size = view.size;
    this.stableEnd = lo;
    this.deltaEnd = hi;
    this.unique.update(view.unique);
    // The owner may have built more indexes since (a re-planned version probes by other columns): they come last.
    view.indexes.forEach((v, i) => {
      const stub = this.indexes[i];
      if (stub) stub.update(v);
      else this.indexes.push(new IndexStub(v));
    });
  }

  /** The index over `columns` (the unique index when they are its key). */
  index(columns: readonly number[]): IndexStub {
    const key = columns.join(",");
    if (columns.length === this.arity || key === this.unique.columns.join(",")) return this.unique;
    const idx = this.indexes.find((i) => i.columns.join(",") === key);
    if (!idx) throw new Error(`internal: relation ${this.name} has no index on (${key}) in the worker`);
    return idx;
  }

  /** Generated code found `tmp` absent from the unique index: collect it. */
  appendAt(_slot: number, hash: number): void {
    this.sink.add(this.tmp, hash);
  }

  /** A lattice (or nullary) head: collect `tmp` if it grows the key's value as the stub sees it. */
  add(): boolean {
    const arity = this.arity;
    if (arity === 0) return this.size === 0 && this.sink.add(this.tmp, 0);
    const lattice = this.lattice;
    if (!lattice) throw new Error(`internal: add() on the plain relation ${this.name} in a worker`);
    const tmp = this.tmp;
    const k = this.keyArity;
    let h = HASH_SEED;
    for (let c = 0; c < k; c++) h = mix(h, tmp[c]!);
    h = finish(h);
    const v = tmp[k]!;
    const row = this.find(h);
    if (row >= 0) {
      const prev = this.data[row * arity + k]!;
      if (lattice.join(prev, v) === prev) return false;
    } else if (v === lattice.bottom) {
      return false;
    }
    return this.sink.add(tmp, h);
  }

  /** The newest row with `tmp`'s key in the unique index, or -1. */
  private find(h: number): number {
    return findRow(this.unique.slots, this.unique.mask, this.data, this.arity, this.keyColumns, this.tmp, h);
  }
}
