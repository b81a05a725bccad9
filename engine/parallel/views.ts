// Coordinator side of shared memory: a relation's arrays moved onto
// SharedArrayBuffers (once; they stay there as they grow) and described as a
// view a worker can build stubs from. Sending a view clones only the typed
// array handles: the rows and slots themselves are shared, not copied.

import type { HashIndex } from "../storage/hash-index.js";
import type { Relation } from "../storage/relation.js";
import { specOf } from "./lattice-spec.js";
import type { IndexView, MemoryShare, RelationView, VersionCode } from "./messages.js";
import type { Version } from "../eval/program-runner.js";

function indexView(idx: HashIndex): IndexView {
  return { columns: idx.columns, slots: idx.slots, mask: idx.mask, next: idx.next };
}

/** One of `workers` workers' share of what is left of the memory budget the relations draw on (unbounded when they have none). */
export function shareOfMemory(relations: readonly Relation[], workers: number): MemoryShare {
  const budget = relations[0]?.budget;
  return budget ? budget.share(workers) : { limit: Number.POSITIVE_INFINITY, used: 0 };
}

/** The relation as workers see it now (its bounds included). */
export function viewOf(rel: Relation): RelationView {
  rel.share();
  return {
    name: rel.name,
    arity: rel.arity,
    data: rel.data,
    dead: rel.dead,
    size: rel.size,
    stableEnd: rel.stableEnd,
    deltaEnd: rel.deltaEnd,
    unique: indexView(rel.unique),
    indexes: rel.secondaryIndexes().map(indexView),
    lattice: rel.lattice && specOf(rel.lattice),
  };
}

/** A version's code as sent to workers. */
export function codeOf(v: Pick<Version, "compiled" | "rule">): VersionCode {
  const c = v.compiled;
  return { source: c.source, relations: c.relations, indexes: c.indexes, head: v.rule.head.relation };
}
