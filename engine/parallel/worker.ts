// The piscina task handler each worker thread runs: a co-partitioned stratum
// to its local fixpoint, a part of one round, or a thread node of a stratum
// whose workers exchange deltas (which reports through its ports, and
// resolves when the run ends). Failures come back as data (an evaluation
// error with the version that raised it), results as Int32Arrays over
// SharedArrayBuffers.

import { EvaluationError } from "../eval/functors.js";
import { GrowthLimitError } from "../storage/relation.js";
import { MemoryLimitError } from "../storage/memory-budget.js";
import { VersionFailure } from "./compiled.js";
import { runLocal } from "./local-task.js";
import type { LocalTask, NodeTask, RoundTask, TaskError, TaskResult } from "./messages.js";
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

export default function task(t: LocalTask | RoundTask | NodeTask | { kind: "ping"; fault?: undefined }): unknown {
  if (t.kind === "ping") return "pong";
  if (t.fault === "exit") process.exit(70);
  // A node's evaluation errors go to the coordinator as the shard runtime's "failed" message; anything else fails the task.
  if (t.kind === "node") {
    if (t.fault === "throw") return Promise.reject(new Error("fault injected for a test"));
    // Loaded on first need: threads that only run local or round tasks boot without the shard runtime.
    return import("./node-task.js").then(({ runNode }) => runNode(t));
  }
  try {
    if (t.fault === "throw") throw new Error("fault injected for a test");
    // Results travel in SharedArrayBuffers: sent without a copy, and without piscina's move() (loading piscina here would slow every thread's start).
    return (t.kind === "local" ? runLocal(t) : runRound(t)).result;
  } catch (e) {
    if (t.kind === "round") forget(t.owner);
    const result: TaskResult = { ok: false, error: describe(e) };
    return result;
  }
}
