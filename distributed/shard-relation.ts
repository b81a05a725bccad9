// A node's part of a relation (engine/parallel/part-relation.ts routes), on
// a cluster node or a thread node alike. A split relation holds only the rows
// whose split column this node owns; a replicated relation holds every row.
// A tuple for another node is collected for it once: a `sent` relation
// remembers what left (for a lattice key, the value last sent), so a tuple
// derived again is not sent again. A made symbol in the split column is owned
// by its text (symbol-wire.ts), a record or ADT value by its structure
// (record-wire.ts). Facts the program states are kept only by
// their owner; rows received from other nodes and from the coordinator are
// already addressed to this node. While a rule only node 0 runs (it numbers
// its tuples) runs on another node, the relation is muted: it keeps and
// sends nothing.
//
// Because a node never holds a row it does not own, a rule that reads a
// relation under negation or in an aggregate sees all of that relation's
// rows for the values its node owns, once a barrier says every node is done.

import type { BaseType } from "../lang/model.js";
import type { Lattice } from "../engine/lattices/lattice.js";
import { Relation } from "../engine/storage/relation.js";
import { Collector } from "../engine/parallel/collector.js";
import { PartRelation } from "../engine/parallel/part-relation.js";
import type { SymbolWire } from "./symbol-wire.js";
import { RecordWire } from "./record-wire.js";

/** The node's symbols and records as owners see them, once the run's table is in place (until then, every id is the table's). */
export interface SymbolOwners {
  wire?: SymbolWire;
  records?: RecordWire;
}

export class ShardRelation extends PartRelation {
  /** Tuples collected for each node (index: node), taken by the node's flush. */
  readonly outboxes: Collector[];
  /** What was sent to other nodes (split relations only). */
  private readonly sent: Relation | undefined;
  /** Whether the split column holds symbols (a symbol made during the run is owned by its text). */
  private readonly symbolColumn: boolean;

  constructor(
    name: string,
    types: readonly BaseType[],
    lattice: Lattice | undefined,
    column: number,
    self: number,
    nodes: number,
    private readonly symbols: SymbolOwners,
    /** The record or ADT type of the split column, when it holds one: a value is owned by its structure. */
    private readonly record?: string,
  ) {
    super(name, types, lattice);
    this.column = column;
    this.self = self;
    this.parts = nodes;
    this.symbolColumn = column >= 0 && types[column] === "symbol";
    this.outboxes = Array.from({ length: nodes }, () => new Collector(name, types.length, lattice));
    this.sent = column >= 0 ? new Relation(`${name}.sent`, types, lattice) : undefined;
  }

  /** On while a rule only node 0 runs (ShardPlan.solo) runs on another node: with ownOnly, nothing derived is kept or sent. */
  muted = false;

  protected override owner(): number {
    if (this.muted) return this.self === 0 ? 1 : 0;
    const { wire, records } = this.symbols;
    if (this.record !== undefined) {
      const cell = this.tmp[this.column]!;
      if (records) return records.owner(this.record, cell, this.parts);
      // Before the run's tables are in place, the only value a fact can state is a constant: nil.
      if (cell !== 0) throw new Error(`internal: a value of ${this.record} in ${this.name} is owned before the run is set up`);
      return RecordWire.ownerOfNil(this.parts);
    }
    return this.symbolColumn && wire ? wire.owner(this.tmp[this.column]!) : super.owner();
  }

  /** A stated fact: kept by its owner only. */
  override addBase(): boolean {
    if (this.owner() !== this.self) return false;
    return super.addBase();
  }

  protected override forward(owner: number, h: number): boolean {
    const sent = this.sent!;
    sent.tmp.set(this.tmp);
    if (!sent.add()) return false;
    return this.outboxes[owner]!.add(this.tmp, h);
  }

  protected override broadcast(h: number): void {
    for (let k = 0; k < this.parts; k++) if (k !== this.self) this.outboxes[k]!.add(this.tmp, h);
  }

  /** Adds rows addressed to this node (from another node or the coordinator); returns how many changed the relation. */
  receive(rows: Int32Array, count: number): number {
    this.ensureIndexed();
    const a = this.arity;
    let changed = 0;
    for (let i = 0; i < count; i++) {
      this.tmp.set(rows.subarray(i * a, i * a + a));
      if (super.add()) changed++;
    }
    return changed;
  }
}
