// The piscina task handler each worker thread runs: a co-partitioned stratum
// to its local fixpoint, a part of one round, or one superstep of a stratum
// whose workers exchange deltas. Failures come back as data
// (an evaluation error with the version that raised it), results as
// Int32Arrays over SharedArrayBuffers.

import { EvaluationError } from "../eval/functors.js";
import { GrowthLimitError } from "../storage/relation.js";
import { MemoryLimitError } from "../storage/memory-budget.js";
import { VersionFailure } from "./compiled.js";
import { runLocal } from "./local-task.js";
import { runExchange } from "./exchange-task.js";
import type { ExchangeResult, ExchangeTask, LocalTask, RoundTask, TaskError } from "./messages.js";
import { forget, runRound } from "./round-task.js";

function describe(e: unknown): TaskError {
  const at = e instanceof VersionFailure ? e.at : undefined;
  const cause = e instanceof VersionFailure ? e.cause : e;
  if (cause instanceof EvaluationError) return { kind: "evaluation", message: cause.message, at };
  if (cause instanceof GrowthLimitError) return { kind: "growth", message: cause.message, relation: cause.relation, rows: cause.rows };
  if (cause instanceof MemoryLimitError) {
    return { kind: "memory", message: cause.message, relation: cause.relation, rows: cause.rows, reason: cause.reason };
  }
  const message = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
  return { kind: "internal", message, at };
}

export default function task(t: LocalTask | RoundTask | ExchangeTask | { kind: "ping"; fault?: undefined }): unknown {
  if (t.kind === "ping") return "pong";
  if (t.fault === "exit") process.exit(70);
  try {
    if (t.fault === "throw") throw new Error("fault injected for a test");
    // Results travel in SharedArrayBuffers: sent without a copy, and without piscina's move() (loading piscina here would slow every thread's start).
    return (t.kind === "local" ? runLocal(t) : t.kind === "round" ? runRound(t) : runExchange(t)).result;
  } catch (e) {
    if (t.kind === "round") forget(t.owner);
    const result: ExchangeResult = { ok: false, error: describe(e) };
    return result;
  }
}
