// Coordinator side of a co-partitioned stratum (see partition.ts): every
// relation is split by a hash of its partition column, each worker taking its
// part out of the shared relations, and reaching its local fixpoint; then the
// coordinator appends what they derived. Parts never overlap, so new rows are appended as they are, with
// no key comparison (a lattice key's superseded row is marked dead), and the
// indexes take them when something needs them (Relation.ensureIndexed).

import type { StratumRun } from "../eval/program-runner.js";
import type { Relation } from "../storage/relation.js";
import type { LocalTask, TaskResult, VersionCode } from "./messages.js";
import { runAll } from "./pool.js";
import { trace } from "./policy.js";
import { raise } from "./raise.js";
import { shareOfMemory, viewOf } from "./views.js";

export interface LocalPlan {
  readonly partition: ReadonlyMap<string, number>;
  readonly codes: readonly VersionCode[];
  /** Relations of earlier strata the versions read. */
  readonly reads: readonly Relation[];
}

/** Runs the rest of the stratum's fixpoint on the workers; returns the most rounds any worker took. */
export async function runLocal(plan: StratumRun, local: LocalPlan, workers: number, fault?: LocalTask["fault"]): Promise<number> {
  const t0 = performance.now();
  // Each worker takes its own rows out of the shared relations (in parallel, not here).
  const shards = plan.relations.map((rel) => ({ view: viewOf(rel), column: local.partition.get(rel.name)! }));
  const reads = local.reads.map(viewOf);
  const maxRows = Math.min(...plan.relations.map((r) => r.maxRows));
  const memory = shareOfMemory(plan.relations, workers);
  const tasks = Array.from(
    { length: workers },
    (_, worker): LocalTask => ({ kind: "local", worker, workers, versions: local.codes, shards, reads, maxRows, memory, fault }),
  );
  const t1 = performance.now();
  const results = await runAll(workers, tasks);
  const t2 = performance.now();
  for (const r of results) if (!r.ok) raise(r.error, (at) => plan.step[at]?.rule);
  const rounds = merge(plan.relations, results);
  const t3 = performance.now();
  trace(() => {
    const work = results.map((r) => (r.ok ? r.ms.toFixed(0) : "-")).join("/");
    return `local stratum: share ${(t1 - t0).toFixed(1)} ms, workers ${(t2 - t1).toFixed(1)} ms (busy ${work} ms), merge ${(t3 - t2).toFixed(1)} ms, ${rounds} rounds`;
  });
  return rounds;
}

/** Appends what the workers derived; a lattice relation's superseded rows are marked dead. */
function merge(relations: readonly Relation[], results: readonly TaskResult[]): number {
  let rounds = 0;
  for (const rel of relations) {
    for (const r of results) {
      if (!r.ok) continue;
      for (const o of r.out) {
        if (o.name !== rel.name) continue;
        if (o.died) for (const d of o.died) rel.supersede(d);
        rel.appendRows(o.rows, o.count);
      }
    }
  }
  for (const r of results) if (r.ok) rounds = Math.max(rounds, r.rounds);
  return rounds;
}
