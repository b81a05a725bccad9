// Helpers for the cluster tests: a program's source as a cluster ships it,
// the single-process answer, and a run on the simulated network, each as
// every relation's contents (sorted lines) or the failure, comparable.

import { compile } from "../../index.js";
import { Database } from "../../engine/database.js";
import type { CheckedProgram } from "../../lang/model.js";
import { contents, type Facts, type Outcome } from "../parallel-util.js";
import { clusterLimits } from "../../distributed/shard-plan.js";
import type { ClusterRunStats } from "../../distributed/run-cluster.js";
import type { ProgramSource } from "../../distributed/wire.js";
import { type Faults, simulateCluster } from "./sim-network.js";
import type { FunctorModule } from "../../distributed/functor-module.js";
import type { UserFunctor } from "../../engine/eval/functors.js";

export type { Facts, Outcome };

export function sourceOf(text: string, entry = "p.dl"): ProgramSource {
  return { entry, files: [[entry, text]], includeDirs: [], defines: {} };
}

/** The failure as its class and message (which node noticed it does not matter). */
function failure(e: unknown): Outcome {
  return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** A functors module as a cluster ships it, and its functions as one process takes them. */
export interface Functors {
  readonly module: FunctorModule;
  readonly loaded: Record<string, UserFunctor>;
}

export function loaded(program: CheckedProgram, facts: Facts, functors?: Functors): Database {
  const db = new Database(program, { functors: functors?.loaded });
  for (const [rel, rows] of Object.entries(facts)) db.insert(rel, rows);
  return db;
}

export function single(program: CheckedProgram, facts: Facts, functors?: Functors): Outcome {
  const db = loaded(program, facts, functors);
  try {
    db.runSync();
  } catch (e) {
    return failure(e);
  }
  return { ok: true, relations: contents(db, program) };
}

/** Runs `text` on `nodes` simulated nodes; every relation is collected. */
export function simulated(text: string, facts: Facts, nodes: number, seed: number, faults?: Faults, functors?: Functors) {
  return simulatedProgram(compile(text, { file: "p.dl" }).checked, sourceOf(text), facts, nodes, seed, faults, functors);
}

/** Runs `program` (compiled from `source`) on `nodes` simulated nodes; every relation is collected. */
export async function simulatedProgram(
  program: CheckedProgram,
  source: ProgramSource,
  facts: Facts,
  nodes: number,
  seed: number,
  faults?: Faults,
  functors?: Functors,
): Promise<{ outcome: Outcome; stats?: ClusterRunStats }> {
  const db = loaded(program, facts, functors);
  const limits = clusterLimits(program, { functors: functors !== undefined });
  if (limits.length > 0) throw new Error(`not for a cluster: ${limits[0]!.message}`);
  try {
    const stats = await simulateCluster({
      program,
      source,
      runner: db.runner,
      nodes,
      seed,
      faults,
      functors,
      collect: [...program.relations.keys()],
    });
    return { outcome: { ok: true, relations: contents(db, program) }, stats };
  } catch (e) {
    return { outcome: failure(e) };
  }
}
