// A worker's part of a relation while its workers exchange deltas: generated
// code reads and inserts into it exactly as into any relation, but a derived
// tuple whose split column another worker owns is routed to that worker
// instead, and a new tuple of a replicated relation is kept and also sent to
// every other worker. Tuples received from others are inserted with
// `routing` off.

import { finish, HASH_SEED, mix } from "../hash.js";
import { Relation } from "../relation.js";
import type { Router } from "./collector.js";
import { ownerOf } from "./partition.js";

export class RoutedRelation extends Relation {
  /** Off while inserting received tuples: they stay here. */
  routing = false;
  router: Router | undefined;
  /** The split column, or -1 for a replicated relation. */
  column = -1;
  self = 0;
  workers = 1;

  private mine(): boolean {
    return ownerOf(finish(mix(HASH_SEED, this.tmp[this.column]!)), this.workers) === this.self;
  }

  override appendAt(slot: number, hash: number): void {
    if (!this.routing) return super.appendAt(slot, hash);
    if (this.column < 0) {
      super.appendAt(slot, hash);
      this.router!.add(this.tmp, hash);
    } else if (this.mine()) {
      super.appendAt(slot, hash);
    } else {
      this.router!.add(this.tmp, hash);
    }
  }

  override add(): boolean {
    if (!this.routing) return super.add();
    if (this.column < 0) {
      if (!super.add()) return false;
      this.router!.add(this.tmp, this.keyHash());
      return true;
    }
    if (this.mine()) return super.add();
    const lattice = this.lattice;
    if (lattice && this.tmp[this.arity - 1] === lattice.bottom) return false;
    return this.router!.add(this.tmp, this.keyHash());
  }

  /** The hash of `tmp`'s key (every column but a lattice one). */
  private keyHash(): number {
    const k = this.lattice ? this.arity - 1 : this.arity;
    let h = HASH_SEED;
    for (let c = 0; c < k; c++) h = mix(h, this.tmp[c]!);
    return finish(h);
  }
}
