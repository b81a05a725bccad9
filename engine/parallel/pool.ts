// The worker threads: evaluating with N workers runs one task on the calling
// thread and the others on a piscina pool of N - 1 threads (so -j 2 on two
// cores is two busy threads, not three), one pool per size, shared by every
// runner in the process and started on first need. Idle threads do not keep
// the process alive; a failed task destroys its pool (the next run starts a
// fresh one), and destroyPools() (closeWorkers() in the API) destroys them all.

import { createRequire } from "node:module";
import type { MessagePort } from "node:worker_threads";
import type { Piscina } from "piscina";
import { WorkerError } from "./worker-error.js";
import type { LocalTask, NodeTask, RoundTask, TaskResult } from "./messages.js";

const pools = new Map<number, Piscina>();
/** Pools whose threads have all answered a first task. */
const ready = new WeakSet<Piscina>();
/** Why a pool failed outside any task (a thread that could not start, say). */
const broken = new WeakMap<Piscina, unknown>();

/**
 * The worker threads' module: the compiled one next to this file; the bundled
 * one next to the bundled command line (dist/cairn.mjs, scripts/bundle.mjs);
 * or, running from TypeScript sources (as the tests do), a loader for it.
 */
function workerFile(): string {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return new URL("./dev-worker.mjs", here).href;
  if (here.endsWith("/cairn.mjs")) return new URL("./cairn-worker.mjs", here).href;
  return new URL("./worker.js", here).href;
}

/** Starts the threads that `workers` workers need (all but the calling one); they boot in the background. */
export function startThreads(workers: number): void {
  if (workers > 1) pool(workers - 1);
}

/** The pool of `threads` threads, started if needed (threads boot in the background). */
function pool(threads: number): Piscina {
  let p = pools.get(threads);
  if (!p) {
    // Loaded on first need: a run that never starts threads never pays for loading piscina.
    const { Piscina } = createRequire(import.meta.url)("piscina") as typeof import("piscina");
    p = new Piscina({
      filename: workerFile(),
      minThreads: threads,
      maxThreads: threads,
      // Rounds and strata come in bursts; keep threads (and their warm code) between them.
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
      // Flags for the main module only (--input-type) would stop a thread from starting.
      execArgv: process.execArgv.filter((a) => !a.startsWith("--input-type")),
    });
    // A thread failing outside a task would be replaced, and fail again, forever: end the pool, which fails its tasks.
    const failing = p;
    p.on("error", (e: unknown) => {
      broken.set(failing, e);
      if (pools.get(threads) === failing) void discard(threads);
    });
    pools.set(threads, p);
    // Threads boot in tens of milliseconds; the executor keeps working on this thread until they answer.
    void Promise.all(Array.from({ length: threads }, () => failing.run({ kind: "ping" })))
      .then(() => ready.add(failing))
      .catch(() => {});
  }
  return p;
}

/** Whether the threads `workers` workers need have all answered. */
export function threadsReady(workers: number): boolean {
  const p = pools.get(workers - 1);
  return workers <= 1 || (p !== undefined && ready.has(p));
}

/** Destroys the pool of `threads` threads (after a failure: its threads may be gone or busy). */
async function discard(threads: number): Promise<void> {
  const p = pools.get(threads);
  if (!p) return;
  pools.delete(threads);
  await p.destroy().catch(() => {});
}

/** Destroys every pool; later runs start new ones. */
export async function destroyPools(): Promise<void> {
  await Promise.all([...pools.keys()].map(discard));
}

type Task = LocalTask | RoundTask;
type Result = TaskResult;

let inline: ((t: Task) => Result) | undefined;

/**
 * Runs a thread node (exchange-mode.ts) on a thread of the pool for
 * `workers` workers, until its run ends. A task that throws or a thread that
 * dies destroys the pool and rejects with a WorkerError.
 */
export async function runNodeOnThread(workers: number, task: NodeTask, transfers: readonly MessagePort[]): Promise<void> {
  const threads = Math.max(1, workers - 1);
  const p = pool(threads);
  try {
    await p.run(task, { transferList: transfers as never });
  } catch (reason) {
    if (pools.get(threads) === p) await discard(threads);
    const why = broken.get(p) ?? reason;
    throw new WorkerError(`a worker thread failed: ${why instanceof Error ? why.message : String(why)}`);
  }
}

/**
 * Runs the tasks, the first on this thread and the others on the pool, and
 * waits for all of them (so nothing is left running on shared memory). A task
 * whose thread died, or that failed outside the program's evaluation, fails
 * the whole call with a WorkerError and destroys the pool.
 */
export async function runAll(workers: number, tasks: readonly Task[], transfers: readonly ArrayBuffer[][] = []): Promise<TaskResult[]> {
  const threads = Math.max(1, workers - 1);
  const p = tasks.length > 1 ? pool(threads) : undefined;
  const sent = tasks.slice(1).map((t, i) => p!.run(t, { transferList: transfers[i + 1] ?? [] }) as Promise<Result>);
  inline ??= (await import("./worker.js")).default as (t: Task) => Result;
  // The calling thread's share (a test's injected fault is for the threads).
  let first: Result | undefined;
  let failure: unknown;
  try {
    if (tasks.length > 0) first = inline({ ...tasks[0]!, fault: undefined });
  } catch (e) {
    failure = e;
  }
  const settled = await Promise.allSettled(sent);
  if (failure) throw failure;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    if (pools.get(threads) === p) await discard(threads);
    const reason = broken.get(p!) ?? failed.reason;
    const why = reason instanceof Error ? reason.message : String(reason);
    throw new WorkerError(`a worker thread failed: ${why}`);
  }
  const results = [...(first ? [first] : []), ...settled.map((s) => (s as PromiseFulfilledResult<Result>).value)];
  const internal = results.find((r) => !r.ok && r.error.kind === "internal");
  if (internal && !internal.ok) {
    if (p && pools.get(threads) === p) await discard(threads);
    throw new WorkerError(`a worker thread failed: ${internal.error.message}`);
  }
  return results;
}
