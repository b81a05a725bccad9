// Helpers for the parallel-evaluation tests: run a checked program over facts
// on one thread (runSync) or with workers (run()), and capture either every
// relation's contents as sorted lines or the error, in a comparable form.

import type { CheckedProgram } from "../lang/model.js";
import { Database } from "../engine/database.js";
import { ParallelExecutor, type Mode } from "../engine/parallel/executor.js";
import type { Value } from "../engine/storage/values.js";

export type Outcome = { readonly ok: true; readonly relations: Record<string, string[]> } | { readonly ok: false; readonly error: string };

export type Facts = Record<string, readonly (readonly Value[])[]>;

/** Every relation's contents as sorted lines, comparable across runs. */
export function contents(db: Database, program: CheckedProgram): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of program.relations.keys())
    out[name] = db
      .tuples(name)
      .map((t) => JSON.stringify(t))
      .sort();
  return out;
}

function failure(e: unknown): Outcome {
  if (!(e instanceof Error)) return { ok: false, error: String(e) };
  const span = (e as { span?: { start: unknown } }).span;
  return { ok: false, error: `${e.name}: ${e.message} @ ${JSON.stringify(span?.start ?? null)}` };
}

/** Evaluates on one thread, as runSync() does. */
export function runOne(program: CheckedProgram, facts: Facts): Outcome {
  const db = new Database(program);
  try {
    for (const [rel, rows] of Object.entries(facts)) db.insert(rel, rows);
    db.runSync();
    return { ok: true, relations: contents(db, program) };
  } catch (e) {
    return failure(e);
  }
}

/** Every combination of modes the executor may be restricted to, each making a different path the first choice. */
export const MODE_SETS: readonly (readonly Mode[])[] = [["local", "exchange", "round"], ["exchange", "round"], ["round"]];

/** Evaluates with `workers` threads; threshold 0 sends every eligible round to them; `modes` restricts how. */
export async function runWorkers(
  program: CheckedProgram,
  facts: Facts,
  workers: number,
  threshold = 0,
  modes: readonly Mode[] = MODE_SETS[0]!,
): Promise<Outcome> {
  const saved = ParallelExecutor.modes;
  ParallelExecutor.modes = new Set(modes);
  const db = new Database(program, { workers, parallelThreshold: threshold, parallelAfterMs: 0 });
  try {
    for (const [rel, rows] of Object.entries(facts)) db.insert(rel, rows);
    await db.run();
    return { ok: true, relations: contents(db, program) };
  } catch (e) {
    return failure(e);
  } finally {
    ParallelExecutor.modes = saved;
  }
}
