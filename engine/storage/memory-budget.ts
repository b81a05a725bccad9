// The memory budget of a run: the bytes that every relation's rows and indexes
// and the symbol table's strings may take together. A relation asks before it
// grows an array (growth doubles, so asking is rare) and gives back what it
// outgrew; the symbol table asks for each new string. A request the budget
// cannot grant is a MemoryLimitError naming the relation that was growing and
// its size, raised before the allocation, so a program that never stops
// deriving (`n(x + 1) :- n(x).`) ends with an error instead of exhausting the
// machine. Strings live in the JavaScript heap, whose own limit is smaller
// than the machine's memory: symbols may take at most half of it.
// The default budget is half the memory of the machine (or of the process's
// cgroup, when that is smaller).

import { heapLimit, machineMemory } from "../runtime.js";

const MIB = 1 << 20;

/** Bytes a string of `length` characters is counted as in the symbol table (two a character, and the table's own entry). */
export function symbolBytes(length: number): number {
  return 2 * length + 64;
}

/** Half the memory this process may use: the machine's, or its cgroup's when that is smaller. */
export function defaultMemoryLimit(): number {
  return Math.floor(machineMemory() / 2);
}

/** Bytes as whole mebibytes, for messages. */
export function mib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / MIB))} MiB`;
}

/** A relation could not grow: the budget would be exceeded (or the system refused the memory). */
export class MemoryLimitError extends RangeError {
  constructor(
    /** The relation that was growing, once known (the symbol table does not know it). */
    readonly relation: string | undefined,
    /** Its rows when it stopped. */
    readonly rows: number,
    /** What ran out. */
    readonly reason: string,
  ) {
    super(
      relation === undefined
        ? `the memory budget is used up: ${reason}`
        : `relation "${relation}" stopped growing at ${rows} row${rows === 1 ? "" : "s"}: ${reason}`,
    );
    this.name = "MemoryLimitError";
  }

  /** The same error for `relation`, which was growing when the budget ran out. */
  of(relation: string, rows: number): MemoryLimitError {
    return this.relation === undefined ? new MemoryLimitError(relation, rows, this.reason) : this;
  }
}

export class MemoryBudget {
  /** Bytes taken so far. */
  used = 0;
  /** Of those, bytes taken by symbols. */
  private text = 0;
  /** The most bytes symbols may take: half the JavaScript heap, or the whole budget if that is smaller. */
  readonly textLimit: number;

  constructor(
    /** The most bytes everything may take. */
    readonly limit: number = defaultMemoryLimit(),
    /** Bytes already taken (elsewhere: a worker thread's share of a run's budget starts with what the run took). */
    used = 0,
  ) {
    this.used = used;
    this.textLimit = Math.min(limit, Math.floor(heapLimit() / 2));
  }

  /** Bytes not taken yet. */
  get left(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** One of `parts` worker threads' share of what is left, as the budget it starts from (see constructor). */
  share(parts: number): { readonly limit: number; readonly used: number } {
    return { limit: this.limit, used: this.limit - Math.floor(this.left / parts) };
  }

  /** Takes `bytes` for the arrays of `relation` (now `rows` rows); negative gives bytes back. Throws MemoryLimitError, taking nothing, past the limit. */
  take(bytes: number, relation: string, rows: number): void {
    if (bytes > 0 && this.used + bytes > this.limit) {
      throw new MemoryLimitError(
        relation,
        rows,
        `its rows and indexes, with everything else, would take more than the memory budget of ${mib(this.limit)}`,
      );
    }
    this.used += bytes;
  }

  /** Takes `bytes` for a new symbol. Throws MemoryLimitError (not knowing the relation), taking nothing, past either limit. */
  takeText(bytes: number): void {
    if (this.used + bytes > this.limit) {
      throw new MemoryLimitError(
        undefined,
        0,
        `symbols, with everything else, would take more than the memory budget of ${mib(this.limit)}`,
      );
    }
    if (this.text + bytes > this.textLimit) {
      throw new MemoryLimitError(
        undefined,
        0,
        `symbols would take more than ${mib(this.textLimit)}, half of the JavaScript heap (node --max-old-space-size sets it)`,
      );
    }
    this.text += bytes;
    this.used += bytes;
  }
}
