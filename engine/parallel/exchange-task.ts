// Worker side of one superstep of a stratum whose workers exchange deltas:
// take over this worker's part of every relation from its shared arrays,
// insert the rows sent to it (joins for lattice keys), and run the rule
// versions over the rows new since the last superstep. A derived tuple this
// worker owns is inserted at once, as on one thread, and the worker goes on
// with rounds over its own new rows for a while; a tuple another worker owns
// is routed to it (routed-relation.ts). A thread keeps its relation objects
// and instantiated code for the stratum between supersteps (whichever part
// it gets), so the code stays warm, and lets go of the arrays after each task.

import type { BaseType } from "../../lang/model.js";
import { endRound, type RelationState } from "../storage/relation.js";
import { MemoryBudget } from "../storage/memory-budget.js";
import { Router } from "./collector.js";
import { instantiate, runTagged } from "./compiled.js";
import { latticeOf } from "./lattice-spec.js";
import type { ExchangeResult, ExchangeTask, RelationView, ShardOut, VersionCode } from "./messages.js";
import { RoutedRelation } from "./routed-relation.js";
import { RelationStub } from "./stubs.js";
import { take } from "./take.js";

interface Warm {
  readonly rels: RoutedRelation[];
  readonly reads: Map<string, RelationStub>;
  readonly runs: Map<string, () => void>;
}

const warm = new Map<string, Warm>();

/** Local rounds a worker may run in one superstep, and for how long. */
const LOCAL_ROUNDS = 64;
const LOCAL_MS = 50;

/** An index with no arrays worth keeping. */
const noIndex = <T extends { columns: readonly number[] }>(i: T): T => ({
  ...i,
  slots: new Int32Array(2),
  mask: 0,
  next: new Int32Array(0),
});

/** The view (or state) with its arrays replaced by empty ones, so holding it keeps no memory alive. */
function emptyView(v: RelationView): RelationView {
  return { ...v, data: new Int32Array(0), dead: new Uint8Array(0), unique: noIndex(v.unique), indexes: v.indexes.map(noIndex) };
}
function emptyState(s: RelationState): RelationState {
  return { ...s, data: new Int32Array(0), dead: new Uint8Array(0), unique: noIndex(s.unique), indexes: s.indexes.map(noIndex) };
}

function objectsFor(task: ExchangeTask): Warm {
  let w = warm.get(task.run);
  // A first superstep starts from fresh objects (this thread may have run another part already).
  if (!w || task.sources) {
    if (warm.size >= 4) warm.delete(warm.keys().next().value!);
    const memory = new MemoryBudget(task.memory.limit, task.memory.used);
    const rels = task.relations.map((spec) => {
      const lattice = spec.lattice && latticeOf(spec.lattice);
      const rel = new RoutedRelation(spec.name, new Array<BaseType>(spec.arity).fill("number"), lattice);
      rel.column = spec.column;
      rel.parts = task.workers;
      rel.maxRows = task.maxRows;
      rel.budget = memory;
      rel.router = new Router(spec.name, spec.arity, lattice, spec.column, task.workers);
      return rel;
    });
    w = { rels, reads: new Map(task.reads.map((v) => [v.name, new RelationStub(v, undefined)])), runs: new Map() };
    warm.set(task.run, w);
  }
  return w;
}

function runOf(w: Warm, code: VersionCode): () => void {
  const key = `${code.relations.join(",")}\n${code.indexes.map((i) => `${i.relation}/${i.columns.join(",")}`).join(";")}\n${code.source}`;
  let run = w.runs.get(key);
  if (!run) {
    const rel = (n: string) => w.rels.find((r) => r.name === n) ?? w.reads.get(n)!;
    const R = code.relations.map(rel);
    const I = code.indexes.map((req) => {
      const r = rel(req.relation);
      return req.columns.length === r.arity ? r.unique : r.index(req.columns);
    });
    run = instantiate(code.source, R, I);
    w.runs.set(key, run);
  }
  return run;
}

export function runExchange(task: ExchangeTask): { result: ExchangeResult } {
  const t0 = performance.now();
  const w = objectsFor(task);
  const { rels } = w;
  const first = task.sources ? load(rels, task) : undefined;
  rels.forEach((r, i) => {
    if (task.state) r.importState(task.state[i]!);
    r.self = task.worker;
    r.routing = false;
    r.peers = task.peers.map((p, k) =>
      k === task.worker || !p[i] ? undefined : { data: p[i]!.data, slots: p[i]!.unique.slots, mask: p[i]!.unique.mask },
    );
  });
  for (const o of task.inbox) {
    const rel = rels.find((r) => r.name === o.name)!;
    const a = rel.arity;
    for (let i = 0; i < o.count; i++) {
      rel.tmp.set(o.rows.subarray(i * a, i * a + a));
      rel.add();
    }
  }
  let delta = 0;
  for (const rel of rels) {
    if (!first) {
      rel.syncIndexes();
      rel.stableEnd = rel.deltaEnd;
      rel.deltaEnd = rel.size;
    }
    delta += rel.deltaEnd - rel.stableEnd;
  }
  const base = rels.map((r) => r.size);
  const out: ShardOut[] = [];
  try {
    if (delta > 0 && task.versions.length > 0) {
      for (const v of task.reads) w.reads.get(v.name)!.update(v);
      const runs = task.versions.map((code) => runOf(w, code));
      // Rounds over this worker's own new rows go on here (fewer supersteps); rows for others wait for the next one.
      for (let round = 0, t = performance.now(); ; round++) {
        for (const r of rels) r.routing = true;
        runs.forEach(runTagged);
        for (const r of rels) r.routing = false;
        const fresh = rels.reduce((n, r) => n + r.size - r.deltaEnd, 0);
        if (fresh === 0 || round + 1 >= LOCAL_ROUNDS || performance.now() - t >= LOCAL_MS) break;
        endRound(rels);
      }
      for (const r of rels) {
        r.routing = false;
        r.router!.parts.forEach((c, dest) => {
          if (c.count > 0) out.push({ ...c.take(), dest: r.column < 0 ? -1 : dest, except: task.worker });
        });
      }
    }
  } finally {
    // Let go of the shared arrays until the next superstep (and of a failed superstep's half-collected rows).
    for (const v of task.reads) w.reads.get(v.name)!.update(emptyView(v));
    for (const r of rels) r.peers = [];
    for (const r of rels) for (const c of r.router!.parts) if (c.count > 0) c.take();
  }
  const grew = rels.reduce((n, r, i) => n + r.size - base[i]!, 0);
  const state = rels.map((r) => r.exportState());
  rels.forEach((r, i) => r.importState(emptyState(state[i]!)));
  return { result: { ok: true, state, out, base, grew, ms: performance.now() - t0, places: first?.places, stable: first?.stable } };
}

/** First superstep: this worker's part of each relation, taken out of the shared relations; its delta is theirs. */
function load(rels: readonly RoutedRelation[], task: ExchangeTask): { places: Int32Array[]; stable: number[] } {
  const places: Int32Array[] = [];
  const stable: number[] = [];
  rels.forEach((rel, i) => {
    const t = take(task.sources![i]!, task.relations[i]!.column, task.worker, task.workers);
    rel.share();
    for (const cols of task.relations[i]!.indexes) rel.index(cols);
    rel.appendRows(t.rows, t.places.length);
    rel.ensureIndexed();
    rel.stableEnd = t.stable;
    rel.deltaEnd = rel.size;
    places.push(t.places);
    stable.push(t.stable);
  });
  return { places, stable };
}
