// A worker's part of a relation while its workers exchange deltas
// (part-relation.ts routes): a tuple another worker owns goes to that
// worker's collector unless the owner's part, read through shared memory as
// the superstep began, already holds it (for a lattice key: a value at least
// as large); a new row of a replicated relation goes to the collector every
// other worker reads.

import { findRow } from "../storage/hash-index.js";
import type { Router } from "./collector.js";
import { PartRelation } from "./part-relation.js";

/** Another worker's part of a relation, as much as a probe needs. */
export interface Peer {
  readonly data: Int32Array;
  readonly slots: Int32Array;
  readonly mask: number;
}

export class RoutedRelation extends PartRelation {
  router: Router | undefined;
  /** The other workers' parts of this relation as the superstep began (shared, read-only): a tuple they hold is not sent. */
  peers: (Peer | undefined)[] = [];
  /** The unique index's columns, which the peers' indexes share. */
  private readonly keyColumns = Int32Array.from(this.unique.columns);

  protected override forward(owner: number, h: number): boolean {
    const row = this.peerRow(owner, h);
    const lattice = this.lattice;
    if (lattice) {
      const v = this.tmp[this.arity - 1]!;
      const held = row < 0 ? undefined : this.peers[owner]!.data[row * this.arity + this.arity - 1]!;
      if (held === undefined ? v === lattice.bottom : lattice.join(held, v) === held) return false;
    } else if (row >= 0) {
      return false;
    }
    return this.router!.add(this.tmp, h);
  }

  protected override broadcast(h: number): void {
    this.router!.add(this.tmp, h);
  }

  /** The newest row of worker `w`'s part with `tmp`'s key (hashing to `h`), or -1. */
  private peerRow(w: number, h: number): number {
    const peer = this.peers[w];
    return peer ? findRow(peer.slots, peer.mask, peer.data, this.arity, this.keyColumns, this.tmp, h) : -1;
  }
}
