// Threshold reads (`db.when`) and their withdrawal. A read resolves once its
// fact holds (for a lattice column: once the key's value is at least the one
// given) and stays resolved; it also carries `withdrawn`, a promise that
// resolves if a later run ends without the fact. Which runs can take a fact
// away is what the CALM analysis and the rules' dependencies say: an insert
// withdraws facts only of the non-monotone relations it reaches (a monotone,
// threshold or lattice-monotone relation only gains facts, or grows its
// values, as facts are inserted), a retraction those of the relations that
// depend on the relation it took facts from. The resolved reads of those
// relations are checked again at the end of the next run; no other read is.
// A read of a relation that may lose facts in the run under way (changed
// since the last run) waits for that run's end before it resolves, so it never
// resolves on a fact that run takes away. Once its relation is frozen a read
// can no longer be withdrawn and is let go.

import { analyze } from "../../lang/calm/analyze.js";
import type { CheckedProgram } from "../../lang/model.js";
import { dependents, downstreamOf } from "../../lang/downstream.js";
import type { Relation } from "../storage/relation.js";
import type { Value } from "../storage/values.js";
import type { TupleInput } from "./encode.js";

/** A threshold read that can never be met: its relation was frozen without the fact. */
export class ThresholdUnreachableError extends Error {
  constructor(
    readonly relation: string,
    readonly tuple: TupleInput,
  ) {
    super(`relation "${relation}" was frozen without reaching ${JSON.stringify(tuple, (_, v) => (typeof v === "bigint" ? Number(v) : v))}`);
    this.name = "ThresholdUnreachableError";
  }
}

/** What `withdrawn` resolves with: the read, and what its relation holds for the fact's key now. */
export interface Withdrawal {
  readonly relation: string;
  /** The tuple the read was given. */
  readonly tuple: TupleInput;
  /** For a lattice relation, the key's tuple with the value it holds now; undefined when the key (or the fact) is gone. */
  readonly held: readonly Value[] | undefined;
}

/** What `db.when()` returns: resolves once the fact holds; `withdrawn` resolves if a later run ends without it. */
export type ThresholdRead = Promise<void> & { readonly withdrawn: Promise<Withdrawal> };

/** What the reads need of the database. */
export interface ReadHost {
  /** Whether the fact `cells` holds in `rel` (a lattice column: at least the value). */
  holds(rel: Relation, cells: Int32Array): boolean;
  /** The tuple `rel` holds for the key of `cells`, if any. */
  held(rel: Relation, cells: Int32Array): readonly Value[] | undefined;
}

interface Read {
  readonly relation: Relation;
  readonly cells: Int32Array;
  readonly tuple: TupleInput;
  resolve(): void;
  reject(e: Error): void;
  withdraw(w: Withdrawal): void;
}

export class ThresholdReads {
  /** Reads not resolved yet. */
  private waiting: Read[] = [];
  /** Resolved reads, by relation, until withdrawn or their relation is frozen. */
  private readonly resolved = new Map<string, Read[]>();
  /** Relations that may lose facts by the end of the next run: their resolved reads are checked then. */
  private readonly changing = new Set<string>();
  /** The relations the CALM analysis classifies non-monotone (computed on the first insert that needs it). */
  private nonMonotone: ReadonlySet<string> | undefined;
  /** For each relation, the relations an insert into it may take facts from (non-monotone ones downstream), or a retraction (its dependents). */
  private readonly reach = new Map<string, readonly string[]>();

  constructor(
    private readonly program: CheckedProgram,
    private readonly host: ReadHost,
  ) {}

  /** A threshold read of `cells` (the encoded `tuple`) in `rel`. */
  read(rel: Relation, cells: Int32Array, tuple: TupleInput): ThresholdRead {
    let withdraw!: (w: Withdrawal) => void;
    const withdrawn = new Promise<Withdrawal>((r) => (withdraw = r));
    let promise: Promise<void>;
    // A frozen relation no longer changes: it is read now.
    if ((rel.frozen || !this.changing.has(rel.name)) && this.host.holds(rel, cells)) {
      promise = Promise.resolve();
      this.keep({ relation: rel, cells, tuple, resolve: () => {}, reject: () => {}, withdraw });
    } else if (rel.frozen) {
      promise = Promise.reject(new ThresholdUnreachableError(rel.name, tuple));
    } else {
      promise = new Promise((resolve, reject) => this.waiting.push({ relation: rel, cells, tuple, resolve, reject, withdraw }));
    }
    return Object.assign(promise, { withdrawn });
  }

  /** Facts were added to `relation`: the non-monotone relations it reaches may lose facts in the next run. */
  inserted(relation: string): void {
    let reach = this.reach.get(`+${relation}`);
    if (!reach) {
      this.nonMonotone ??= new Set(analyze(this.program).relations.flatMap((r) => (r.class === "non-monotone" ? [r.name] : [])));
      const nm = this.nonMonotone;
      reach = [...downstreamOf(this.program, relation)].filter((r) => nm.has(r));
      this.reach.set(`+${relation}`, reach);
    }
    for (const r of reach) this.changing.add(r);
  }

  /** Facts were taken from `relation`: every relation that depends on it may lose facts in the next run. */
  retracted(relation: string): void {
    let reach = this.reach.get(`-${relation}`);
    if (!reach) this.reach.set(`-${relation}`, (reach = [...dependents(this.program, relation)]));
    for (const r of reach) this.changing.add(r);
  }

  /** After a round (`final` false) or at the end of a run: settles what the relations now say. */
  notify(final: boolean): void {
    if (final) {
      for (const name of this.changing) this.recheck(name);
      this.changing.clear();
      for (const [name, reads] of this.resolved) if (reads[0]!.relation.frozen) this.resolved.delete(name);
    }
    if (this.waiting.length === 0) return;
    const still: Read[] = [];
    for (const w of this.waiting) {
      // A relation that may still lose facts in this run is read at its end.
      if (!final && this.changing.has(w.relation.name)) still.push(w);
      else if (this.host.holds(w.relation, w.cells)) {
        w.resolve();
        this.keep(w);
      } else if (w.relation.frozen) w.reject(new ThresholdUnreachableError(w.relation.name, w.tuple));
      else still.push(w);
    }
    this.waiting = still;
  }

  /** Withdraws the resolved reads of relation `name` whose fact no longer holds. */
  private recheck(name: string): void {
    const reads = this.resolved.get(name);
    if (!reads) return;
    const kept = reads.filter((r) => {
      if (this.host.holds(r.relation, r.cells)) return true;
      r.withdraw({ relation: name, tuple: r.tuple, held: this.host.held(r.relation, r.cells) });
      return false;
    });
    if (kept.length > 0) this.resolved.set(name, kept);
    else this.resolved.delete(name);
  }

  private keep(r: Read): void {
    if (r.relation.frozen) return;
    const list = this.resolved.get(r.relation.name);
    if (list) list.push(r);
    else this.resolved.set(r.relation.name, [r]);
  }
}
