// What the coordinator and the worker threads send each other: relations as
// views over SharedArrayBuffers (shared, never copied), shards and results as
// Int32Arrays (transferred), rule versions as their generated source text.

import type { RelationState } from "../storage/relation.js";

/** A worker's share of a run's memory budget: the run's limit, and what counts as taken when the worker starts. */
export interface MemoryShare {
  readonly limit: number;
  readonly used: number;
}

/** A lattice a worker can rebuild and join with: the built-ins that need no symbol or value table. */
export interface LatticeSpec {
  readonly kind: "min" | "max" | "or" | "and";
  readonly elem: "number" | "unsigned" | "float";
}

export interface IndexView {
  readonly columns: readonly number[];
  readonly slots: Int32Array;
  readonly mask: number;
  readonly next: Int32Array;
}

/** A relation as workers read it: its arrays live on SharedArrayBuffers owned by the coordinator. */
export interface RelationView {
  readonly name: string;
  readonly arity: number;
  readonly data: Int32Array;
  readonly dead: Uint8Array;
  readonly size: number;
  readonly stableEnd: number;
  readonly deltaEnd: number;
  readonly unique: IndexView;
  readonly indexes: readonly IndexView[];
  readonly lattice?: LatticeSpec;
}

/** A rule version's generated code: a factory `(R, I, fx, st, mix, finish) => run`. */
export interface VersionCode {
  readonly source: string;
  readonly relations: readonly string[];
  readonly indexes: readonly { readonly relation: string; readonly columns: readonly number[] }[];
  /** The head relation (the one the code inserts into). */
  readonly head: string;
}

/** One worker's part of a co-partitioned stratum: it takes its rows of every relation, and runs the versions to a local fixpoint. */
export interface LocalTask {
  readonly kind: "local";
  readonly worker: number;
  readonly workers: number;
  readonly versions: readonly VersionCode[];
  /** The stratum's relations as they are (shared), each with the column it is split on. */
  readonly shards: readonly { readonly view: RelationView; readonly column: number }[];
  /** Relations of earlier strata, read through shared memory. */
  readonly reads: readonly RelationView[];
  readonly maxRows: number;
  /** This worker's share of the run's memory budget (MemoryBudget.share()). */
  readonly memory: MemoryShare;
  readonly fault?: Fault;
}

/** Rows a worker derived (with their unique-index hashes, where it has them): new tuples, or lattice keys whose value grew. */
export interface ShardOut {
  readonly name: string;
  readonly rows: Int32Array;
  readonly hashes: Int32Array;
  readonly count: number;
  /** Local task, lattice relation: the relation's rows whose value a row here superseded. */
  readonly died?: Int32Array;
  /** Exchange: the worker the rows go to, or -1 for every worker but `except` (the one that sent them). */
  readonly dest?: number;
  readonly except?: number;
}

/** Part of one semi-naive round: rule versions over chunks of their delta, heads collected, not inserted. */
export interface RoundTask {
  readonly kind: "round";
  /** Identifies the coordinator, so a worker can keep its compiled versions and relation stubs. */
  readonly owner: string;
  readonly views: readonly RelationView[];
  readonly jobs: readonly RoundJob[];
  readonly fault?: Fault;
}

export interface RoundJob {
  readonly code: VersionCode;
  /** The relation name the code uses for the delta atom (an alias of `delta`), and the rows it reads. */
  readonly alias: string;
  readonly delta: string;
  readonly lo: number;
  readonly hi: number;
}

/** A relation of a stratum whose workers exchange deltas: how it is placed (split column, or -1: replicated). */
export interface ShardSpec {
  readonly name: string;
  readonly arity: number;
  readonly lattice?: LatticeSpec;
  readonly column: number;
  /** The secondary indexes every part keeps (the versions', the coordinator's included). */
  readonly indexes: readonly (readonly number[])[];
}

/** One superstep of one worker's part: insert what was sent to it, then run the versions over those new rows. */
export interface ExchangeTask {
  readonly kind: "exchange";
  /** Identifies the stratum's run, so a thread can keep its objects and warm code between supersteps. */
  readonly run: string;
  readonly worker: number;
  readonly workers: number;
  readonly relations: readonly ShardSpec[];
  /** Each relation's part as this worker holds it (shared arrays); absent at the first superstep. */
  readonly state?: readonly RelationState[];
  /** At the first superstep: the relations as they are (shared), to take this worker's part out of. */
  readonly sources?: readonly RelationView[];
  /** Every worker's parts as the superstep begins (this one's included), to probe before sending a tuple. */
  readonly peers: readonly (readonly RelationState[])[];
  readonly inbox: readonly ShardOut[];
  readonly versions: readonly VersionCode[];
  readonly reads: readonly RelationView[];
  /** The stratum's smallest growth limit (Relation.maxRows), for each part a worker holds. */
  readonly maxRows: number;
  /** This worker's share of the run's memory budget (MemoryBudget.share()). */
  readonly memory: MemoryShare;
  readonly fault?: Fault;
}

export type ExchangeResult =
  | {
      readonly ok: true;
      readonly state: readonly RelationState[];
      readonly out: readonly ShardOut[];
      /** Each relation's size once the received rows were in (before the versions added their own). */
      readonly base: readonly number[];
      /** Rows the versions added to this worker's own parts. */
      readonly grew: number;
      /** First superstep: where each row the part started with is in the relation, and how many of those were older than the delta. */
      readonly places?: readonly Int32Array[];
      readonly stable?: readonly number[];
      readonly ms: number;
    }
  | { readonly ok: false; readonly error: TaskError };

export interface TaskError {
  readonly kind: "evaluation" | "growth" | "memory" | "internal";
  readonly message: string;
  /** For an evaluation error: the index of the version (local task) or job (round task) that failed. */
  readonly at?: number;
  readonly relation?: string;
  readonly rows?: number;
  /** For the memory budget: what ran out (MemoryLimitError.reason). */
  readonly reason?: string;
}

export type TaskResult =
  | { readonly ok: true; readonly out: readonly ShardOut[]; readonly rounds: number; readonly ms: number }
  | { readonly ok: false; readonly error: TaskError };

/** Test hooks: make the worker throw an internal error or exit. */
export type Fault = "throw" | "exit";
