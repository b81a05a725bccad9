// The embedded database, shaped like an LVar store: insert() joins facts in,
// run() reaches the fixpoint (later runs continue from it), tuples() reads the
// current contents, when() is a threshold read that resolves once a fact holds
// (for a lattice column: once the value is at least the one given; its
// withdrawal: engine/api/threshold-reads.ts), on() watches the changes
// (engine/watch.ts), freeze() gives the exact contents and turns
// any later change into a FrozenRelationError.

import type { CheckedProgram, RelationInfo } from "../lang/model.js";
import { ProgramRunner, type RunnerOptions } from "./eval/program-runner.js";
import { runParallel } from "./parallel/run-async.js";
import { FrozenRelationError, type Relation } from "./storage/relation.js";
import { MemoryLimitError } from "./storage/memory-budget.js";
import type { Value } from "./storage/values.js";
import { encodeBatch, encodeTupleInto, type TupleInput, tupleObject } from "./api/encode.js";
import { FrozenRetractError, FrozenUpstreamError, frozenChangedBy, frozenChangedOnCopy, type RowBatch } from "./api/freeze-guard.js";
import { matchingRows } from "./api/lookup.js";
import { answerQuery, type Binding } from "./api/query.js";
import { type DatabaseSource, loadFacts, restoreInto, saveTo } from "./api/persist.js";
import { compileQuery, type CompiledQuery } from "../lang/query.js";
import { decodeRow } from "./storage/decode-row.js";
import { type ChangeKind, Watchers } from "./watch.js";
import { countRetracted, retractFacts } from "./eval/retract.js";
import { dependents, downstreamOf } from "../lang/downstream.js";
import { Explainer, type Proof, type WhyNot } from "./eval/provenance.js";
import { type ThresholdRead, ThresholdReads } from "./api/threshold-reads.js";

export { FrozenRelationError, GrowthLimitError } from "./storage/relation.js";
export { MemoryLimitError } from "./storage/memory-budget.js";
export { ArityError, type TupleInput, ValueError } from "./api/encode.js";
export { FrozenRetractError, FrozenUpstreamError } from "./api/freeze-guard.js";
export { type ThresholdRead, ThresholdUnreachableError, type Withdrawal } from "./api/threshold-reads.js";
export type { Binding } from "./api/query.js";
export type { DatabaseSource } from "./api/persist.js";

export type Tuple = readonly Value[];
export type { ChangeKind } from "./watch.js";
export type { Proof, RuleRef, WhyNot } from "./eval/provenance.js";

export class UnknownRelationError extends Error {
  constructor(readonly relation: string) {
    super(`relation "${relation}" is not declared in the program`);
    this.name = "UnknownRelationError";
  }
}

/** freeze() before the database reached its fixpoint (facts inserted and not yet run). */
export class NotQuiescentError extends Error {
  constructor(readonly relation: string) {
    super(`cannot freeze "${relation}": facts were inserted since the last run(); run() first`);
    this.name = "NotQuiescentError";
  }
}

export class Database {
  /** The runner that owns the relations; exposed for the CLI and tools. */
  readonly runner: ProgramRunner;
  private readonly reads: ThresholdReads;
  private readonly watchers = new Watchers<Tuple>();
  private pending = false;
  /** The explanations' own run, kept while the given facts stay as they are. */
  private explainer: { readonly at: number; readonly of: Explainer } | undefined;
  /** Counts changes to the given facts (insert, retract), so that a kept explanation run is known to be stale. */
  private changes = 0;

  constructor(
    readonly program: CheckedProgram,
    private readonly options: RunnerOptions = {},
    /** The program as parsed and its text, for query(), load(), save() and restore(); Program.database() gives them. */
    private readonly source?: DatabaseSource,
  ) {
    this.runner = new ProgramRunner(program, options);
    this.runner.onRound = () => this.notify(false);
    this.reads = new ThresholdReads(program, {
      holds: (rel, cells) => this.holds(rel, cells),
      held: (rel, cells) => this.held(rel, cells),
    });
  }

  private sourceFor(what: string): DatabaseSource {
    if (!this.source) throw new Error(`${what} needs the program's source: open the database with Program.database()`);
    return this.source;
  }

  /**
   * Answers a rule body in the program's language (`path(1, x), !blocked(x)`),
   * checked and planned as a rule of the program, from the database as it is
   * now (after run(): its fixpoint): one binding of the body's variables (those
   * outside aggregates) per answer, each once. A bad query throws a CairnError
   * located in the query text (`<query>`).
   */
  query(body: string): Binding[] {
    const source = this.sourceFor("query()");
    let compiled = this.queries.get(body);
    if (!compiled) {
      compiled = compileQuery(source.ast, body, source.sources);
      if (this.queries.size >= 256) this.queries.clear();
      this.queries.set(body, compiled);
    }
    return answerQuery(this.runner, this.options, compiled);
  }

  /** Whether freeze() was called: only then does an insert look downstream. */
  private someFrozen = false;
  /** The relations rules derive from each relation, as guardFrozen() asked for them. */
  private readonly downstream = new Map<string, string[]>();

  /** Compiled queries, by text. */
  private readonly queries = new Map<string, CompiledQuery>();

  /**
   * The tuples of `relation` that match `pattern`: an array with `undefined`
   * for each free column, or an object keyed by column name without them.
   * Found through a hash index on the given columns (built on first use and
   * kept), not by a scan.
   */
  lookup(relation: string, pattern: TupleInput): Tuple[] {
    const info = this.info(relation);
    const rel = this.runner.relation(relation);
    const cells = new Int32Array(info.columns.length);
    const bound: boolean[] = [];
    encodeTupleInto("lookup in", info, rel, this.runner.symbols, pattern, 0, cells, 0, bound);
    return matchingRows(rel, cells, bound).map((r) => this.decodeRow(rel, r));
  }

  /**
   * Reads the facts of every `.input` relation from the folder `dir`, as
   * `cairn run -F dir` does (its IO parameters, gzip, rfc4180 included), and
   * inserts them as insert() does. A missing or bad facts file is a CairnError
   * naming the file, line and column; then nothing is inserted.
   */
  load(dir: string): this {
    const source = this.sourceFor("load()");
    const read = loadFacts(this.program, this.runner, source, dir);
    this.addCells([...read].map(([relation, batch]) => ({ relation, ...batch })));
    return this;
  }

  /** Saves the database (every relation, the progress of its runs) to a state file, as `cairn run --state` does. */
  save(file: string): void {
    saveTo(file, this.runner, this.sourceFor("save()"));
  }

  /**
   * A database of `program` holding what `file` (written by save(), or by
   * `cairn run --state`) holds; run() continues from it. Throws a
   * StateFileError when the file is not a state of this program.
   */
  static restore(program: { database(): Database }, file: string): Database {
    const db = program.database();
    restoreInto(file, db.runner, db.sourceFor("restore()"));
    return db;
  }

  private info(relation: string): RelationInfo {
    const info = this.program.relations.get(relation);
    if (!info) throw new UnknownRelationError(relation);
    return info;
  }

  private encodeTuple(operation: string, relation: string, t: TupleInput): Int32Array {
    const info = this.info(relation);
    const cells = new Int32Array(info.columns.length);
    encodeTupleInto(operation, info, this.runner.relation(relation), this.runner.symbols, t, 0, cells, 0);
    return cells;
  }

  /**
   * Joins tuples into a relation (set semantics; for a lattice column, the least
   * upper bound). Each tuple is an array in column order or an object keyed by
   * column name; every value is checked against its column (ValueError,
   * ArityError). All or nothing.
   */
  insert(relation: string, tuples: Iterable<TupleInput>): this {
    const info = this.info(relation);
    const rel = this.runner.relation(relation);
    const list = Array.isArray(tuples) ? (tuples as readonly TupleInput[]) : [...tuples];
    // Every tuple is encoded (and checked) before any is added, into one array.
    let cells: Int32Array;
    try {
      cells = encodeBatch(info, rel, this.runner.symbols, list);
    } catch (e) {
      // A new symbol past the memory budget: the relation it was for.
      if (e instanceof MemoryLimitError) throw e.of(relation, rel.size);
      throw e;
    }
    this.addCells([{ relation, cells, count: list.length }]);
    return this;
  }

  /** Adds checked rows to their relations, all of them unless that would change a frozen relation, then none. */
  private addCells(batches: readonly RowBatch[]): void {
    for (const { relation, cells, count } of batches) {
      const rel = this.runner.relation(relation);
      const arity = rel.arity;
      if (!rel.frozen) continue;
      for (let i = 0; i < count; i++) {
        if (this.wouldChange(rel, cells.subarray(i * arity, (i + 1) * arity))) throw new FrozenRelationError(relation);
      }
    }
    this.guardFrozen(batches);
    for (const { relation, cells, count } of batches) {
      const rel = this.runner.relation(relation);
      const arity = rel.arity;
      const tmp = rel.tmp;
      let added = false;
      for (let i = 0, base = 0; i < count; i++, base += arity) {
        for (let c = 0; c < arity; c++) tmp[c] = cells[base + c]!;
        if (rel.addBase()) added = true;
      }
      if (added) {
        this.pending = true;
        this.reads.inserted(relation);
      }
    }
    this.changes++;
  }

  /** Throws FrozenUpstreamError when adding the batches would change a frozen relation downstream of them. */
  private guardFrozen(batches: readonly RowBatch[]): void {
    if (!this.someFrozen) return;
    const frozen = new Set<string>();
    const adding = batches.filter(({ relation, cells, count }) => {
      let downstream = this.downstream.get(relation);
      if (!downstream) this.downstream.set(relation, (downstream = [...downstreamOf(this.program, relation)]));
      const below = downstream.filter((r) => this.runner.relation(r).frozen);
      if (below.length === 0) return false;
      const rel = this.runner.relation(relation);
      for (let i = 0; i < count; i++) {
        if (this.wouldChange(rel, cells.subarray(i * rel.arity, (i + 1) * rel.arity))) {
          for (const r of below) frozen.add(r);
          return true;
        }
      }
      return false;
    });
    if (adding.length === 0) return;
    const changed = frozenChangedBy(this.program, this.runner, this.options, [...frozen], adding);
    if (changed !== undefined) throw new FrozenUpstreamError(changed, adding.map((b) => b.relation).join(", "));
  }

  /**
   * Takes facts back: every copy of each tuple given to `relation` (inserted,
   * for a lattice relation with exactly that value) goes; the next run gives
   * what a run from scratch over the remaining facts gives. All or nothing: a
   * retraction from a frozen relation throws FrozenRelationError, one whose
   * next run would change a frozen relation that depends on
   * `relation` throws FrozenRetractError (found on a copy, as for an insert);
   * either changes nothing.
   */
  retract(relation: string, tuples: Iterable<TupleInput>): this {
    const info = this.info(relation);
    const rel = this.runner.relation(relation);
    const list = Array.isArray(tuples) ? (tuples as readonly TupleInput[]) : [...tuples];
    const cells = encodeBatch(info, rel, this.runner.symbols, list, "retract from");
    if (countRetracted(this.runner, rel, cells, list.length) === 0) return this;
    if (rel.frozen) throw new FrozenRelationError(relation);
    const frozen = [...dependents(this.program, relation)].filter((name) => this.runner.relation(name).frozen);
    if (frozen.length > 0) {
      const retract = (copy: ProgramRunner) => retractFacts(copy, copy.relation(relation), cells, list.length);
      const changed = frozenChangedOnCopy(this.program, this.runner, this.options, frozen, retract);
      if (changed !== undefined) throw new FrozenRetractError(changed, relation);
    }
    retractFacts(this.runner, rel, cells, list.length);
    this.reads.retracted(relation);
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
  explain(relation: string, tuple: TupleInput, options: { readonly depth?: number } = {}): Proof | WhyNot {
    const cells = this.encodeTuple("explain", relation, tuple);
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

  /** The tuple `rel` holds for the key of `cells` (a lattice relation's key; a plain relation's whole fact), if any. */
  private held(rel: Relation, cells: Int32Array): Tuple | undefined {
    rel.ensureIndexed();
    const key = rel.lattice ? cells.subarray(0, rel.arity - 1) : cells;
    const row = rel.arity === 0 ? (rel.live > 0 ? 0 : -1) : rel.unique.find(rel.data, key);
    return row >= 0 ? this.decodeRow(rel, row) : undefined;
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

  /** The current contents of a relation as objects keyed by column name (in the order tuples() gives). */
  rows(relation: string): Record<string, Value>[] {
    const info = this.info(relation);
    return this.tuples(relation).map((t) => tupleObject(info, t));
  }

  /** The number of tuples (keys, for a lattice relation). */
  size(relation: string): number {
    this.info(relation);
    return this.runner.relation(relation).live;
  }

  /**
   * A threshold read: resolves once `tuple` holds (for a lattice column, once the
   * key's value is at least the one given). It never resolves early and resolves
   * once; its `withdrawn` resolves if a later run (after an insert that reaches a
   * non-monotone relation, or a retraction) ends without the fact.
   */
  when(relation: string, tuple: TupleInput): ThresholdRead {
    const cells = this.encodeTuple("when", relation, tuple);
    return this.reads.read(this.runner.relation(relation), cells, tuple);
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
    this.someFrozen = true;
    this.notify(true);
    return this.tuples(relation);
  }

  /** Tells handlers and threshold reads what changed: after a round, or at the end of a run (`final`). */
  private notify(final: boolean): void {
    this.watchers.deliver(final);
    this.reads.notify(final);
  }
}
