// The embedded database, shaped like an LVar store: insert() joins facts in,
// run() reaches the fixpoint (later runs continue from it), tuples() reads the
// current contents, when() is a threshold read that resolves once a fact holds
// (for a lattice column: once the value is at least the one given), on()
// watches new facts and growth, freeze() gives the exact contents and turns
// any later change into a FrozenRelationError.

import type { CheckedProgram, RelationInfo } from "../lang/model.js";
import { ProgramRunner, type RunnerOptions } from "./eval/program-runner.js";
import { runParallel } from "./parallel/run-async.js";
import { FrozenRelationError, type Relation } from "./storage/relation.js";
import { MemoryLimitError } from "./storage/memory-budget.js";
import { decode, type Value } from "./storage/values.js";
import { encodeBatch, encodeTupleInto, type TupleInput, tupleObject } from "./api/encode.js";
import { downstreamOf, FrozenUpstreamError, frozenChangedBy, type RowBatch } from "./api/freeze-guard.js";
import { matchingRows } from "./api/lookup.js";
import { answerQuery, type Binding } from "./api/query.js";
import { type DatabaseSource, loadFacts, restoreInto, saveTo } from "./api/persist.js";
import { compileQuery, type CompiledQuery } from "../lang/query.js";

export { FrozenRelationError, GrowthLimitError } from "./storage/relation.js";
export { MemoryLimitError } from "./storage/memory-budget.js";
export { ArityError, type TupleInput, ValueError } from "./api/encode.js";
export { FrozenUpstreamError } from "./api/freeze-guard.js";
export type { Binding } from "./api/query.js";
export type { DatabaseSource } from "./api/persist.js";

export type Tuple = readonly Value[];

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
    readonly tuple: TupleInput,
  ) {
    super(`relation "${relation}" was frozen without reaching ${JSON.stringify(tuple, (_, v) => (typeof v === "bigint" ? Number(v) : v))}`);
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
  readonly tuple: TupleInput;
  resolve(): void;
  reject(e: Error): void;
}

interface Watcher {
  readonly relation: Relation;
  readonly types: readonly RelationInfo["columns"][number]["type"][];
  seen: number;
  readonly handler: (tuple: Tuple) => void;
}

export class Database {
  /** The runner that owns the relations; exposed for the CLI and tools. */
  readonly runner: ProgramRunner;
  private waiters: Waiter[] = [];
  private readonly watchers = new Set<Watcher>();
  private pending = false;

  constructor(
    readonly program: CheckedProgram,
    private readonly options: RunnerOptions = {},
    /** The program as parsed and its text, for query(), load(), save() and restore(); Program.database() gives them. */
    private readonly source?: DatabaseSource,
  ) {
    this.runner = new ProgramRunner(program, options);
    this.runner.onRound = () => this.notify();
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
    const types = info.columns.map((c) => c.type);
    return matchingRows(rel, cells, bound).map((r) => this.decodeRow(rel, types, r));
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
      for (let i = 0, base = 0; i < count; i++, base += arity) {
        for (let c = 0; c < arity; c++) tmp[c] = cells[base + c]!;
        if (rel.addBase()) this.pending = true;
      }
    }
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
    this.notify();
  }

  /** Evaluates the rules to their fixpoint, synchronously. */
  runSync(): void {
    this.runner.run();
    this.pending = false;
    this.notify();
  }

  private decodeRow(rel: Relation, types: readonly RelationInfo["columns"][number]["type"][], r: number): Tuple {
    const t: Value[] = new Array(rel.arity);
    for (let c = 0; c < rel.arity; c++) t[c] = decode(types[c]!, rel.data[r * rel.arity + c]!, this.runner.symbols);
    if (rel.latticeIO) t[rel.arity - 1] = rel.latticeIO.toValue(rel.data[r * rel.arity + rel.arity - 1]!) as Value;
    return t;
  }

  /** The current contents of a relation (a lattice relation: one tuple per key, its value last). */
  tuples(relation: string): Tuple[] {
    const types = this.info(relation).columns.map((c) => c.type);
    const rel = this.runner.relation(relation);
    const out: Tuple[] = [];
    for (let r = 0; r < rel.size; r++) if (rel.isLive(r)) out.push(this.decodeRow(rel, types, r));
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
   * key's value is at least the one given). It never resolves early and resolves once.
   */
  when(relation: string, tuple: TupleInput): Promise<void> {
    this.info(relation);
    const rel = this.runner.relation(relation);
    const cells = this.encodeTuple("when", relation, tuple);
    if (this.holds(rel, cells)) return Promise.resolve();
    if (rel.frozen) return Promise.reject(new ThresholdUnreachableError(relation, tuple));
    return new Promise((resolve, reject) => this.waiters.push({ relation: rel, cells, tuple, resolve, reject }));
  }

  /** Calls `handler` with every new fact of `relation` (and every growth of a lattice value), after each round. Returns an unsubscribe function. */
  on(relation: string, handler: (tuple: Tuple) => void): () => void {
    const types = this.info(relation).columns.map((c) => c.type);
    const rel = this.runner.relation(relation);
    const w: Watcher = { relation: rel, types, seen: 0, handler };
    this.watchers.add(w);
    this.notifyWatcher(w);
    return () => this.watchers.delete(w);
  }

  /** The exact contents of a relation; from now on any change to it throws FrozenRelationError. */
  freeze(relation: string): Tuple[] {
    this.info(relation);
    const rel = this.runner.relation(relation);
    if (this.pending) throw new NotQuiescentError(relation);
    rel.frozen = true;
    this.someFrozen = true;
    this.notify();
    return this.tuples(relation);
  }

  private notifyWatcher(w: Watcher): void {
    const rel = w.relation;
    if (w.seen > rel.size) w.seen = 0; // the relation was recomputed
    // Every row was a new fact or, in a lattice relation, a growth when it was appended.
    for (; w.seen < rel.size; w.seen++) w.handler(this.decodeRow(rel, w.types, w.seen));
  }

  private notify(): void {
    for (const w of this.watchers) this.notifyWatcher(w);
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
