// Worker side of one semi-naive round of a stratum that is not co-partitioned:
// rule versions run over chunks of their delta against stubs of the shared
// relations (bounds as of the round's start); heads collect candidate tuples,
// already filtered against the relation by the generated inline probe, for the
// coordinator to insert. Stubs and instantiated code are kept per coordinator,
// so repeated rounds reuse warm code.

import { instantiate, runTagged } from "./compiled.js";
import { latticeOf } from "./lattice-spec.js";
import type { RelationView, RoundTask, ShardOut, TaskResult, VersionCode } from "./messages.js";
import type { Collector } from "./collector.js";
import { RelationStub } from "./stubs.js";

interface OwnerState {
  readonly stubs: Map<string, RelationStub>;
  readonly runs: Map<string, () => void>;
}

const owners = new Map<string, OwnerState>();

function state(owner: string): OwnerState {
  let s = owners.get(owner);
  if (!s) {
    // A few coordinators at a time; forget the oldest.
    if (owners.size >= 8) owners.delete(owners.keys().next().value!);
    s = { stubs: new Map(), runs: new Map() };
    owners.set(owner, s);
  }
  return s;
}

function stubOf(s: OwnerState, name: string, view: RelationView): RelationStub {
  let stub = s.stubs.get(name);
  if (!stub || stub.arity !== view.arity) {
    stub = new RelationStub(view, view.lattice && latticeOf(view.lattice));
    s.stubs.set(name, stub);
  }
  return stub;
}

function runOf(s: OwnerState, code: VersionCode, alias: string, views: ReadonlyMap<string, RelationView>): () => void {
  // The same source may serve different relations (versions of the same shape): they are part of the key.
  const key = `${alias}\n${code.relations.join(",")}\n${code.indexes.map((i) => `${i.relation}/${i.columns.join(",")}`).join(";")}\n${code.source}`;
  let run = s.runs.get(key);
  if (!run) {
    const rel = (name: string) => {
      const view = views.get(name === alias ? aliased(alias) : name);
      if (!view) throw new Error(`internal: relation ${name} was not sent to the worker`);
      return stubOf(s, name, view);
    };
    const R = code.relations.map(rel);
    const I = code.indexes.map((req) => rel(req.relation).index(req.columns));
    run = instantiate(code.source, R, I);
    s.runs.set(key, run);
  }
  return run;
}

/** Drops a coordinator's stubs (after a failed task, whose collectors may hold part of a round). */
export function forget(owner: string): void {
  owners.delete(owner);
}

/** The relation an alias stands for: the alias is `name#delta`. */
export function aliased(alias: string): string {
  return alias.slice(0, alias.lastIndexOf("#"));
}

export function runRound(task: RoundTask): { result: TaskResult } {
  const t0 = performance.now();
  const s = state(task.owner);
  const views = new Map(task.views.map((v) => [v.name, v]));
  for (const v of task.views) s.stubs.get(v.name)?.update(v);
  const heads = new Set<Collector>();
  task.jobs.forEach((job, i) => {
    const run = runOf(s, job.code, job.alias, views);
    s.stubs.get(job.alias)!.update(views.get(job.delta)!, job.lo, job.hi);
    heads.add(s.stubs.get(job.code.head)!.sink);
    runTagged(run, i);
  });
  const out: ShardOut[] = [];
  for (const h of heads) {
    if (h.count === 0) continue;
    const o = h.take();
    out.push(o);
  }
  return { result: { ok: true, out, rounds: 1, ms: performance.now() - t0 } };
}
