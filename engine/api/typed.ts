// The typed view of a database, for a program whose relations `cairn types`
// described (lang/dts.ts): the same object as Database, its methods typed by
// the Schema, so that a relation name the program lacks, a tuple of the wrong
// width or a value of the wrong type, and a string method on a number column
// are compile-time errors. Types only: nothing here runs.

import type { Database } from "../database.js";

/** What `cairn types` writes for each relation. */
export interface RelationType {
  /** A tuple as the API gives it, labelled by column name. */
  readonly tuple: readonly unknown[];
  /** The same keyed by column name. */
  readonly row: object;
  /** A tuple as insert() (and when(), lookup()) take it: bigints too in integer columns. */
  readonly input: readonly unknown[];
  readonly inputRow: object;
}

/** A program's relations, by name. */
export type Schema = { readonly [relation: string]: RelationType };

/** A relation's name in `S`. */
export type RelationName<S extends Schema> = keyof S & string;

/** A pattern for lookup(): the input tuple with any column undefined (free), or some of its columns by name. */
export type Pattern<T extends RelationType> = Free<T["input"]> | Partial<T["inputRow"]>;

/** A tuple type with every element optional as `undefined` (a mapped tuple stays a tuple). */
type Free<T extends readonly unknown[]> = { readonly [K in keyof T]: T[K] | undefined };

/** The handler's parameters after the tuple, as Database.on() gives them. */
type HandlerRest = Parameters<Database["on"]>[1] extends (tuple: never, ...rest: infer M) => unknown ? M : [];

type Typed = "insert" | "retract" | "tuples" | "rows" | "lookup" | "size" | "when" | "on" | "freeze" | "explain";

/** A Database whose relations are those of `S`. */
export interface TypedDatabase<S extends Schema> extends Omit<Database, Typed> {
  insert<R extends RelationName<S>>(relation: R, tuples: Iterable<S[R]["input"] | S[R]["inputRow"]>): this;
  retract<R extends RelationName<S>>(relation: R, tuples: Iterable<S[R]["input"] | S[R]["inputRow"]>): this;
  tuples<R extends RelationName<S>>(relation: R): S[R]["tuple"][];
  rows<R extends RelationName<S>>(relation: R): S[R]["row"][];
  lookup<R extends RelationName<S>>(relation: R, pattern: Pattern<S[R]>): S[R]["tuple"][];
  size(relation: RelationName<S>): number;
  when<R extends RelationName<S>>(relation: R, tuple: S[R]["input"] | S[R]["inputRow"]): ReturnType<Database["when"]>;
  on<R extends RelationName<S>>(relation: R, handler: (tuple: S[R]["tuple"], ...rest: HandlerRest) => void): ReturnType<Database["on"]>;
  freeze<R extends RelationName<S>>(relation: R): S[R]["tuple"][];
  explain<R extends RelationName<S>>(
    relation: R,
    tuple: S[R]["input"] | S[R]["inputRow"],
    options?: Parameters<Database["explain"]>[2],
  ): ReturnType<Database["explain"]>;
}

/** The type compile() gives a program's databases when no Schema was given. */
export interface Untyped {
  readonly untyped: true;
}

/** The database type of a program typed by `S` (Database itself when untyped). */
export type DatabaseOf<S extends Schema | Untyped> = S extends Untyped ? Database : TypedDatabase<Exclude<S, Untyped>>;
