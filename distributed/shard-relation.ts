// A cluster node's part of a relation. A split relation holds only the rows
// whose split column this node owns (ownerOf of the column's hash: the same
// function on every node, so every node agrees on every row's owner); a
// replicated relation holds every row. While rules run (`routing`), a derived
// tuple another node owns is not kept: it is collected for its owner, once
// (a `sent` relation remembers what left, and for a lattice key the value
// last sent, so a tuple derived again is not sent again), and a new row of a
// replicated relation is kept and collected for every other node. Facts the
// program states are kept only by their owner; rows received from other nodes
// and from the coordinator are already addressed to this node.
//
// Because a node never holds a row it does not own, a rule that reads a
// relation under negation or in an aggregate sees all of that relation's
// rows for the values its node owns, once a barrier says every node is done.

import type { BaseType } from "../lang/model.js";
import type { Lattice } from "../engine/lattices/lattice.js";
import { Relation } from "../engine/storage/relation.js";
import { Collector } from "../engine/parallel/collector.js";
import { ownerOfCell } from "../engine/parallel/partition.js";
import type { SymbolWire } from "./symbol-wire.js";

/** The node's symbols as owners see them, once the run's table is in place (until then, every id is the table's). */
export interface SymbolOwners {
  wire?: SymbolWire;
}

export class ShardRelation extends Relation {
  /** On while rules run: tuples for other nodes are collected, not kept. */
  routing = false;
  /**
   * On while a rule that reads only replicated relations runs: every node
   * derives all its tuples, so each keeps those it owns and sends nothing.
   */
  ownOnly = false;
  /** Tuples collected for each node (index: node), taken by the node's flush. */
  readonly outboxes: Collector[];
  /** What was sent to other nodes (split relations only). */
  private readonly sent: Relation | undefined;
  /** Rows the rules added here (received and given rows not counted). */
  derived = 0;
  /** Whether the split column holds symbols (a symbol made during the run is owned by its text). */
  private readonly symbolColumn: boolean;

  constructor(
    name: string,
    types: readonly BaseType[],
    lattice: Lattice | undefined,
    /** The split column, or -1 for a replicated relation. */
    readonly column: number,
    readonly self: number,
    readonly nodes: number,
    private readonly symbols: SymbolOwners,
  ) {
    super(name, types, lattice);
    this.symbolColumn = column >= 0 && types[column] === "symbol";
    this.outboxes = Array.from({ length: nodes }, () => new Collector(name, types.length, lattice));
    this.sent = column >= 0 ? new Relation(`${name}.sent`, types, lattice) : undefined;
  }

  /** The node owning the tuple in `tmp`. */
  private owner(): number {
    if (this.column < 0) return this.self;
    const cell = this.tmp[this.column]!;
    const wire = this.symbols.wire;
    return this.symbolColumn && wire ? wire.owner(cell) : ownerOfCell(cell, this.nodes);
  }

  override appendAt(slot: number, hash: number): void {
    if (!this.routing) return super.appendAt(slot, hash);
    const owner = this.owner();
    if (owner !== this.self) {
      if (!this.ownOnly) this.forward(owner);
      return;
    }
    super.appendAt(slot, hash);
    this.derived++;
    if (this.column < 0 && !this.ownOnly) this.broadcast();
  }

  override add(): boolean {
    if (!this.routing) return super.add();
    const owner = this.owner();
    if (owner !== this.self) return this.ownOnly ? false : this.forward(owner);
    if (!super.add()) return false;
    this.derived++;
    if (this.column < 0 && !this.ownOnly) this.broadcast();
    return true;
  }

  /** A stated fact: kept by its owner only. */
  override addBase(): boolean {
    if (this.owner() !== this.self) return false;
    return super.addBase();
  }

  /** Collects `tmp` for `owner`, unless the same (or, for a lattice key, a larger) value left already. */
  private forward(owner: number): boolean {
    const sent = this.sent!;
    sent.tmp.set(this.tmp);
    if (!sent.add()) return false;
    const h = sent.unique.hashRow(this.tmp, 0);
    return this.outboxes[owner]!.add(this.tmp, h);
  }

  /** A new row of a replicated relation: every other node gets it. */
  private broadcast(): void {
    const h = this.unique.hashRow(this.tmp, 0);
    for (let k = 0; k < this.nodes; k++) if (k !== this.self) this.outboxes[k]!.add(this.tmp, h);
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
