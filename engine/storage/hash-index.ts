// A hash index over some columns of a relation's rows. Open addressing maps a
// key to the newest row with that key; each slot is two adjacent cells, the
// row plus one (0 when empty) and the key's full hash, so a probe touches one
// cache line and compares cells only on a hash match. `next` chains each row
// to the previous row with the same key, so a chain lists rows newest first:
// reading only rows inside a [lo, hi) range is a skip at the chain's head and
// an early stop at its tail, and one index serves full, delta and old reads.

import type { RuleIndex } from "../codegen/rule-relation.js";
import { finish, HASH_SEED, hashIdentifiesKey, mix } from "./hash.js";
import { int32s, discarded } from "./memory.js";

/** Grow when more than this fraction of the slots is used. */
const MAX_LOAD = 0.7;

/** Everything a HashIndex holds, as plain data over its (shared) arrays: a worker thread rebuilds the index from it. */
export interface IndexState {
  readonly columns: readonly number[];
  readonly slots: Int32Array;
  readonly mask: number;
  readonly next: Int32Array;
  readonly keys: number;
}

export class HashIndex implements RuleIndex {
  /** The indexed columns, in key order. */
  readonly columns: readonly number[];
  private readonly cols: Int32Array;
  private readonly arity: number;
  /** One key column: equal hashes mean equal keys (see hash.ts), no row is read to compare. */
  private readonly exact: boolean;
  /** Slot i is slots[2i] (row + 1, or 0 when empty) and slots[2i + 1] (the key's hash). */
  slots: Int32Array;
  /** Number of slots minus one (a power of two minus one). */
  mask: number;
  /** Row -> the previous row with the same key, or -1. */
  next: Int32Array;
  private keys = 0;
  private limit: number;
  /** Whether the arrays live on SharedArrayBuffers (see share()). */
  shared = false;
  /** Makes the array of `cells` cells that replaces one of `old` cells (a relation takes it from its memory budget). */
  allocate: (cells: number, old: number, shared: boolean) => Int32Array = (cells, _old, shared) => int32s(cells, shared);

  /** `keys`: distinct keys to make room for; `rows`: rows to make room for in the chains (as many, by default). */
  constructor(columns: readonly number[], arity: number, keys = 16, rows = keys) {
    this.columns = columns;
    this.cols = Int32Array.from(columns);
    this.arity = arity;
    this.exact = hashIdentifiesKey(columns.length);
    let size = 16;
    while (size * MAX_LOAD < keys) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    this.limit = Math.floor(size * MAX_LOAD);
    this.next = new Int32Array(Math.max(16, rows));
  }

  /** Distinct keys the index holds (the planner's exact distinct count for these columns). */
  get keyCount(): number {
    return this.keys;
  }

  hashRow(data: Int32Array, row: number): number {
    let h = HASH_SEED;
    const base = row * this.arity;
    const cols = this.cols;
    for (let i = 0; i < cols.length; i++) h = mix(h, data[base + cols[i]!]!);
    return finish(h);
  }

  private sameKey(data: Int32Array, a: number, b: number): boolean {
    if (this.exact) return true;
    const ab = a * this.arity;
    const bb = b * this.arity;
    const cols = this.cols;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      if (data[ab + c] !== data[bb + c]) return false;
    }
    return true;
  }

  /** The slot holding `row`'s key, or the empty slot where it belongs. */
  private slotOf(data: Int32Array, row: number, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = slots[2 * slot]!;
      if (e === 0 || (slots[2 * slot + 1] === h && this.sameKey(data, e - 1, row))) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Removes every key, keeping the allocated slots. */
  clear(): void {
    this.slots.fill(0);
    this.keys = 0;
  }

  /** Puts `row`, whose key hashes to `h`, into the empty slot `slot` found by a probe. */
  placeAt(slot: number, row: number, h: number): void {
    this.place(slot, row, h);
  }

  private place(slot: number, row: number, h: number): void {
    this.slots[2 * slot] = row + 1;
    this.slots[2 * slot + 1] = h;
    if (++this.keys > this.limit) this.grow();
  }

  /**
   * Adds rows [from, to) (already written into `data`) in order, in one tight
   * loop: each becomes the newest row of its key, chained to the one before.
   * Rows marked in `dead` (a lattice relation's superseded rows, which no
   * reader visits and which never come back) are left out of the chains.
   */
  addRange(data: Int32Array, from: number, to: number, dead?: Uint8Array): void {
    if (to > this.next.length) this.growNext(Math.max(this.next.length * 2, to));
    const next = this.next;
    const cols = this.cols;
    const n = cols.length;
    const arity = this.arity;
    for (let row = from; row < to; row++) {
      if (dead !== undefined && dead[row] === 1) continue;
      const base = row * arity;
      let h = HASH_SEED;
      for (let i = 0; i < n; i++) h = mix(h, data[base + cols[i]!]!);
      h = finish(h);
      const slots = this.slots;
      const mask = this.mask;
      let slot = h & mask;
      for (;;) {
        const e = slots[2 * slot]!;
        if (e === 0) {
          next[row] = -1;
          this.place(slot, row, h);
          break;
        }
        if (slots[2 * slot + 1] === h && this.sameKey(data, e - 1, row)) {
          next[row] = e - 1;
          slots[2 * slot] = row + 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

  /**
   * Adds `row` unless a row with the same key is already indexed: one probe
   * for the dedup check and the insertion. Returns the existing row, or -1
   * when `row` was added. Used with every column as the key (set semantics);
   * it keeps no chains.
   */
  addUnique(data: Int32Array, row: number): number {
    const h = this.hashRow(data, row);
    const slot = this.slotOf(data, row, h);
    const e = this.slots[2 * slot]!;
    if (e !== 0) return e - 1;
    this.place(slot, row, h);
    return -1;
  }

  /** The hash of the key of the row probe() looked up last. */
  probedHash = 0;

  /**
   * The slot holding the key of `row` (which need not be indexed), or the
   * empty slot where it belongs: slots[2 * slot] - 1 is the newest row with
   * that key, or -1. putAt() then indexes a row there without probing again.
   */
  probe(data: Int32Array, row: number): number {
    const h = this.hashRow(data, row);
    this.probedHash = h;
    return this.slotOf(data, row, h);
  }

  /** Indexes `row` at `slot`, returned by the last probe() for a row with its key (nothing added since). */
  putAt(slot: number, row: number): void {
    if (row >= this.next.length) this.growNext(Math.max(this.next.length * 2, row + 1));
    const e = this.slots[2 * slot]!;
    this.next[row] = e - 1;
    if (e === 0) this.place(slot, row, this.probedHash);
    else this.slots[2 * slot] = row + 1;
  }

  /** Rehashes into `size` slots (by default twice as many). */
  private grow(size = this.slots.length): void {
    const old = this.slots;
    const slots = this.allocate(size * 2, old.length, this.shared);
    const mask = size - 1;
    for (let i = 0; i < old.length; i += 2) {
      const e = old[i]!;
      if (e === 0) continue;
      const h = old[i + 1]!;
      let slot = h & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = e;
      slots[2 * slot + 1] = h;
    }
    this.slots = slots;
    discarded(old.byteLength);
    this.mask = mask;
    this.limit = Math.floor(size * MAX_LOAD);
  }

  /** Moves the arrays onto SharedArrayBuffers, where they stay as they grow, so worker threads can read them. */
  share(): void {
    if (this.shared) return;
    this.shared = true;
    const slots = int32s(this.slots.length, true);
    slots.set(this.slots);
    this.slots = slots;
    const next = int32s(this.next.length, true);
    next.set(this.next);
    this.next = next;
  }

  /** The index as plain data (its arrays shared when share() was called, not copied). */
  exportState(): IndexState {
    return { columns: this.columns, slots: this.slots, mask: this.mask, next: this.next, keys: this.keys };
  }

  /** Takes over an exported index over the same columns (on another thread). */
  importState(s: IndexState): void {
    this.slots = s.slots;
    this.mask = s.mask;
    this.next = s.next;
    this.keys = s.keys;
    this.limit = Math.floor((s.mask + 1) * MAX_LOAD);
    this.shared = s.slots.buffer instanceof SharedArrayBuffer;
  }

  /** Makes room for `keys` more keys and rows up to `rows`, so that many insertions do not rehash step by step. */
  reserve(keys: number, rows: number): void {
    let size = this.mask + 1;
    while (size * MAX_LOAD < this.keys + keys) size *= 2;
    if (size > this.mask + 1) this.grow(size);
    if (rows > this.next.length) this.growNext(rows);
  }

  /** Makes the chains' array `length` rows long (keeping what it holds). */
  private growNext(length: number): void {
    const grown = this.allocate(length, this.next.length, this.shared);
    grown.set(this.next);
    discarded(this.next.byteLength);
    this.next = grown;
  }

  /**
   * Rows first, first + 1, … with their hashes, reordered by the region of
   * the slot table each belongs to (stably: rows of one region stay in order),
   * so that placing them in this order keeps each region's probes in cache
   * instead of missing once per row. Rows are given plus one, as slots hold them.
   */
  private bySlotRegion(
    first: number,
    hashes: Int32Array,
    count: number,
    hs: Int32Array = new Int32Array(count),
    rows: Int32Array = new Int32Array(count),
  ): { hs: Int32Array; rows: Int32Array } {
    const mask = this.mask;
    const bits = 31 - Math.clz32(mask + 1);
    const shift = Math.max(0, bits - 10);
    const groups = (mask >>> shift) + 1;
    const starts = new Int32Array(groups + 1);
    for (let i = 0; i < count; i++) starts[((hashes[i]! & mask) >>> shift) + 1]!++;
    for (let g = 0; g < groups; g++) starts[g + 1]! += starts[g]!;
    for (let i = 0; i < count; i++) {
      const h = hashes[i]!;
      const at = starts[(h & mask) >>> shift]!++;
      hs[at] = h;
      rows[at] = first + i + 1;
    }
    return { hs, rows };
  }

  /**
   * Inserts rows first, first + 1, … whose keys hash to `hashes[0..count)` and
   * are known to be absent and distinct, without comparing keys (room must be
   * reserved), grouped by slot region (see bySlotRegion()).
   */
  placeAll(first: number, hashes: Int32Array, count: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const { hs, rows } = this.bySlotRegion(first, hashes, count);
    for (let j = 0; j < count; j++) {
      const h = hs[j]!;
      let slot = h & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = rows[j]!;
      slots[2 * slot + 1] = h;
    }
    this.keys += count;
    if (this.keys > this.limit) this.grow();
  }

  /**
   * As placeAll(), for rows that may repeat a key already indexed or one of
   * another row of the batch: of rows sharing a key, the first is placed.
   * `at[i]` receives the slot row first + i went to, or -1 when it repeats a
   * key (moveTo() can then renumber a placed row). Room must be reserved for
   * all of them. `scratch` (two arrays of at least `count` cells) is reused
   * across calls by a caller that indexes many batches. Returns how many repeat.
   */
  placeAllUnique(
    data: Int32Array,
    first: number,
    hashes: Int32Array,
    count: number,
    at: Int32Array,
    scratch?: [Int32Array, Int32Array],
  ): number {
    const slots = this.slots;
    const mask = this.mask;
    const { hs, rows } = this.bySlotRegion(first, hashes, count, scratch?.[0], scratch?.[1]);
    let repeats = 0;
    for (let j = 0; j < count; j++) {
      const h = hs[j]!;
      const row = rows[j]! - 1;
      let slot = h & mask;
      for (;;) {
        const e = slots[2 * slot]!;
        if (e === 0) {
          slots[2 * slot] = row + 1;
          slots[2 * slot + 1] = h;
          at[row - first] = slot;
          this.keys++;
          break;
        }
        if (slots[2 * slot + 1] === h && this.sameKey(data, e - 1, row)) {
          at[row - first] = -1;
          repeats++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    if (this.keys > this.limit) this.grow();
    return repeats;
  }

  /** Points slot `slot` (returned by placeAllUnique(), nothing placed since) at `row`, where its row moved. */
  moveTo(slot: number, row: number): void {
    this.slots[2 * slot] = row + 1;
  }

  /**
   * Rows were removed and the rest moved up, in order: `moved[r]` is where
   * old row r went, or -1 if it went. Each chain skips the rows that went and
   * names the others where they are now; a key left without rows leaves the
   * table (backward-shift deletion, so probes still find every other key).
   * Needs no hashing and no key comparison: one pass over the rows for the
   * chains (`chained`: a unique index of a set relation keeps none), one
   * over the slots.
   */
  renumber(moved: Int32Array, rows: number, chained: boolean): void {
    const slots = this.slots;
    const mask = this.mask;
    const next = this.next;
    // For each old row: the newest row of its chain at or below it that stays, as it is numbered now (-1: none).
    const stays = chained ? new Int32Array(rows) : moved;
    for (let r = 0; chained && r < rows; r++) {
      const to = moved[r]!;
      const below = next[r]!;
      const after = below >= 0 ? stays[below]! : -1;
      if (to >= 0) {
        stays[r] = to;
        next[to] = after;
      } else stays[r] = after;
    }
    let gone = 0;
    for (let i = 0; i <= mask; i++) {
      const e = slots[2 * i]!;
      if (e === 0) continue;
      const to = e - 1 < rows ? stays[e - 1]! : -1;
      // A key left without rows is marked (-1, still occupied) until the shifts below take it out.
      slots[2 * i] = to >= 0 ? to + 1 : -1;
      if (to < 0) gone++;
    }
    if (gone > 0) this.dropMarked();
    this.keys -= gone;
  }

  /** Takes the slots marked -1 out of the table, each hole filled by shifting back the entries after it. */
  private dropMarked(): void {
    const slots = this.slots;
    const mask = this.mask;
    // A shift moves entries back from further on to the hole, which is where the scan is or after it
    // (up to where the scan ends): a marked entry moved is met again, never passed over.
    for (let i0 = 0; i0 <= mask; i0++) {
      while (slots[2 * i0] === -1) {
        let hole = i0;
        let j = i0;
        for (;;) {
          j = (j + 1) & mask;
          if (slots[2 * j] === 0) break;
          const home = slots[2 * j + 1]! & mask;
          // The entry at j may move back to the hole unless its home lies cyclically in (hole, j].
          const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
          if (stays) continue;
          slots[2 * hole] = slots[2 * j]!;
          slots[2 * hole + 1] = slots[2 * j + 1]!;
          hole = j;
        }
        slots[2 * hole] = 0;
        slots[2 * hole + 1] = 0;
      }
    }
  }

  /** The newest row whose key equals `key` (cells in column order), or -1. */
  find(data: Int32Array, key: ArrayLike<number>): number {
    let h = HASH_SEED;
    for (let i = 0; i < key.length; i++) h = mix(h, key[i]!);
    return findRow(this.slots, this.mask, data, this.arity, this.cols, key, finish(h));
  }
}

/**
 * A probe of an index's open-addressed `slots` (under `mask`; see HashIndex)
 * for the key `key`, whose hash is `h`: the newest row of `data` (rows of
 * `arity` cells) whose cells at `cols` equal the key's, or -1. It reads only
 * the arrays, so it serves as well for another thread's shared copy of them.
 */
export function findRow(
  slots: Int32Array,
  mask: number,
  data: Int32Array,
  arity: number,
  cols: Int32Array,
  key: ArrayLike<number>,
  h: number,
): number {
  let slot = h & mask;
  for (;;) {
    const e = slots[2 * slot]!;
    if (e === 0) return -1;
    if (slots[2 * slot + 1] === h) {
      if (hashIdentifiesKey(cols.length)) return e - 1;
      const base = (e - 1) * arity;
      let same = true;
      for (let i = 0; i < cols.length; i++) {
        if (data[base + cols[i]!] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return e - 1;
    }
    slot = (slot + 1) & mask;
  }
}
