// What generated rule code (engine/codegen/rule.ts) reads and calls on the
// relations and indexes it is handed. A Relation provides it on the thread
// that owns the relation; worker threads hand the same code stand-ins over
// shared arrays (engine/parallel/stubs.ts), and shard nodes their parts
// (distributed/shard-relation.ts). Whatever the code touches is named
// here, so a change to it shows up as a type error in every provider.

/** A hash index as generated code probes it (engine/storage/hash-index.ts has the layout). */
export interface RuleIndex {
  /** Slot i is slots[2i] (row + 1, or 0 when empty) and slots[2i + 1] (the key's hash). */
  readonly slots: Int32Array;
  /** Number of slots minus one. */
  readonly mask: number;
  /** Row -> the previous row with the same key, or -1. */
  readonly next: Int32Array;
}

/** A relation as generated code reads it and inserts into it. */
export interface RuleRelation {
  /** Row-major cells. */
  readonly data: Int32Array;
  /** For a lattice relation, 1 for superseded rows. */
  readonly dead: Uint8Array;
  /** Rows before stableEnd are old; rows in [stableEnd, deltaEnd) are the delta. */
  readonly stableEnd: number;
  readonly deltaEnd: number;
  /** The scratch row a head writes before add() or appendAt(). */
  readonly tmp: Int32Array;
  /** The index over the key (set semantics), probed inline by a plain head. */
  readonly unique: Pick<RuleIndex, "slots" | "mask">;
  /** Adds the tuple in tmp (a lattice relation joins its value into the key's). */
  add(): unknown;
  /** Appends the tuple in tmp, known to be absent, into the unique index's empty slot `slot`. */
  appendAt(slot: number, hash: number): void;
}
