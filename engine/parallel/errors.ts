// The failure of a worker thread (it died, or failed outside the program's own
// evaluation), startWorkers() and closeWorkers(), which start and end the
// worker threads. None loads piscina until threads are asked for:
// single-threaded use never pays for it.

/** A worker thread died or a task failed outside the program's own evaluation. */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerError";
  }
}

let started = false;

/** Called by the pool module when it starts its first pool. */
export function markStarted(): void {
  started = true;
}

/** Starts the worker threads `workers` workers need, in the background (they take tens of milliseconds to boot). */
export function startWorkers(workers: number): void {
  if (workers > 1) void import("./pool.js").then((m) => m.startThreads(workers));
}

/** Destroys every pool of worker threads (idle threads never keep the process alive; this ends them now). */
export async function closeWorkers(): Promise<void> {
  if (!started) return;
  const { destroyPools } = await import("./pool.js");
  await destroyPools();
}
