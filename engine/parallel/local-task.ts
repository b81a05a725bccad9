// Worker side of a co-partitioned stratum: the worker takes every row whose
// partition column hashes to it out of the shared relations into private
// ones, and runs the stratum's rule versions semi-naively to a local fixpoint
// with no exchange at all (each version reads and writes only rows of one
// partition value). It returns what it added: a plain relation's new rows, a
// lattice relation's keys whose value grew (and the rows those superseded).

import { endRound, Relation } from "../storage/relation.js";
import { int32s } from "../storage/memory.js";
import { MemoryBudget } from "../storage/memory-budget.js";
import type { BaseType } from "../../lang/model.js";
import { instantiate, runTagged } from "./compiled.js";
import { latticeOf } from "./lattice-spec.js";
import type { LocalTask, ShardOut, TaskResult } from "./messages.js";
import { take } from "./take.js";
import { RelationStub } from "./stubs.js";

interface Owned {
  readonly rel: Relation;
  readonly initial: number;
  /** Where each of the first rows is in the shared relation. */
  readonly places: Int32Array;
}

export function runLocal(task: LocalTask): { result: TaskResult } {
  const t0 = performance.now();
  const rels = new Map<string, Relation | RelationStub>();
  for (const v of task.reads) rels.set(v.name, new RelationStub(v, undefined));
  const owned: Owned[] = [];
  const memory = new MemoryBudget(task.memory.limit, task.memory.used);
  for (const { view } of task.shards) {
    const types = new Array<BaseType>(view.arity).fill("number");
    const rel = new Relation(view.name, types, view.lattice && latticeOf(view.lattice));
    rel.maxRows = task.maxRows;
    rel.budget = memory;
    rels.set(view.name, rel);
  }
  // Instantiating creates the indexes the versions use, before any row is added.
  const runs = task.versions.map((code) => {
    const rel = (name: string) => {
      const r = rels.get(name);
      if (!r) throw new Error(`internal: relation ${name} was not sent to the worker`);
      return r;
    };
    const R = code.relations.map(rel);
    const I = code.indexes.map((req) => {
      const r = rel(req.relation);
      return req.columns.length === r.arity ? r.unique : r.index(req.columns);
    });
    return instantiate(code.source, R, I);
  });
  for (const { view, column } of task.shards) {
    const rel = rels.get(view.name) as Relation;
    const { rows, places, stable } = take(view, column, task.worker, task.workers);
    // Distinct rows (distinct keys, in a lattice relation): appended in bulk, then indexed in one go.
    rel.appendRows(rows, places.length);
    rel.ensureIndexed();
    rel.stableEnd = stable;
    rel.deltaEnd = rel.size;
    owned.push({ rel, initial: rel.size, places });
  }
  let rounds = 0;
  while (owned.some((o) => o.rel.deltaEnd > o.rel.stableEnd)) {
    runs.forEach(runTagged);
    endRound(owned.map((o) => o.rel));
    rounds++;
  }
  const out = owned.map((o) => (o.rel.lattice ? grownKeys(o) : newRows(o)));
  return { result: { ok: true, out, rounds, ms: performance.now() - t0 } };
}

/** A plain relation's rows past the shard, copied once into shared memory (growing the shard there costs more than this copy). */
function newRows({ rel, initial }: Owned): ShardOut {
  const rows = int32s((rel.size - initial) * rel.arity, true);
  rows.set(rel.data.subarray(initial * rel.arity, rel.size * rel.arity));
  return { name: rel.name, rows, hashes: new Int32Array(0), count: rel.size - initial };
}

/** A lattice relation's live rows added past the shard (keys that are new or whose value grew), and the rows they superseded. */
function grownKeys({ rel, initial, places }: Owned): ShardOut {
  const a = rel.arity;
  let count = 0;
  for (let r = initial; r < rel.size; r++) if (rel.dead[r] === 0) count++;
  const rows = int32s(count * a, true);
  let k = 0;
  for (let r = initial; r < rel.size; r++) {
    if (rel.dead[r] !== 0) continue;
    rows.set(rel.data.subarray(r * a, r * a + a), k * a);
    k++;
  }
  const died: number[] = [];
  for (let r = 0; r < initial; r++) if (rel.dead[r] !== 0) died.push(places[r]!);
  return { name: rel.name, rows, hashes: new Int32Array(0), count, died: Int32Array.from(died) };
}
