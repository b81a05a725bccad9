// Cairn's public API: compile a .dl program, then run it over facts given as
// arrays, or open a database to insert, run and read.

import { CairnError, type Diagnostic, error, type Note, warning } from "./lang/diagnostics.js";
import { frontend, type FrontendOptions } from "./lang/compile.js";
import type { CheckedProgram } from "./lang/model.js";
import type { SourceMap, Span } from "./lang/span.js";
import { Database, type Tuple } from "./engine/database.js";
import type { UserFunctor } from "./engine/eval/functors.js";
import { envWorkers, MAX_JOBS, parseJobs } from "./engine/parallel/policy.js";
import { analyze, type Analysis } from "./lang/calm/index.js";
import { type ClusterOptions, type ClusterRunStats, runCluster } from "./distributed/run-cluster.js";
import { loadFunctorModule } from "./cli/functors.js";
import { clusterLimits } from "./distributed/shard-plan.js";
import type { ProgramSource } from "./distributed/wire.js";
import type { Program as ParsedProgram } from "./lang/ast.js";
import { databaseSource } from "./cli/emit.js";
import type { DatabaseOf, Schema, Untyped } from "./engine/api/typed.js";

export { CairnError, renderDiagnostic, renderDiagnostics, type Diagnostic, type Note, type Style } from "./lang/diagnostics.js";
export { SourceMap, type Span, type Position } from "./lang/span.js";
export { LineIndex } from "./lang/line-index.js";
export type { CheckedProgram, RelationInfo, BaseType } from "./lang/model.js";
export {
  ArityError,
  Database,
  FrozenRelationError,
  FrozenRetractError,
  FrozenUpstreamError,
  GrowthLimitError,
  MemoryLimitError,
  NotQuiescentError,
  ThresholdUnreachableError,
  UnknownRelationError,
  type ThresholdRead,
  type Withdrawal,
  ValueError,
  type Binding,
  type Tuple,
  type TupleInput,
  type ChangeKind,
  type Proof,
  type RuleRef,
  type WhyNot,
} from "./engine/database.js";
export { EvaluationError, type UserFunctor } from "./engine/eval/functors.js";
export { WorkerError, closeWorkers } from "./engine/parallel/errors.js";
export { StateFileError } from "./engine/state/state-file.js";
export type { DatabaseOf, Pattern, RelationName, RelationType, Schema, TypedDatabase, Untyped } from "./engine/api/typed.js";
export { releaseMemoryEagerly } from "./engine/storage/memory.js";
export { MissingFunctorError } from "./engine/eval/program-runner.js";
export { checkLaws, type LawViolation } from "./engine/lattices/laws.js";
export type { Lattice } from "./engine/lattices/lattice.js";
export type { Value } from "./engine/storage/values.js";
export * from "./lang/calm/index.js";
export { ClusterError, type ClusterNodeStats, type ClusterStats } from "./distributed/coordinator.js";
export { DialError } from "./distributed/dial.js";
export type { ClusterOptions, ClusterRunStats } from "./distributed/run-cluster.js";
export { startNode, type NodeOptions, type RunningNode } from "./distributed/node-server.js";

/** What Program.runCluster() returns: every relation's tuples, and what each node held, derived and sent. */
export interface ClusterResult {
  readonly relations: Record<string, Tuple[]>;
  readonly stats: ClusterRunStats;
}

export interface CompileOptions extends FrontendOptions {
  /** Implementations of the program's `.functor` declarations, by name (without `@`); values in, value out. */
  readonly functors?: Readonly<Record<string, UserFunctor>>;
  /** The name diagnostics use for the source; default "<input>". */
  readonly file?: string;
  /** Resolves #include and .include; default: includes are errors. */
  readonly readFile?: (path: string) => string | undefined;
  /** Worker threads for Database.run() (a number, or "auto" for the available cores); default CAIRN_WORKERS, else 1. runSync() always uses one thread. */
  readonly workers?: number | "auto";
  /**
   * Updates a lattice relation may take (each growth of a key's value is one)
   * before a run fails with GrowthLimitError instead of chasing a value that
   * never stops growing; default 50 million.
   */
  readonly growthLimit?: number;
  /**
   * Bytes the relations' rows and indexes and the symbols' text may take
   * together before a run (or an insert) fails with MemoryLimitError, naming
   * the relation that was growing; default half the machine's memory.
   */
  readonly memoryLimit?: number;
}

export class Program<S extends Schema | Untyped = Untyped> {
  constructor(
    readonly checked: CheckedProgram,
    readonly sources: SourceMap,
    /** Warnings found while checking. */
    readonly warnings: readonly Diagnostic[],
    private readonly options: CompileOptions = {},
    /** The program as written, before the magic-set transformation (`checked` is what runs). */
    readonly written: CheckedProgram = checked,
    /** Every file compile() read, by the name it was read under (cluster nodes compile the same). */
    private readonly files: ReadonlyMap<string, string> = new Map(),
    /** The program as parsed: queries are checked against it, states saved for it. */
    private readonly parsed?: ParsedProgram,
  ) {}

  private calm?: Analysis;

  /** The CALM analysis: each rule's and relation's class with reasons, freeze points, strata (computed once). */
  get analysis(): Analysis {
    return (this.calm ??= analyze(this.written));
  }

  /** A fresh, empty database for this program (typed by the Schema compile() was given, if any). */
  database(): DatabaseOf<S> {
    const w = this.options.workers;
    const workers = w === undefined ? envWorkers() : parseJobs(w);
    if (workers === undefined) throw new RangeError(`workers must be an integer from 1 to ${MAX_JOBS} or "auto", got ${JSON.stringify(w)}`);
    const limit = this.options.growthLimit;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
      throw new RangeError(`growthLimit must be a positive integer, got ${JSON.stringify(limit)}`);
    const memory = this.options.memoryLimit;
    if (memory !== undefined && !(Number.isInteger(memory) && memory > 0))
      throw new RangeError(`memoryLimit must be a positive integer (bytes), got ${JSON.stringify(memory)}`);
    const ast = this.parsed;
    const source = ast && databaseSource(ast, this.sources);
    return new Database(
      this.checked,
      { functors: this.options.functors, workers, growthLimit: limit, memoryLimit: memory },
      source,
    ) as DatabaseOf<S>;
  }

  /** A database of this program holding the state in `file` (see Database.restore). */
  restore(file: string): DatabaseOf<S> {
    return Database.restore({ database: () => this.database() as Database }, file) as DatabaseOf<S>;
  }

  /**
   * Runs the program over `facts` on a cluster: the nodes' `HOST:PORT`
   * addresses (each serving `cairn node`), or a number of nodes to start on
   * loopback for this run. This process plans the shards, sends each node the
   * program and its facts, and collects every relation: the answer is the one
   * run() gives. Throws a CairnError for a program a cluster cannot run yet
   * (see clusterLimits), a ClusterError when a node is lost or fails, and an
   * EvaluationError as run() does.
   */
  async runCluster(facts: Readonly<Record<string, Iterable<Tuple>>>, options: ClusterOptions): Promise<ClusterResult> {
    const limits = clusterLimits(this.checked, { functors: options.functorsModule !== undefined });
    if (limits.length > 0) throw new CairnError(limits, this.sources);
    // The nodes run the module's functors; this process holds the facts with the same ones.
    const functors =
      this.options.functors ?? (options.functorsModule === undefined ? undefined : await loadFunctorModule(options.functorsModule));
    const db = new Database(this.checked, { functors, growthLimit: this.options.growthLimit });
    for (const [rel, tuples] of Object.entries(facts)) db.insert(rel, tuples);
    const file = this.options.file ?? "<input>";
    const source: ProgramSource = {
      entry: file,
      files: [...this.files],
      includeDirs: this.options.includeDirs ?? [],
      defines: this.options.defines ?? {},
    };
    const names = [...this.written.relations.keys()];
    const stats = await runCluster(this.checked, source, db.runner, { ...options, collect: names });
    const relations: Record<string, Tuple[]> = {};
    for (const name of names) relations[name] = db.tuples(name);
    return { relations, stats };
  }

  /** Runs the program over `facts` and returns every relation's tuples. */
  run(facts: Readonly<Record<string, Iterable<Tuple>>> = {}): Record<string, Tuple[]> {
    const db = this.database() as Database;
    for (const [rel, tuples] of Object.entries(facts)) db.insert(rel, tuples);
    db.runSync();
    const out: Record<string, Tuple[]> = {};
    for (const name of this.written.relations.keys()) out[name] = db.tuples(name);
    return out;
  }
}

/** Parses and checks `source`; throws a CairnError carrying every diagnostic if it has errors. */
export function compile<S extends Schema | Untyped = Untyped>(source: string, options: CompileOptions = {}): Program<S> {
  const file = options.file ?? "<input>";
  const files = new Map<string, string>();
  const read = (p: string) => {
    const text = p === file ? source : options.readFile?.(p);
    if (text !== undefined) files.set(p, text);
    return text;
  };
  const result = frontend(file, read, options);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!result.checked || errors.length > 0) throw new CairnError(errors.length > 0 ? errors : result.diagnostics, result.sources);
  return new Program<S>(
    result.checked,
    result.sources,
    result.diagnostics.filter((d) => d.severity === "warning"),
    options,
    result.written,
    files,
    result.ast,
  );
}

/**
 * A diagnostic of severity "error", for tools that read their own inputs and
 * report problems in them as Cairn does: throw `new CairnError([...], sources)`
 * with a SourceMap holding the input's text, and renderDiagnostics() shows each
 * with its source line and a caret. `code` is a stable identifier of your
 * choosing (e.g. `cps-syntax`); `notes` point at other places that explain it.
 * (A LineIndex turns offsets in a text into the spans these take.)
 */
export const errorDiagnostic: (code: string, message: string, span?: Span, notes?: Note[]) => Diagnostic = error;

/** As errorDiagnostic, of severity "warning": rendered, but not a failure. */
export const warningDiagnostic: (code: string, message: string, span?: Span, notes?: Note[]) => Diagnostic = warning;

/** A column of a relation as RelationColumns gives it: the values of a number, unsigned or float column, or a symbol column's ids. */
export type Column = Int32Array | Uint32Array | Float32Array;

/**
 * A relation's current tuples column by column, copied out in one pass: for
 * reading many tuples without an array (and a string per symbol) per tuple.
 * Tuple i is (columns[0][i], columns[1][i], …), in the order tuples() gives.
 */
export interface RelationColumns {
  /** How many tuples (keys, for a lattice relation). */
  readonly size: number;
  /**
   * One array of `size` values per column: an Int32Array for number columns,
   * a Uint32Array for unsigned ones, a Float32Array for floats, and for symbol
   * columns an Int32Array of symbol ids. A lattice column whose values are
   * numbers or symbols (max, min, or, and, user lattices) is given as such.
   */
  readonly columns: readonly Column[];
  /**
   * The text of a symbol id. Ids are small non-negative integers, fit to index
   * an array, and equal ids are equal symbols; their order is not the text's.
   */
  symbol(id: number): string;
}

/**
 * The current contents of `relation` in `db` as columns of typed arrays.
 * Throws UnknownRelationError for a relation the program does not declare, and
 * a TypeError for a relation whose last column holds sets or pairs (read those
 * with Database.tuples()).
 */
export function readColumns(db: Database | DatabaseOf<Schema>, relation: string): RelationColumns {
  const base = db as Database;
  base.size(relation); // an UnknownRelationError for an undeclared relation
  const rel = base.runner.relation(relation);
  const io = rel.latticeIO;
  const arity = rel.arity;
  const types = rel.types.map((t, c) => (c === arity - 1 && io ? io.plain : t));
  if (types.includes(undefined)) {
    throw new TypeError(`the last column of "${relation}" holds ${io?.lattice.name} values: read them with tuples()`);
  }
  // Only a lattice relation has superseded (dead) rows, to leave out.
  const { data, dead, lattice } = rel;
  const size = lattice ? rel.live : rel.size;
  const columns = types.map((type, c): Column => {
    const out = new Int32Array(size);
    if (lattice) {
      for (let r = 0, i = 0; r < rel.size; r++) if (dead[r] === 0) out[i++] = data[r * arity + c]!;
    } else {
      for (let r = 0; r < size; r++) out[r] = data[r * arity + c]!;
    }
    return type === "unsigned" ? new Uint32Array(out.buffer) : type === "float" ? new Float32Array(out.buffer) : out;
  });
  const symbols = base.runner.symbols;
  return { size, columns, symbol: (id) => symbols.text(id) };
}
