// A worker's part of a relation while its workers exchange deltas: generated
// code reads and inserts into it exactly as into any relation, but a derived
// tuple whose split column another worker owns is routed to that worker
// instead (unless that worker's part, read through shared memory, already
// holds it), and a new tuple of a replicated relation is kept and also sent
// to every other worker. Tuples received from others are inserted with
// `routing` off.

import { finish, HASH_SEED, mix } from "../storage/hash.js";
import { findRow } from "../storage/hash-index.js";
import { Relation } from "../storage/relation.js";
import type { Router } from "./collector.js";
import { ownerOfCell } from "./partition.js";

/** Another worker's part of a relation, as much as a probe needs. */
export interface Peer {
  readonly data: Int32Array;
  readonly slots: Int32Array;
  readonly mask: number;
}

export class RoutedRelation extends Relation {
  /** Off while inserting received tuples: they stay here. */
  routing = false;
  router: Router | undefined;
  /** The split column, or -1 for a replicated relation. */
  column = -1;
  self = 0;
  workers = 1;
  /** The other workers' parts of this relation as the superstep began (shared, read-only): a tuple they hold is not sent. */
  peers: (Peer | undefined)[] = [];
  /** The unique index's columns, which the peers' indexes share. */
  private readonly keyColumns = Int32Array.from(this.unique.columns);

  private owner(): number {
    return ownerOfCell(this.tmp[this.column]!, this.workers);
  }

  override appendAt(slot: number, hash: number): void {
    if (!this.routing) return super.appendAt(slot, hash);
    if (this.column < 0) {
      super.appendAt(slot, hash);
      this.router!.add(this.tmp, hash);
      return;
    }
    const w = this.owner();
    if (w === this.self) super.appendAt(slot, hash);
    else if (this.peerRow(w, hash) < 0) this.router!.add(this.tmp, hash);
  }

  override add(): boolean {
    if (!this.routing) return super.add();
    if (this.column < 0) {
      if (!super.add()) return false;
      this.router!.add(this.tmp, this.keyHash());
      return true;
    }
    const w = this.owner();
    if (w === this.self) return super.add();
    const lattice = this.lattice;
    const h = this.keyHash();
    if (lattice) {
      const v = this.tmp[this.arity - 1]!;
      const row = this.peerRow(w, h);
      if (
        row < 0
          ? v === lattice.bottom
          : lattice.join(this.peers[w]!.data[row * this.arity + this.arity - 1]!, v) ===
            this.peers[w]!.data[row * this.arity + this.arity - 1]
      )
        return false;
    } else if (this.peerRow(w, h) >= 0) {
      return false;
    }
    return this.router!.add(this.tmp, h);
  }

  /** The newest row of worker `w`'s part with `tmp`'s key (hashing to `h`), or -1. */
  private peerRow(w: number, h: number): number {
    const peer = this.peers[w];
    return peer ? findRow(peer.slots, peer.mask, peer.data, this.arity, this.keyColumns, this.tmp, h) : -1;
  }

  /** The hash of `tmp`'s key (every column but a lattice one). */
  private keyHash(): number {
    const k = this.lattice ? this.arity - 1 : this.arity;
    let h = HASH_SEED;
    for (let c = 0; c < k; c++) h = mix(h, this.tmp[c]!);
    return finish(h);
  }
}
