// The worker threads as the API and the CLI see them: WorkerError, and
// startWorkers() and closeWorkers(), which start and end the threads. The pool
// module is loaded only when they are used, and it loads piscina only when a
// pool is made: single-threaded use never pays for either.

export { WorkerError } from "./worker-error.js";

/** Starts the worker threads `workers` workers need, in the background (they take tens of milliseconds to boot). */
export function startWorkers(workers: number): void {
  if (workers > 1) void import("./pool.js").then((m) => m.startThreads(workers));
}

/** Destroys every pool of worker threads (idle threads never keep the process alive; this ends them now). */
export async function closeWorkers(): Promise<void> {
  const { destroyPools } = await import("./pool.js");
  await destroyPools();
}
