// Coordinator side of one parallel semi-naive round, for strata that are not
// co-partitioned: each worker runs every eligible rule version over its slice
// of the version's delta (a variant of the version whose delta atom reads an
// alias of its relation, so the slice bounds touch nothing else), while the
// coordinator runs the versions only it can (string functors, autoinc, set
// values). Workers send back candidate tuples; the coordinator inserts them.

import { readingAlias } from "../plan/rename.js";
import type { ProgramRunner, StratumRun, Version } from "../eval/program-runner.js";
import type { Relation } from "../storage/relation.js";
import type { Fault, RoundJob, RoundTask, VersionCode } from "./messages.js";
import { runAll } from "./pool.js";
import { pureSource, workerHead } from "./purity.js";
import { raise } from "./raise.js";
import { viewOf } from "./views.js";

interface Variant {
  readonly version: Version;
  readonly code: VersionCode;
  readonly alias: string;
  readonly delta: Relation;
}

export interface RoundPlan {
  readonly parallel: readonly Variant[];
  /** Versions the coordinator runs itself. */
  readonly serial: readonly Version[];
  /** Every relation the variants mention. */
  readonly reads: readonly Relation[];
}

const base = (name: string) => (name.endsWith("#delta") ? name.slice(0, -"#delta".length) : name);

/** The version recompiled with its delta atom reading `name#delta`, a relation of its own in the generated code. */
function variant(runner: ProgramRunner, v: Version): Variant {
  const atom = v.rule.body[v.deltaAtom!] as { relation: string };
  const alias = `${atom.relation}#delta`;
  const compiled = runner.generate(readingAlias(v.plan!, v.deltaAtom!, alias), (r) => runner.relation(base(r)).arity);
  // Workers find these indexes in the views; make sure the coordinator has them.
  for (const req of compiled.indexes) {
    const rel = runner.relation(base(req.relation));
    if (req.columns.length < rel.arity) rel.index(req.columns);
  }
  const code: VersionCode = {
    source: compiled.source,
    relations: compiled.relations,
    indexes: compiled.indexes,
    head: v.rule.head.relation,
  };
  return { version: v, code, alias, delta: runner.relation(atom.relation) };
}

export function planRound(runner: ProgramRunner, plan: StratumRun): RoundPlan {
  const parallel: Variant[] = [];
  const serial: Version[] = [];
  for (const v of plan.step) {
    const ok = v.deltaAtom !== undefined && pureSource(v.compiled.source) && workerHead(runner.relation(v.rule.head.relation));
    if (ok) parallel.push(variant(runner, v));
    else serial.push(v);
  }
  const reads = new Set<Relation>();
  for (const p of parallel) for (const r of p.code.relations) reads.add(runner.relation(base(r)));
  return { parallel, serial, reads: [...reads] };
}

/** Delta rows the parallel variants would read this round. */
export function parallelDelta(rp: RoundPlan): number {
  let n = 0;
  for (const p of rp.parallel) n += p.delta.deltaEnd - p.delta.stableEnd;
  return n;
}

/** One round: workers take the variants, the coordinator its own versions, then inserts what the workers found. */
export async function runRound(runner: ProgramRunner, rp: RoundPlan, workers: number, owner: string, fault?: Fault): Promise<void> {
  const views = rp.reads.map(viewOf);
  const jobs: RoundJob[][] = Array.from({ length: workers }, () => []);
  const versions: Version[][] = Array.from({ length: workers }, () => []);
  for (const p of rp.parallel) {
    const lo = p.delta.stableEnd;
    const n = p.delta.deltaEnd - lo;
    if (n <= 0) continue;
    for (let w = 0; w < workers; w++) {
      const a = lo + Math.floor((n * w) / workers);
      const b = lo + Math.floor((n * (w + 1)) / workers);
      if (b <= a) continue;
      jobs[w]!.push({ code: p.code, alias: p.alias, delta: p.delta.name, lo: a, hi: b });
      versions[w]!.push(p.version);
    }
  }
  const busy = jobs.map((_, w) => w).filter((w) => jobs[w]!.length > 0);
  const tasks: RoundTask[] = busy.map((w) => ({ kind: "round", owner, views, jobs: jobs[w]!, fault }));
  const pending = tasks.length > 0 ? runAll(workers, tasks) : Promise.resolve([]);
  let failure: unknown;
  try {
    for (const v of rp.serial) runner.runVersion(v);
  } catch (e) {
    failure = e;
  }
  const results = await pending;
  if (failure) throw failure;
  results.forEach((r, i) => {
    if (!r.ok) raise(r.error, (at) => versions[busy[i]!]![at]?.rule);
  });
  for (const r of results) {
    if (!r.ok) continue;
    for (const o of r.out) {
      const rel = runner.relation(o.name);
      const a = rel.arity;
      if (a === 0) {
        rel.add();
        continue;
      }
      for (let i = 0; i < o.count; i++) {
        rel.tmp.set(o.rows.subarray(i * a, i * a + a));
        rel.add();
      }
    }
  }
}
