// What the coordinator and the worker threads send each other: relations as
// views over SharedArrayBuffers (shared, never copied), shards and results as
// Int32Arrays (transferred), rule versions as their generated source text; a
// thread node its program and the MessagePorts its frames travel on.

import type { CheckedProgram } from "../../lang/model.js";
import type { MessagePort } from "node:worker_threads";

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

/** One node's ends of its channels: to the coordinator (absent for node 0, which shares its thread), and to each other node. */
export interface NodePorts {
  readonly coordinator?: MessagePort;
  /** Index: the other node (undefined at this node's own index). */
  readonly peers: readonly (MessagePort | undefined)[];
}

/**
 * One thread node of a stratum whose workers exchange deltas
 * (exchange-mode.ts): it serves the shard runtime's node
 * (distributed/shard-node.ts) over its ports until the coordinator ends the run.
 */
export interface NodeTask {
  readonly kind: "node";
  /** The program as checked (cloned into the thread): the node compiles its own rules from it. */
  readonly program: CheckedProgram;
  readonly ports: NodePorts;
  /**
   * For each relation of the stratum, the rows of this node's part that the
   * rounds before the hand-off already read (its first rows, as they arrive):
   * the node's first evaluation reads the rest as its delta.
   */
  readonly marks: readonly (readonly [relation: string, rows: number])[];
  /** The stratum's smallest growth limit (Relation.maxRows). */
  readonly maxRows: number;
  /** This node's share of the run's memory budget (MemoryBudget.share()). */
  readonly memory: MemoryShare;
  readonly fault?: Fault;
}

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
