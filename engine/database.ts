// The embedded database, shaped like an LVar store: insert() joins facts in,
// run() reaches the fixpoint (later runs continue from it), tuples() reads the
// current contents, when() is a threshold read that resolves once a fact holds
// (for a lattice column: once the value is at least the one given), on()
// watches the changes (engine/watch.ts), freeze() gives the exact contents and turns
// any later change into a FrozenRelationError.

import type { BaseType, CheckedProgram, RelationInfo } from "../lang/model.js";
import type { LatticeIO } from "./lattices/lattice-io.js";
import { ProgramRunner, type RunnerOptions } from "./eval/program-runner.js";
import { runParallel } from "./parallel/run-async.js";
import { FrozenRelationError, type Relation } from "./storage/relation.js";
import { MemoryLimitError } from "./storage/memory-budget.js";
import { encode, type Value } from "./storage/values.js";
import { decodeRow } from "./storage/decode-row.js";
import { type ChangeKind, Watchers } from "./watch.js";
import { countRetracted, dependents, retractFacts } from "./eval/retract.js";
import { Explainer, type Proof, type WhyNot } from "./eval/provenance.js";

export { FrozenRelationError, GrowthLimitError } from "./storage/relation.js";
export { MemoryLimitError } from "./storage/memory-budget.js";

export type Tuple = readonly Value[];
export type { ChangeKind } from "./watch.js";
export type { Proof, RuleRef, WhyNot } from "./eval/provenance.js";

export class UnknownRelationError extends Error {
  constructor(readonly relation: string) {
    super(`relation "${relation}" is not declared in the program`);
    this.name = "UnknownRelationError";
  }
}

/** A threshold read that can never be met: its relation was frozen without the fact. */
export class ThresholdUnreachableError extends Error {
  constructor(
    readonly relation: string,
    readonly tuple: Tuple,
  ) {
    super(`relation "${relation}" was frozen without reaching ${JSON.stringify(tuple)}`);
    this.name = "ThresholdUnreachableError";
  }
}

/** freeze() before the database reached its fixpoint (facts inserted and not yet run). */
export class NotQuiescentError extends Error {
  constructor(readonly relation: string) {
    super(`cannot freeze "${relation}": facts were inserted since the last run(); run() first`);
    this.name = "NotQuiescentError";
  }
}

interface Waiter {
  readonly relation: Relation;
  readonly cells: Int32Array;
  readonly tuple: Tuple;
  resolve(): void;
  reject(e: Error): void;
}

export class Database {
  /** The runner that owns the relations; exposed for the CLI and tools. */
  readonly runner: ProgramRunner;
  private waiters: Waiter[] = [];
  private readonly watchers = new Watchers<Tuple>();
  private pending = false;
  /** The explanations' own run, kept while the given facts stay as they are. */
  private explainer: { readonly at: number; readonly of: Explainer } | undefined;
  /** Counts changes to the given facts (insert, retract), so that a kept explanation run is known to be stale. */
  private changes = 0;

  constructor(
    readonly program: CheckedProgram,
    options: RunnerOptions = {},
  ) {
    this.runner = new ProgramRunner(program, options);
    this.runner.onRound = () => this.notify(false);
  }

  private info(relation: string): RelationInfo {
    const info = this.program.relations.get(relation);
    if (!info) throw new UnknownRelationError(relation);
    return info;
  }

  /** Writes `t` as cells of `relation` into `out` at `at`; throws a TypeError naming the column that does not fit. */
  private encodeInto(relation: string, types: readonly BaseType[], io: LatticeIO | undefined, t: Tuple, out: Int32Array, at: number): void {
    const n = types.length;
    if (t.length !== n) throw new TypeError(`relation "${relation}" has ${n} columns, got a tuple of ${t.length}`);
    const symbols = this.runner.symbols;
    for (let c = 0; c < n; c++) {
      const v = t[c]!;
      if (io && c === n - 1) {
        const cell = io.fromValue(v);
        if (cell === undefined)
          throw new TypeError(`column ${c + 1} of "${relation}" holds ${io.lattice.name} values, got ${JSON.stringify(v)}`);
        out[at + c] = cell;
        continue;
      }
      const type = types[c]!;
      if ((type === "symbol") !== (typeof v === "string")) {
        throw new TypeError(`column ${c + 1} of "${relation}" has type ${type}, got ${JSON.stringify(v)}`);
      }
      out[at + c] = encode(type, v, symbols);
    }
  }

  private encodeTuple(relation: string, t: Tuple): Int32Array {
    const types = this.info(relation).columns.map((c) => c.type);
    const cells = new Int32Array(types.length);
    this.encodeInto(relation, types, this.runner.relation(relation).latticeIO, t, cells, 0);
    return cells;
  }

  /** Joins tuples into a relation (set semantics; for a lattice column, the least upper bound). All or nothing. */
  insert(relation: string, tuples: Iterable<Tuple>): this {
    const types = this.info(relation).columns.map((c) => c.type);
    const rel = this.runner.relation(relation);
    const list = Array.isArray(tuples) ? (tuples as readonly Tuple[]) : [...tuples];
    const arity = types.length;
    // Every tuple is encoded (and checked) before any is added, into one array.
    const cells = new Int32Array(list.length * arity);
    try {
      for (let i = 0; i < list.length; i++) this.encodeInto(relation, types, rel.latticeIO, list[i]!, cells, i * arity);
    } catch (e) {
      // A new symbol past the memory budget: the relation it was for.
      if (e instanceof MemoryLimitError) throw e.of(relation, rel.size);
      throw e;
    }
    if (rel.frozen) {
      for (let i = 0; i < list.length; i++) {
        if (this.wouldChange(rel, cells.subarray(i * arity, (i + 1) * arity))) throw new FrozenRelationError(relation);
      }
    }
    const tmp = rel.tmp;
    for (let i = 0, base = 0; i < list.length; i++, base += arity) {
      for (let c = 0; c < arity; c++) tmp[c] = cells[base + c]!;
      if (rel.addBase()) this.pending = true;
    }
    this.changes++;
    return this;
  }

  /**
   * Takes facts back: every copy of each tuple given to `relation` (inserted,
   * for a lattice relation with exactly that value) goes; the next run gives
   * what a run from scratch over the remaining facts gives. All or nothing: a
   * retraction that would change a frozen relation, or one whose contents
   * depend on `relation`, throws FrozenRelationError and changes nothing.
   */
  retract(relation: string, tuples: Iterable<Tuple>): this {
    const types = this.info(relation).columns.map((c) => c.type);
    const rel = this.runner.relation(relation);
    const list = Array.isArray(tuples) ? (tuples as readonly Tuple[]) : [...tuples];
    const cells = new Int32Array(list.length * types.length);
    for (let i = 0; i < list.length; i++) this.encodeInto(relation, types, rel.latticeIO, list[i]!, cells, i * types.length);
    if (countRetracted(this.runner, rel, cells, list.length) === 0) return this;
    for (const name of dependents(this.program, relation)) if (this.runner.relation(name).frozen) throw new FrozenRelationError(name);
    retractFacts(this.runner, rel, cells, list.length);
    this.pending = true;
    this.changes++;
    return this;
  }

  /**
   * Why `tuple` holds in `relation` at the fixpoint of the facts given so far
   * (what run() reaches): a proof tree, each step the rule and the facts it
   * joined, down to given facts, at most `depth` rule steps deep; for a lattice
   * relation, the derivation of the value its key holds. For a fact that does
   * not hold, why not: each rule that could derive it and the first body
   * literal it fails on. The bookkeeping this needs is paid here, by a run of
   * its own (kept until facts are inserted or retracted), never by run().
   */
  explain(relation: string, tuple: Tuple, options: { readonly depth?: number } = {}): Proof | WhyNot {
    this.info(relation);
    const cells = this.encodeTuple(relation, tuple);
    if (this.explainer?.at !== this.changes || this.explainer.of.stale(this.runner))
      this.explainer = { at: this.changes, of: new Explainer(this.runner) };
    const e = this.explainer.of;
    return e.explain(relation, cells, options.depth) ?? e.whyNot(relation, cells)!;
  }

  /** Whether joining `cells` into `rel` would change it. */
  private wouldChange(rel: Relation, cells: Int32Array): boolean {
    return !this.holds(rel, cells);
  }

  /** Whether the fact `cells` holds: present, or for a lattice column, the key's value is at least the given one. */
  private holds(rel: Relation, cells: Int32Array): boolean {
    rel.ensureIndexed();
    const arity = rel.arity;
    if (arity === 0) return rel.size > 0;
    const key = rel.lattice ? cells.subarray(0, arity - 1) : cells;
    const row = rel.unique.find(rel.data, key);
    if (row < 0) return rel.lattice !== undefined && cells[arity - 1] === rel.lattice.bottom;
    if (!rel.lattice) return true;
    return rel.lattice.leq(cells[arity - 1]!, rel.data[row * arity + arity - 1]!);
  }

  /** Evaluates the rules to their fixpoint, continuing from the last one (on worker threads with the workers option). */
  async run(): Promise<void> {
    await runParallel(this.runner);
    this.pending = false;
    this.notify(true);
  }

  /** Evaluates the rules to their fixpoint, synchronously. */
  runSync(): void {
    this.runner.run();
    this.pending = false;
    this.notify(true);
  }

  private decodeRow(rel: Relation, r: number, data = rel.data): Tuple {
    return decodeRow(rel, this.runner.symbols, data, r * rel.arity);
  }

  /** The current contents of a relation (a lattice relation: one tuple per key, its value last). */
  tuples(relation: string): Tuple[] {
    this.info(relation);
    const rel = this.runner.relation(relation);
    const out: Tuple[] = [];
    for (let r = 0; r < rel.size; r++) if (rel.isLive(r)) out.push(this.decodeRow(rel, r));
    return out;
  }

  /** The number of tuples (keys, for a lattice relation). */
  size(relation: string): number {
    this.info(relation);
    return this.runner.relation(relation).live;
  }

  /**
   * A threshold read: resolves once `tuple` holds (for a lattice column, once the
   * key's value is at least the one given). It never resolves early and resolves once.
   */
  when(relation: string, tuple: Tuple): Promise<void> {
    this.info(relation);
    const rel = this.runner.relation(relation);
    const cells = this.encodeTuple(relation, tuple);
    if (this.holds(rel, cells)) return Promise.resolve();
    if (rel.frozen) return Promise.reject(new ThresholdUnreachableError(relation, tuple));
    return new Promise((resolve, reject) => this.waiters.push({ relation: rel, cells, tuple, resolve, reject }));
  }

  /**
   * Calls `handler` with each change of `relation`: first its current
   * contents, each as "added", then every fact it gains ("added": after each
   * round) and loses ("removed": at the end of a run that recomputed or
   * retracted it); for a lattice key, its new value as "added" at the end of
   * the run. Returns an unsubscribe function.
   */
  on(relation: string, handler: (tuple: Tuple, kind: ChangeKind) => void): () => void {
    this.info(relation);
    const rel = this.runner.relation(relation);
    return this.watchers.add(rel, (cells, r) => this.decodeRow(rel, r, cells), handler);
  }

  /** The exact contents of a relation; from now on any change to it throws FrozenRelationError. */
  freeze(relation: string): Tuple[] {
    this.info(relation);
    const rel = this.runner.relation(relation);
    if (this.pending) throw new NotQuiescentError(relation);
    rel.frozen = true;
    this.notify(true);
    return this.tuples(relation);
  }

  /** Tells handlers and threshold reads what changed: after a round, or at the end of a run (`final`). */
  private notify(final: boolean): void {
    this.watchers.deliver(final);
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.holds(w.relation, w.cells)) w.resolve();
      else if (w.relation.frozen) w.reject(new ThresholdUnreachableError(w.relation.name, w.tuple));
      else still.push(w);
    }
    this.waiters = still;
  }
}
