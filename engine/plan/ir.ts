// The dataflow plan: how each version of each rule runs, as readonly data
// between the checked program (lang/model.ts) and the generated code
// (engine/codegen/rule.ts). A rule version is a pipeline of operators, each
// one nested inside the one before it, as the generated loops are: reads of
// relations (a scan of a row range, or a probe of a hash index by bound
// columns), filters, bindings, aggregates (with their own pipeline inside),
// negations, and last the insert into the head, which for a lattice column is
// the LVar write (a join with the value the key holds). A stratum's plan names
// the relations it must wait for (its freeze points) and holds its versions.
// Everything that decides how a rule runs (join order, indexes, existence
// checks) is decided here; the code generator only spells it out.

import type { AggregateFn } from "../../lang/ast.js";
import type { BaseType, MLiteral, MTerm, Rule } from "../../lang/model.js";

/** Which rows of a relation a read covers: all, the current delta, or those known before it. */
export type Range = "full" | "delta" | "old";

/** What a read does with one column of the rows it visits (the columns an index looks up are its keys instead). */
export type ColumnUse =
  /** Binds a variable to the cell. */
  | { readonly kind: "bind"; readonly column: number; readonly variable: string }
  /** Keeps only rows whose cell equals a term bound before (a repeated variable, a constant). */
  | { readonly kind: "check"; readonly column: number; readonly term: MTerm };

/** What the planner expected of a read when it chose the order (see engine/plan/cost.ts). */
export interface Estimate {
  /** Rows in the range read when the plan was made. */
  readonly rows: number;
  /** Bindings expected to reach this read (per run of the version). */
  readonly inputs: number;
  /** Rows expected per input binding (for a probe: matching rows per key). */
  readonly perInput: number;
}

/** A read of a body atom's relation: every row of a range, or the rows an index holds for bound key columns. */
export interface Read {
  /** The body atom read (its index in the rule's body, or in an aggregate's body). */
  readonly atom: number;
  readonly relation: string;
  readonly range: Range;
  /** Indexed columns and the terms (bound before) they are looked up with; none for a scan. */
  readonly index: readonly number[];
  readonly keys: readonly MTerm[];
  /** The other columns the read binds or checks (wildcards and a lattice column nothing reads are absent). */
  readonly columns: readonly ColumnUse[];
  /** The first matching row is enough: nothing after the read uses what it binds (it binds nothing then). */
  readonly exists: boolean;
  /** The relation is one whose last column is a lattice value: superseded rows are skipped. */
  readonly lattice: boolean;
  /** The key covers every column: at most one row matches. */
  readonly unique: boolean;
  readonly estimate?: Estimate;
}

export type Op =
  | ({ readonly kind: "scan" } & Read)
  | ({ readonly kind: "probe" } & Read)
  /** A comparison or test of terms bound before. */
  | { readonly kind: "filter"; readonly literal: Extract<MLiteral, { kind: "compare" | "test" }> }
  /** `variable = term`: binds a variable to a computed value. */
  | { readonly kind: "bind"; readonly variable: string; readonly term: MTerm }
  /** `x = range(from, to[, step])`: a loop over the values; binds `variable`, or keeps the values equal to `equals`. */
  | {
      readonly kind: "range";
      readonly type: BaseType;
      readonly args: readonly MTerm[];
      readonly variable?: string;
      readonly equals?: MTerm;
    }
  /** `!r(…)`: continues only when no row of `relation` matches; wildcards are absent from `index`. */
  | {
      readonly kind: "negation";
      readonly relation: string;
      readonly index: readonly number[];
      readonly keys: readonly MTerm[];
      /** A lattice relation's value column, compared with the given value rather than looked up. */
      readonly value?: MTerm;
      readonly lattice: boolean;
      readonly unique: boolean;
    }
  | AggregateOp
  /** The head: the tuple is added to `relation` (set semantics), or joined into the key's lattice value: the LVar write. */
  | { readonly kind: "insert"; readonly relation: string; readonly args: readonly MTerm[]; readonly lattice: boolean }
  /** Inside an aggregate's pipeline: the binding reached counts towards the aggregate. */
  | { readonly kind: "accumulate" };

/**
 * An aggregate: its own pipeline (ending in "accumulate") runs for the
 * bindings made so far and gives `variable` its result; the rest of the
 * rule's pipeline runs once with it. With witnesses (min, max), a second
 * pipeline over the same body binds them for every binding that attains the
 * result, and the rest of the rule runs inside that one, once per binding.
 */
export interface AggregateOp {
  readonly kind: "aggregate";
  readonly fn: AggregateFn;
  /** The result's type (number for count). */
  readonly type: BaseType;
  readonly variable: string;
  readonly target?: MTerm;
  readonly body: readonly Op[];
  /** For count, sum and mean over a body of several atoms: the variables whose distinct bindings are counted. */
  readonly distinct?: readonly string[];
  readonly witnesses?: {
    readonly variables: readonly string[];
    /** The body's pipeline again, ending in the comparison of the target with the result (unless `preset`). */
    readonly body: readonly Op[];
    /** The target variable starts bound to the result, so that reads look rows up by it. */
    readonly preset?: string;
  };
}

/** Which version of a rule: run once, or reading the delta (or, in a later run, the new rows) of one body atom. */
export type VersionKind =
  | { readonly kind: "base" }
  | { readonly kind: "delta"; readonly k: number; readonly atom: number }
  | { readonly kind: "catch-up"; readonly k: number; readonly atom: number };

/** One version of a rule, planned. */
export interface RulePlan {
  readonly rule: Rule;
  readonly version: VersionKind;
  /** The body atoms (indices into rule.body) in the order they are joined. */
  readonly order: readonly number[];
  /** Whether the order came from the rule's `.plan`, from costs, or from the bound columns alone (no sizes known). */
  readonly orderedBy: "plan" | "cost" | "bound columns";
  /** The pipeline, outermost first; the last operator is the insert into the head. */
  readonly ops: readonly Op[];
}

/** A relation a stratum reads from earlier strata, and how. */
export interface StratumRead {
  readonly relation: string;
  /** "freeze": read under negation, in an aggregate or exactly (a lattice value as a plain value): the stratum waits until it is complete. */
  readonly mode: "monotone" | "freeze";
}

/** One stratum, planned: the relations it defines, what it waits for, and its rule versions. */
export interface StratumPlan {
  readonly index: number;
  readonly relations: readonly string[];
  readonly recursive: boolean;
  readonly reads: readonly StratumRead[];
  /** Rules whose head is all constants and body empty: facts, added directly. */
  readonly facts: readonly Rule[];
  /** Versions run once when the stratum starts (rules reading none of its relations). */
  readonly base: readonly RulePlan[];
  /** Versions run every semi-naive round, one per (recursive rule, recursive body atom). */
  readonly step: readonly RulePlan[];
}
