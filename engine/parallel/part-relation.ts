// One part of a relation split over the shard runtime's nodes — cluster
// nodes, or thread nodes of a stratum whose workers exchange deltas
// (distributed/shard-relation.ts holds it): its routing. A relation is split
// by a hash of one column (ownerOfCell) or replicated (column -1). While rules
// run (`routing`), generated code inserts as into any relation, and:
//
// - a tuple this part owns is kept;
// - a tuple another part owns is not kept but forwarded to it, unless the
//   holder knows it is there already (forward(): a node remembers what it
//   sent);
// - a new row of a replicated relation is kept and broadcast to every other
//   part;
// - with `ownOnly` (a rule every holder runs over replicated inputs alone),
//   each keeps what it owns and sends nothing: the owner derives the rest
//   itself.
//
// Outside rules (`routing` off), rows are added as they come: they were
// addressed to this part.

import { finish, HASH_SEED, mix } from "../storage/hash.js";
import { Relation } from "../storage/relation.js";
import { ownerOfCell } from "./partition.js";

export abstract class PartRelation extends Relation {
  /** On while rules run: tuples for other parts are forwarded, not kept. */
  routing = false;
  /** On while a rule that reads only replicated relations runs: keep what this part owns, send nothing. */
  ownOnly = false;
  /** The split column, or -1 for a replicated relation. */
  column = -1;
  /** This part's index, and how many parts there are. */
  self = 0;
  parts = 1;
  /** Rows the rules added to this part. */
  derived = 0;

  /** The part owning the tuple in `tmp`. */
  protected owner(): number {
    return this.column < 0 ? this.self : ownerOfCell(this.tmp[this.column]!, this.parts);
  }

  /** Forwards `tmp` (its key hashing to `h`) to part `owner`, unless known to be there; whether it went. */
  protected abstract forward(owner: number, h: number): boolean;

  /** A new row of a replicated relation (its key hashing to `h`), kept here: the other parts get it too. */
  protected abstract broadcast(h: number): void;

  override appendAt(slot: number, hash: number): void {
    if (!this.routing) return super.appendAt(slot, hash);
    const owner = this.owner();
    if (owner !== this.self) {
      if (!this.ownOnly) this.forward(owner, hash);
      return;
    }
    super.appendAt(slot, hash);
    this.derived++;
    if (this.column < 0 && !this.ownOnly) this.broadcast(hash);
  }

  override add(): boolean {
    if (!this.routing) return super.add();
    const owner = this.owner();
    if (owner !== this.self) return this.ownOnly ? false : this.forward(owner, this.keyHash());
    if (!super.add()) return false;
    this.derived++;
    if (this.column < 0 && !this.ownOnly) this.broadcast(this.keyHash());
    return true;
  }

  /** The hash of `tmp`'s key (every column but a lattice one), as the unique index hashes it. */
  protected keyHash(): number {
    const k = this.lattice ? this.arity - 1 : this.arity;
    let h = HASH_SEED;
    for (let c = 0; c < k; c++) h = mix(h, this.tmp[c]!);
    return finish(h);
  }
}
