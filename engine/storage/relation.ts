// A relation's storage: rows of 32-bit cells appended to one growing
// Int32Array, a unique index over all columns for set semantics, and one hash
// index per access pattern the rules need. Rows are never moved or removed, so
// the rows derived in one round form a contiguous range: the delta.
// A lattice relation keys its unique index on every column but the last; when
// a key's value grows, the joined value is appended as a new row and the old
// row is marked dead, so deltas stay contiguous ranges there too.
// Every array a relation grows is asked of the run's memory budget first
// (memory-budget.ts), so a relation that grows without end stops with a
// MemoryLimitError naming it.

import type { StructuredText } from "./record-text.js";
import type { ChoiceDomains } from "./choice.js";
import type { RuleRelation } from "../codegen/rule-relation.js";
import { HashIndex, type IndexState } from "./hash-index.js";
import { int32s, discarded } from "./memory.js";
import { type MemoryBudget, MemoryLimitError, mib } from "./memory-budget.js";
import type { BaseType } from "../../lang/model.js";
import type { Lattice } from "../lattices/lattice.js";
import type { LatticeIO } from "../lattices/lattice-io.js";

/** Raised on any change to a frozen relation; the relation is left as it was. */
export class FrozenRelationError extends Error {
  constructor(readonly relation: string) {
    super(`relation "${relation}" is frozen: it cannot change any more`);
    this.name = "FrozenRelationError";
  }
}

/** Raised when a lattice relation keeps growing past the configured bound. */
export class GrowthLimitError extends RangeError {
  constructor(
    readonly relation: string,
    readonly rows: number,
  ) {
    super(
      `lattice relation "${relation}" kept growing: ${rows} updates without reaching a fixpoint (a value that never stops increasing, such as a counter in a max lattice or a negative cycle under min?)`,
    );
    this.name = "GrowthLimitError";
  }
}

/** Everything a Relation holds, as plain data over its (shared) arrays: a worker thread rebuilds the relation from it. */
export interface RelationState {
  readonly data: Int32Array;
  readonly dead: Uint8Array;
  readonly size: number;
  readonly live: number;
  readonly stableEnd: number;
  readonly deltaEnd: number;
  readonly indexed: number;
  readonly unique: IndexState;
  readonly indexes: readonly IndexState[];
}

/** Rows addWritten() indexes at a time. */
const WRITTEN_CHUNK = 1 << 16;
/** Keys reserve() makes room for at most (beyond, the unique index grows as keys arrive). */
const RESERVED_KEYS = 1 << 22;

export class Relation implements RuleRelation {
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
  /** The index over the key (all columns, or all but a lattice column): set semantics and probes. */
  readonly unique: HashIndex;
  /** The lattice of the last column, if any. */
  readonly lattice: Lattice | undefined;
  /** How the lattice column's values are written, read and shown through the API. */
  latticeIO: LatticeIO | undefined;
  /** `choice-domain`: a tuple sharing a domain's values with one already in the relation is dropped. */
  choice: ChoiceDomains | undefined;
  /** For each column of a record or algebraic data type, how its values are written and read. */
  structuredIO: readonly (StructuredText | undefined)[] | undefined;
  /** For a lattice relation: 1 for rows superseded by a larger value of the same key. */
  dead: Uint8Array;
  /** Rows that are not dead. */
  live = 0;
  /** Rows [0, indexed) are in every secondary index. */
  private indexed = 0;
  /** Set by freeze: any change throws FrozenRelationError. */
  frozen = false;
  /** Whether facts given directly (not derived) are remembered, so the relation can be rebuilt. */
  recordBase = false;
  private baseData: Int32Array = new Int32Array(0);
  private baseCount = 0;
  /** A lattice relation fails with GrowthLimitError past this many rows. */
  maxRows = 50_000_000;
  /** The budget the relation's arrays are taken from (none: unbounded). */
  budget: MemoryBudget | undefined;
  /** `.limitsize`: its stratum stops iterating once this many tuples are live. */
  limit = Infinity;
  private readonly indexes = new Map<string, HashIndex>();
  private indexList: HashIndex[] = [];
  /** Whether the arrays live on SharedArrayBuffers, for worker threads to read (see share()). */
  shared = false;
  /** Rows from here on are not in the unique index yet (see appendRows()); -1 when every row is. */
  private unindexed = -1;
  /** After appendRows(): the rows each secondary index holds, until syncIndexes() brings them all up to date. */
  private lagging: Map<HashIndex, number> | undefined;
  /** Called before the relation drops rows (rebuild, retraction): handlers note what they had seen (engine/watch.ts). */
  onReset: (() => void) | undefined;
  /**
   * Counts the times rows were put in place other than one by one in order:
   * emptied, compacted, appended in bulk (appendRows()) or taken over
   * (importState()). What a reader noted about row positions holds while
   * this is unchanged (engine/eval/heights.ts).
   */
  reorders = 0;

  constructor(name: string, types: readonly BaseType[], lattice?: Lattice) {
    this.name = name;
    this.arity = types.length;
    this.types = types;
    this.lattice = lattice;
    this.data = new Int32Array(Math.max(1, this.arity) * 64);
    this.tmp = new Int32Array(Math.max(1, this.arity));
    this.dead = new Uint8Array(lattice ? 64 : 0);
    const keyArity = lattice ? this.arity - 1 : this.arity;
    this.unique = new HashIndex(
      types.slice(0, keyArity).map((_, i) => i),
      this.arity,
    );
    this.unique.allocate = (cells, old, shared) => this.allocate(cells, old, shared);
  }

  /** Takes `bytes` more of the budget for this relation's arrays (negative: gives them back). */
  private charge(bytes: number): void {
    this.budget?.take(bytes, this.name, this.size);
  }

  /**
   * The array of `cells` cells that replaces one of `old` cells (rows or an
   * index's), taken from the budget first; the system refusing it is a
   * MemoryLimitError naming this relation as well.
   */
  private allocate(cells: number, old: number, shared: boolean): Int32Array {
    const bytes = (cells - old) * 4;
    this.charge(bytes);
    try {
      return int32s(cells, shared);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.charge(-bytes);
      throw new MemoryLimitError(this.name, this.size, `the system refused ${mib(bytes)} more (${e.message})`);
    }
  }

  /** The index over `columns`, built on first request over the rows present. */
  index(columns: readonly number[]): HashIndex {
    const key = columns.join(",");
    if (key === this.unique.columns.join(",")) return this.unique;
    let idx = this.indexes.get(key);
    if (!idx) {
      // Room for every row in the chains; the slots grow with the distinct keys, often far fewer.
      idx = new HashIndex(columns, this.arity, 16, Math.max(16, this.size));
      this.charge(idx.slots.byteLength + idx.next.byteLength);
      idx.allocate = (cells, old, shared) => this.allocate(cells, old, shared);
      if (this.shared) idx.share();
      idx.addRange(this.data, 0, this.indexed, this.deadRows());
      this.lagging?.set(idx, this.indexed);
      this.indexes.set(key, idx);
      this.indexList = [...this.indexes.values()];
    }
    return idx;
  }

  /** The index over `columns` if one is built (the unique one for the key's columns), without building one. */
  existingIndex(columns: readonly number[]): HashIndex | undefined {
    const key = columns.join(",");
    if (key === this.unique.columns.join(",") || (columns.length === this.arity && !this.lattice)) return this.unique;
    return this.indexes.get(key);
  }

  /** Makes room for row `row` and copies `tmp` into it (not yet part of the relation); returns the data array. */
  private stage(row: number): Int32Array {
    const arity = this.arity;
    let data = this.data;
    if ((row + 1) * arity > data.length) data = this.growData(Math.max(data.length * 2, (row + 1) * arity));
    const base = row * arity;
    const tmp = this.tmp;
    for (let c = 0; c < arity; c++) data[base + c] = tmp[c]!;
    return data;
  }

  /** Replaces the rows' array by one of `cells` cells holding the same rows; returns it. */
  private growData(cells: number): Int32Array {
    const grown = this.allocate(cells, this.data.length, this.shared);
    grown.set(this.data);
    discarded(this.data.byteLength);
    return (this.data = grown);
  }

  /**
   * Makes room for `rows` more rows (reading a facts file whose lines were
   * counted), so that adding them neither regrows the rows nor rehashes the
   * unique index step by step.
   */
  reserve(rows: number): void {
    const need = (this.size + rows) * this.arity;
    if (need > this.data.length) this.growData(need);
    if (this.lattice && this.size + rows > this.dead.length) this.growDead(this.size + rows);
    // Slots for at most RESERVED_KEYS keys: a file of many repeated lines must not size the table by its lines.
    if (this.arity > 0) this.unique.reserve(Math.min(rows, RESERVED_KEYS), this.lattice ? this.size + rows : 0);
  }

  /**
   * Whether a reader may write rows straight into `data` past `size` and then
   * call addWritten(): a plain relation whose unique index is complete, which
   * is not frozen, shared or keeping its given facts apart.
   */
  takesWrittenRows(): boolean {
    return !this.lattice && !this.frozen && !this.shared && !this.recordBase && this.unindexed < 0 && this.arity > 0 && !this.choice;
  }

  /**
   * Adds the `count` rows a reader wrote into `data` from row `size` on (room
   * reserved by reserve(); see takesWrittenRows()), with set semantics: a row
   * whose tuple is already present, or repeats an earlier one of the batch, is
   * dropped and the rest close up in order. Rows are indexed a chunk at a time,
   * grouped by slot region (HashIndex.placeAllUnique), which keeps the probes
   * in cache and the scratch arrays small. Returns how many were new.
   */
  addWritten(count: number): number {
    const from = this.size;
    const arity = this.arity;
    const data = this.data;
    const unique = this.unique;
    const chunk = Math.min(count, WRITTEN_CHUNK);
    const hashes = new Int32Array(chunk);
    const at = new Int32Array(chunk);
    const scratch: [Int32Array, Int32Array] = [new Int32Array(chunk), new Int32Array(chunk)];
    let to = from;
    for (let off = 0; off < count; off += chunk) {
      const n = Math.min(chunk, count - off);
      const start = from + off;
      // Rows close up over the repeats of earlier chunks before they are indexed.
      if (to !== start) data.copyWithin(to * arity, start * arity, (start + n) * arity);
      for (let i = 0; i < n; i++) hashes[i] = unique.hashRow(data, to + i);
      unique.reserve(n, 0);
      const repeats = unique.placeAllUnique(data, to, hashes, n, at, scratch);
      if (repeats === 0) {
        to += n;
        continue;
      }
      let kept = to;
      for (let i = 0; i < n; i++) {
        const slot = at[i]!;
        if (slot < 0) continue;
        const row = to + i;
        if (kept !== row) {
          data.copyWithin(kept * arity, row * arity, (row + 1) * arity);
          unique.moveTo(slot, kept);
        }
        kept++;
      }
      to = kept;
    }
    const added = to - from;
    this.size = to;
    this.live += added;
    return added;
  }

  /** Adds the tuple in `tmp` (for a lattice relation: joins its value into the key's); returns true when something changed. */
  add(): boolean {
    if (this.lattice) return this.join(this.lattice);
    if (this.frozen) return this.addFrozen();
    const arity = this.arity;
    const row = this.size;
    const data = this.stage(row);
    if (arity === 0) {
      if (row > 0) return false;
    } else if (this.choice && !this.choice.admit(data, row)) {
      return false;
    } else if (this.unique.addUnique(data, row) >= 0) {
      return false;
    }
    this.size = row + 1;
    this.live++;
    return true;
  }

  /**
   * Brings the secondary indexes up to date. Rules read rows below the bounds
   * fixed when a round starts, so secondary indexes take a round's new rows
   * only when the round ends: chains never hold rows a reader must skip.
   */
  syncIndexes(): void {
    if (this.lagging) return this.catchUpIndexes();
    const list = this.indexList;
    const data = this.data;
    const size = this.size;
    for (let i = 0; i < list.length; i++) {
      const idx = list[i]!;
      if (idx === this.unique) continue;
      idx.addRange(data, this.indexed, size, this.deadRows());
    }
    this.indexed = size;
  }

  /**
   * Appends the tuple in `tmp`, known to be absent, whose key hashes to `hash`
   * and belongs in the unique index's empty slot `slot` (found by generated code).
   */
  appendAt(slot: number, hash: number): void {
    if (this.frozen) throw new FrozenRelationError(this.name);
    const row = this.size;
    const data = this.stage(row);
    if (this.choice && !this.choice.admit(data, row)) return;
    this.unique.placeAt(slot, row, hash);
    this.size = row + 1;
    this.live++;
  }

  private join(lattice: Lattice): boolean {
    const arity = this.arity;
    const row = this.size;
    const data = this.stage(row);
    if (row >= this.dead.length) this.growDead(this.dead.length * 2 + 64);
    const base = row * arity;
    const tmp = this.tmp;
    const v = arity - 1;
    const unique = this.unique;
    const slot = unique.probe(data, row);
    const old = unique.slots[2 * slot]! - 1;
    if (old < 0) {
      // Joining with bottom normalises a first value (an `or` column turns 5 into 1).
      const first = lattice.join(lattice.bottom, tmp[v]!);
      if (first === lattice.bottom) return false;
      data[base + v] = first;
      if (this.frozen) throw new FrozenRelationError(this.name);
      this.live++;
    } else {
      const prev = data[old * arity + v]!;
      const joined = lattice.join(prev, tmp[v]!);
      if (joined === prev) return false;
      if (this.frozen) throw new FrozenRelationError(this.name);
      data[base + v] = joined;
      this.dead[old] = 1;
    }
    if (row >= this.maxRows) throw new GrowthLimitError(this.name, row);
    unique.putAt(slot, row);
    this.size = row + 1;
    return true;
  }

  private growDead(n: number): void {
    this.charge(n - this.dead.length);
    const grown = this.shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n);
    grown.set(this.dead);
    this.dead = grown;
  }

  /** Moves rows and indexes onto SharedArrayBuffers, where they stay as they grow, so worker threads can read them. */
  share(): void {
    if (this.shared) return;
    this.shared = true;
    const data = int32s(this.data.length, true);
    data.set(this.data);
    this.data = data;
    if (this.lattice) {
      const dead = this.dead;
      this.dead = new Uint8Array(0);
      this.growDead(dead.length);
      this.dead.set(dead);
    }
    this.unique.share();
    for (const idx of this.indexList) idx.share();
  }

  /** The relation as plain data (arrays shared once share() was called, not copied). */
  exportState(): RelationState {
    return {
      data: this.data,
      dead: this.dead,
      size: this.size,
      live: this.live,
      stableEnd: this.stableEnd,
      deltaEnd: this.deltaEnd,
      indexed: this.indexed,
      unique: this.unique.exportState(),
      indexes: this.secondaryIndexes().map((i) => i.exportState()),
    };
  }

  /** Takes over an exported relation of the same shape (on another thread); its arrays stay shared. */
  importState(s: RelationState): void {
    const indexes = s.indexes.map((i) => this.index(i.columns));
    this.reorders++;
    this.shared = s.data.buffer instanceof SharedArrayBuffer;
    this.data = s.data;
    this.dead = s.dead;
    this.size = s.size;
    this.live = s.live;
    this.stableEnd = s.stableEnd;
    this.deltaEnd = s.deltaEnd;
    this.indexed = s.indexed;
    this.unique.importState(s.unique);
    s.indexes.forEach((i, k) => indexes[k]!.importState(i));
  }

  /** The secondary indexes (every index but the unique one). */
  secondaryIndexes(): readonly HashIndex[] {
    return this.indexList.filter((i) => i !== this.unique);
  }

  /**
   * Appends `count` rows of `rows` as they are: rows that workers derived, each
   * new (a plain tuple absent, a lattice key absent or with a larger value
   * than its current row, which the caller marks dead). The unique index takes
   * them only when something needs it (ensureIndexed()): a finished stratum's
   * result is often only written out.
   */
  appendRows(rows: Int32Array, count: number): void {
    if (count === 0) return;
    if (this.frozen) throw new FrozenRelationError(this.name);
    this.reorders++;
    const arity = this.arity;
    const end = this.size + count;
    if (end * arity > this.data.length) this.growData(Math.max(this.data.length * 2, end * arity));
    if (this.lattice && end > this.dead.length) this.growDead(Math.max(this.dead.length * 2, end));
    this.data.set(rows.subarray(0, count * arity), this.size * arity);
    if (this.unindexed < 0) this.unindexed = this.size;
    this.lagging ??= new Map(this.indexList.map((i) => [i, this.indexed]));
    this.size = end;
    this.live += count;
    if (this.lattice && end > this.maxRows) throw new GrowthLimitError(this.name, end);
  }

  /** Marks a lattice relation's row dead: a later row holds a larger value for its key. */
  supersede(row: number): void {
    if (this.dead[row] === 0) {
      this.dead[row] = 1;
      this.live--;
    }
  }

  /** Brings every index up to date with every row (after appendRows()). */
  ensureIndexed(): void {
    this.ensureUnique();
    this.syncIndexes();
  }

  /** Brings the index over `columns` (the unique one, or a secondary one) up to date with every row. */
  ensureIndex(columns: readonly number[]): void {
    const key = columns.join(",");
    if (columns.length === this.arity || key === this.unique.columns.join(",")) return this.ensureUnique();
    const idx = this.indexes.get(key);
    const from = idx && this.lagging?.get(idx);
    if (idx === undefined || from === undefined) return;
    idx.addRange(this.data, from, this.size, this.deadRows());
    this.lagging!.set(idx, this.size);
  }

  private ensureUnique(): void {
    const from = this.unindexed;
    if (from < 0) return;
    this.unindexed = -1;
    const count = this.size - from;
    if (this.lattice) {
      this.unique.reserve(count, this.size);
      this.unique.addRange(this.data, from, this.size, this.dead);
    } else if (this.arity > 0) {
      const hashes = new Int32Array(count);
      for (let i = 0; i < count; i++) hashes[i] = this.unique.hashRow(this.data, from + i);
      this.unique.reserve(count, 0);
      this.unique.placeAll(from, hashes, count);
    }
  }

  /** syncIndexes() after appendRows(): each secondary index takes the rows it lacks. */
  private catchUpIndexes(): void {
    for (const [idx, from] of this.lagging!) idx.addRange(this.data, from, this.size, this.deadRows());
    this.lagging = undefined;
    this.indexed = this.size;
  }

  /** The superseded-row marks indexes may leave out (a lattice relation's; none otherwise). */
  private deadRows(): Uint8Array | undefined {
    return this.lattice ? this.dead : undefined;
  }

  /** Whether row `r` holds a current value (always, outside lattice relations). */
  isLive(r: number): boolean {
    return !this.lattice || this.dead[r] === 0;
  }

  /** A frozen plain relation accepts a tuple it already holds and rejects a new one. */
  private addFrozen(): boolean {
    if (this.arity === 0 ? this.size > 0 : this.unique.find(this.data, this.tmp) >= 0) return false;
    throw new FrozenRelationError(this.name);
  }

  /** Adds the tuple in `tmp` as a given fact, remembered when the relation may be rebuilt. */
  addBase(): boolean {
    if (this.unindexed >= 0) this.ensureIndexed();
    if (this.recordBase) {
      const arity = this.arity;
      if ((this.baseCount + 1) * arity > this.baseData.length) {
        const cells = Math.max(64, (this.baseCount + 1) * arity, this.baseData.length * 2);
        this.charge((cells - this.baseData.length) * 4);
        const grown = new Int32Array(cells);
        grown.set(this.baseData);
        this.baseData = grown;
      }
      this.baseData.set(this.tmp.subarray(0, arity), this.baseCount * arity);
      this.baseCount++;
    }
    return this.add();
  }

  /** The given facts remembered for rebuild(), as rows (for the state file). */
  exportBase(): { readonly rows: Int32Array; readonly count: number } {
    return { rows: this.baseData.subarray(0, this.baseCount * this.arity), count: this.baseCount };
  }

  /** Replaces the remembered given facts with saved ones (from the state file). */
  importBase(rows: Int32Array, count: number): void {
    this.baseData = rows;
    this.baseCount = count;
  }

  /** The live rows, copied end to end, and how many: a frozen relation's contents, for a recomputation to be compared with. */
  snapshot(): { readonly rows: Int32Array; readonly count: number } {
    const arity = this.arity;
    if (!this.lattice) return { rows: this.data.slice(0, this.size * arity), count: this.size };
    const rows = new Int32Array(this.live * arity);
    let n = 0;
    for (let r = 0; r < this.size; r++) {
      if (this.dead[r] !== 0) continue;
      for (let c = 0; c < arity; c++) rows[n * arity + c] = this.data[r * arity + c]!;
      n++;
    }
    return { rows, count: n };
  }

  /** Whether the relation holds exactly the rows of `s` (a snapshot()), in any order. */
  holdsExactly(s: { readonly rows: Int32Array; readonly count: number }): boolean {
    if (s.count !== this.live) return false;
    const arity = this.arity;
    if (arity === 0) return true;
    this.ensureIndexed();
    const keyEnd = this.lattice ? arity - 1 : arity;
    const key = new Int32Array(keyEnd);
    const rows = s.rows;
    for (let i = 0; i < s.count; i++) {
      for (let c = 0; c < keyEnd; c++) key[c] = rows[i * arity + c]!;
      const at = this.unique.find(this.data, key);
      if (at < 0 || (this.lattice && this.data[at * arity + keyEnd] !== rows[i * arity + keyEnd])) return false;
    }
    return true;
  }

  /** Empties the relation and adds back the given facts (to recompute what was derived). */
  rebuild(): void {
    this.refill(this.baseData, this.baseCount);
  }

  /** Empties the relation and adds `count` rows of `rows` back. */
  private refill(rows: Int32Array, count: number): void {
    if (this.frozen) throw new FrozenRelationError(this.name);
    this.onReset?.();
    this.reorders++;
    this.size = this.live = this.stableEnd = this.deltaEnd = this.indexed = 0;
    this.unindexed = -1;
    this.lagging = undefined;
    this.unique.clear();
    for (const idx of this.indexList) idx.clear();
    this.choice?.clear();
    if (this.lattice) this.dead.fill(0);
    const arity = this.arity;
    for (let i = 0; i < count; i++) {
      this.tmp.set(rows.subarray(i * arity, (i + 1) * arity));
      this.add();
    }
  }

  /**
   * Retraction: removes the given facts that `match` accepts (cells at an
   * offset of `cells`), every copy; calls `removed` with each one's cells and
   * its index (among the given facts, or the rows) before it goes. A relation
   * that keeps its given facts apart is rebuilt from them by the next run; one
   * whose rows are its facts (an input relation without rules) loses the rows
   * now. Returns how many went.
   */
  removeBase(match: (cells: Int32Array, at: number) => boolean, removed?: (cells: Int32Array, at: number, index: number) => void): number {
    const arity = this.arity;
    if (!this.recordBase && !this.lattice && !this.choice) {
      // A set relation's own rows go in place, its indexes renumbered (removeRows()).
      const drop = new Uint8Array(this.size);
      let gone = 0;
      for (let i = 0; i < this.size; i++) {
        if (!match(this.data, i * arity)) continue;
        removed?.(this.data, i * arity, i);
        drop[i] = 1;
        gone++;
      }
      return gone === 0 ? 0 : this.removeRows(drop);
    }
    // The given facts are compacted in place; a relation's own rows into a copy (handlers read them on reset).
    const [rows, count] = this.recordBase ? [this.baseData, this.baseCount] : [this.data, this.size];
    const out = this.recordBase ? rows : new Int32Array(count * arity);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if (match(rows, i * arity)) {
        removed?.(rows, i * arity, i);
        continue;
      }
      out.set(rows.subarray(i * arity, (i + 1) * arity), kept * arity);
      kept++;
    }
    if (kept === count) return 0;
    if (this.recordBase) {
      this.baseCount = kept;
      return count - kept;
    }
    // The rows kept are distinct tuples already.
    this.refillDistinct(out, kept);
    return count - kept;
  }

  /**
   * Removes the rows `drop` marks (1), the others moving up in order, and
   * renumbers the indexes in place (HashIndex.renumber()): no key is hashed
   * again. Every row is known afterwards (as after settle()). A lattice
   * relation loses its dead rows too: they are chained behind their key's
   * live row, in the unique index as in the others. Returns how many rows
   * went.
   */
  removeRows(drop: Uint8Array): number {
    if (this.frozen) throw new FrozenRelationError(this.name);
    if (this.choice) throw new Error(`internal: removeRows on ${this.name}`);
    this.ensureIndexed();
    const size = this.size;
    const moved = new Int32Array(size);
    const dead = this.lattice ? this.dead : undefined;
    let kept = 0;
    for (let r = 0; r < size; r++) moved[r] = drop[r] === 1 || dead?.[r] === 1 ? -1 : kept++;
    const gone = size - kept;
    if (gone === 0) return 0;
    this.onReset?.();
    this.reorders++;
    // Each run of kept rows moves up in one copy.
    const arity = this.arity;
    const data = this.data;
    for (let r = 0; r < size; ) {
      if (moved[r]! < 0) {
        r++;
        continue;
      }
      let end = r + 1;
      while (end < size && moved[end]! >= 0) end++;
      const to = moved[r]! * arity;
      const from = r * arity;
      const cells = (end - r) * arity;
      // A short run is copied cell by cell: a call of copyWithin costs more than a few cells.
      if (to !== from) {
        if (cells > 64) data.copyWithin(to, from, from + cells);
        else for (let c = 0; c < cells; c++) data[to + c] = data[from + c]!;
      }
      r = end;
    }
    // A set relation's unique index keeps no chains; a lattice relation's chains each key's superseded rows.
    this.unique.renumber(moved, size, dead !== undefined);
    for (const idx of this.indexList) if (idx !== this.unique) idx.renumber(moved, size, true);
    this.size = this.indexed = this.stableEnd = this.deltaEnd = kept;
    if (dead) {
      dead.fill(0, 0, size);
      this.live = kept;
    } else this.live -= gone;
    return gone;
  }

  /** refill() for rows known to hold distinct keys, all live: written back as they are, each index built in one pass. */
  private refillDistinct(rows: Int32Array, count: number): void {
    if (this.frozen) throw new FrozenRelationError(this.name);
    this.onReset?.();
    this.reorders++;
    this.data.set(rows.subarray(0, count * this.arity));
    this.size = this.live = count;
    this.stableEnd = this.deltaEnd = this.indexed = 0;
    this.lagging = undefined;
    if (this.lattice) this.dead.fill(0);
    this.unique.clear();
    for (const idx of this.indexList) idx.clear();
    this.unindexed = 0;
    this.ensureIndexed();
  }

  /** Marks every row as known: nothing is delta any more. */
  settle(): void {
    this.ensureIndexed();
    this.stableEnd = this.deltaEnd = this.size;
  }
}

/** What endRound() needs of a relation (worker threads pass stand-ins with the same fields). */
export interface RoundRows {
  syncIndexes(): void;
  stableEnd: number;
  deltaEnd: number;
  readonly size: number;
}

/** Ends a semi-naive round: the round's new rows join the indexes and become the next delta. */
export function endRound(rels: readonly RoundRows[]): void {
  for (const r of rels) {
    r.syncIndexes();
    r.stableEnd = r.deltaEnd;
    r.deltaEnd = r.size;
  }
}
