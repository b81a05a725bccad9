// The database's change handlers (`db.on`): each handler learns of every
// change to its relation exactly once, as (tuple, "added") or (tuple,
// "removed"), so that replaying them over the contents it first saw gives the
// contents now. Rows a plain relation appends are new facts and reach the
// handlers after each round; a lattice relation's changes, and those of a
// relation that dropped rows (recomputed, or retracted from), reach them at the
// end of the run, as the difference between what they had seen and the
// relation's contents then: for a lattice key, its new value as added (not each
// value it passed through), the key as removed only when it is gone.

import type { Relation } from "./storage/relation.js";

/** How a handler learns of a change. */
export type ChangeKind = "added" | "removed";

/** Reads row `r` of `cells` (rows of the relation's arity) as the handler's tuple. */
export type RowReader<T> = (cells: Int32Array, r: number) => T;

interface Handler<T> {
  readonly call: (tuple: T, kind: ChangeKind) => void;
}

/** One watched relation: the rows its handlers have seen, and what they had seen when it dropped rows. */
class Watched<T> {
  readonly handlers = new Set<Handler<T>>();
  /** Rows [0, seen) have reached every handler (while the relation has not dropped rows since). */
  seen = 0;
  /** Set when the relation dropped rows: the rows (by key) the handlers had seen then, and the key's arity. */
  before: Map<string, number> | undefined;
  beforeCells: Int32Array | undefined;

  constructor(
    readonly relation: Relation,
    readonly read: RowReader<T>,
  ) {}

  /** The key of row `r` of `cells` (all columns, or all but a lattice column). */
  private key(cells: Int32Array, r: number): string {
    const rel = this.relation;
    const n = rel.lattice ? rel.arity - 1 : rel.arity;
    let k = "";
    for (let c = 0; c < n; c++) k += `${cells[r * rel.arity + c]},`;
    return k;
  }

  /** What the handlers have seen: for each key, the last row of [0, seen) that holds it. */
  private seenRows(): { cells: Int32Array; rows: Map<string, number> } {
    const rel = this.relation;
    const cells = rel.data.slice(0, this.seen * rel.arity);
    const rows = new Map<string, number>();
    for (let r = 0; r < this.seen; r++) rows.set(this.key(cells, r), r);
    return { cells, rows };
  }

  /** The relation is about to drop its rows: note what the handlers saw (once per run; a second reset changes nothing seen). */
  reset(): void {
    if (this.before) return;
    const { cells, rows } = this.seenRows();
    this.before = rows;
    this.beforeCells = cells;
  }

  /** Delivers the changes since the last call; `final` at the end of a run. */
  deliver(final: boolean): void {
    const rel = this.relation;
    if (!final && (this.before || rel.lattice)) return;
    if (this.before) return this.deliverDifference();
    if (this.seen > rel.size) throw new Error(`internal: ${rel.name} lost rows without a reset`);
    if (!rel.lattice) {
      for (; this.seen < rel.size; this.seen++) this.emit(rel.data, this.seen, "added");
      return;
    }
    // A key that grew more than once since: only its value now.
    for (let r = this.seen; r < rel.size; r++) if (rel.isLive(r)) this.emit(rel.data, r, "added");
    this.seen = rel.size;
  }

  /** After the relation dropped rows: what the handlers saw and is gone, then what is there and they did not see. */
  private deliverDifference(): void {
    const rel = this.relation;
    const before = this.before!;
    const cells = this.beforeCells!;
    this.before = this.beforeCells = undefined;
    const now = new Map<string, number>();
    for (let r = 0; r < rel.size; r++) if (rel.isLive(r)) now.set(this.key(rel.data, r), r);
    const value = rel.arity - 1;
    for (const [k, r] of before) if (!now.has(k)) this.emit(cells, r, "removed");
    for (const [k, r] of now) {
      const old = before.get(k);
      if (old === undefined || (rel.lattice && cells[old * rel.arity + value] !== rel.data[r * rel.arity + value]))
        this.emit(rel.data, r, "added");
    }
    this.seen = rel.size;
  }

  private emit(cells: Int32Array, r: number, kind: ChangeKind): void {
    const tuple = this.read(cells, r);
    for (const h of this.handlers) h.call(tuple, kind);
  }

  /** A handler registered now: every fact the others have seen, as added. */
  welcome(h: Handler<T>): void {
    if (this.before) {
      for (const r of this.before.values()) h.call(this.read(this.beforeCells!, r), "added");
      return;
    }
    const { cells, rows } = this.seenRows();
    for (const r of rows.values()) h.call(this.read(cells, r), "added");
  }
}

/** Every handler of a database, by relation. */
export class Watchers<T> {
  private readonly watched = new Map<Relation, Watched<T>>();

  /**
   * Registers `call` on `relation`: it first receives the relation's contents
   * as of the last delivery (each as added), then every change. Returns the
   * function that unregisters it.
   */
  add(relation: Relation, read: RowReader<T>, call: (tuple: T, kind: ChangeKind) => void): () => void {
    let w = this.watched.get(relation);
    if (!w) {
      const fresh = new Watched(relation, read);
      // The first handler sees everything up to now, delivered below like any change.
      relation.onReset = () => fresh.reset();
      this.watched.set(relation, fresh);
      w = fresh;
    }
    const h: Handler<T> = { call };
    w.welcome(h);
    w.handlers.add(h);
    w.deliver(w.before === undefined);
    const owner = w;
    return () => {
      owner.handlers.delete(h);
      if (owner.handlers.size > 0) return;
      relation.onReset = undefined;
      this.watched.delete(relation);
    };
  }

  /** Delivers what changed: after a round (plain relations' new facts), or at the end of a run (`final`: everything). */
  deliver(final: boolean): void {
    for (const w of this.watched.values()) w.deliver(final);
  }
}
