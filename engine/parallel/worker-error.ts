// The failure of a worker thread: it died, or a task failed outside the
// program's own evaluation (an evaluation error comes back located instead,
// see raise.ts).

/** A worker thread died or a task failed outside the program's own evaluation. */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerError";
  }
}
