// The checked program: what the checks hand to the planner. Relations with
// resolved column types, rules with one head and a flat body whose terms carry
// their resolved base type, and the strata in evaluation order.

import type { AggregateFn, ArithOp, CompareOp, UnaryOp } from "./ast.js";
import type { Span } from "./span.js";

/** The four primitive domains; every user type resolves to one of them. */
export type BaseType = "number" | "unsigned" | "float" | "symbol";

/** A field's type: a base type, or the name of a record or algebraic data type in `CheckedProgram.structured`. */
export type FieldType = BaseType | { readonly structured: string };

/** A record or algebraic data type, as the engine reads and writes its values (ids in number cells). */
export type StructuredType =
  | { readonly kind: "record"; readonly name: string; readonly fields: readonly FieldType[] }
  | {
      readonly kind: "adt";
      readonly name: string;
      /** Every branch without fields: a value is its branch's number. */
      readonly enumeration: boolean;
      /** In the order of their numbers (sorted by name). */
      readonly branches: readonly { readonly name: string; readonly fields: readonly FieldType[] }[];
    };

export interface Column {
  readonly name: string;
  /** For a column of a record or algebraic data type: its name in `CheckedProgram.structured`. */
  readonly structured?: string;
  /** For a lattice column, the base type of its cells (the element type for max/min/or). */
  readonly type: BaseType;
  /** The type as declared (a user type name or the base type). */
  readonly typeName: string;
  /** Present when this (last) column holds a lattice value; the other columns are its key. */
  readonly lattice?: LatticeRef;
  /** Where a Soufflé subsumption made this column a min or max lattice (lang/check/subsumption.ts). */
  readonly subsumption?: Span;
}

/**
 * The lattice of a lattice column: a built-in — max<T>, min<T> (T numeric), or, and
 * (booleans as 0/1), set<T>, pair<A, B> — or a user lattice declared with `.lattice`.
 */
export interface LatticeRef {
  readonly name: string;
  /** The element type: for max/min the numbers compared, for set the members, for a user lattice its carrier. */
  readonly elem: BaseType;
  /** The component lattices of a pair. */
  readonly args?: readonly LatticeRef[];
}

export interface IOSpec {
  /** Parameters as written, e.g. { IO: "file", filename: "x.facts", delimiter: "," }. */
  readonly params: Readonly<Record<string, string>>;
  readonly span: Span;
}

export interface RelationInfo {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly span: Span;
  readonly qualifiers: readonly string[];
  readonly inputs: readonly IOSpec[];
  readonly outputs: readonly IOSpec[];
  readonly printsize: boolean;
  /** `.limitsize`: the relation's stratum stops its rounds once it holds this many tuples (a round may add more). */
  readonly limitsize?: number;
  /** `choice-domain`: per domain, the columns a new tuple must not share with a tuple already in the relation. */
  readonly choice?: readonly (readonly number[])[];
}

export type MTerm =
  /** A constant: numbers as JS numbers (already in the column's domain), symbols as strings. */
  | {
      readonly kind: "const";
      readonly type: BaseType;
      readonly value: number | string;
      readonly span: Span;
      /** How the program wrote a constant the checks lowered to a number: `nil`, or an enumeration's `$Branch`. */
      readonly shown?: string;
    }
  | { readonly kind: "var"; readonly name: string; readonly type: BaseType; readonly span: Span }
  /** An unnamed variable `_`; only appears as an atom argument. */
  | { readonly kind: "wildcard"; readonly type: BaseType; readonly span: Span }
  /** `type` is both the operands' and the result's type (Soufflé's arithmetic is homogeneous). */
  | {
      readonly kind: "binary";
      readonly op: ArithOp;
      readonly type: BaseType;
      readonly left: MTerm;
      readonly right: MTerm;
      readonly span: Span;
    }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly type: BaseType; readonly operand: MTerm; readonly span: Span }
  /**
   * A built-in functor. `type` is the result type; each argument carries its own.
   * Names: cat, strlen, substr, ord, to_number, to_string, to_float, to_unsigned,
   * itof, itou, utoi, utof, ftoi, ftou, min, max, abs, autoinc; on lattice values: singleton(x)
   * (a set), size(s), pair(a, b), first(p), second(p); user functors keep their `@`.
   * Set and pair values are ids of hash-consed values: such terms have type "number".
   * range(from, to[, step]) is a generator, found only as the right side of an `=` compare
   * literal (`x = range(…)`): that literal holds for each value of the range in turn.
   */
  | {
      readonly kind: "call";
      readonly name: string;
      readonly type: BaseType;
      readonly args: readonly MTerm[];
      readonly span: Span;
      /** An ADT value the checks lowered to the record [tag, payload]: its branch as written (`$Loop`), and how many fields it has. */
      readonly adt?: { readonly branch: string; readonly fields: number };
    }
  /** `as(term, T)`: reinterpretation without conversion; `type` is the target base type. */
  | { readonly kind: "cast"; readonly type: BaseType; readonly term: MTerm; readonly span: Span }
  /**
   * An aggregate. `type` is the result type (number for count; the target's type otherwise,
   * float for mean). Variables of `body` that also occur outside the aggregate are bound by
   * the enclosing rule before it is evaluated; the others are local to it, except the witnesses.
   * `witnesses` (min and max only, in a rule's body): variables of the body that the rule uses
   * outside the aggregate. The aggregate binds them to the values of each binding of its body whose
   * target attains the minimum or maximum, and the rule continues once per such binding.
   */
  | {
      readonly kind: "aggregate";
      readonly fn: AggregateFn;
      readonly type: BaseType;
      readonly target?: MTerm;
      readonly body: readonly MLiteral[];
      readonly witnesses?: readonly string[];
      readonly span: Span;
    };

export interface MAtom {
  readonly kind: "atom";
  readonly relation: string;
  readonly args: readonly MTerm[];
  readonly span: Span;
  /**
   * Set when the rule reads this atom's lattice value exactly (binds it into an ordinary column,
   * compares it for equality, passes it to a non-monotone function, guards it with a test that is
   * not upward-closed): a freeze point, evaluated only once the relation is complete.
   */
  readonly exact?: boolean;
}

export type MLiteral =
  | MAtom
  | { readonly kind: "negation"; readonly atom: MAtom; readonly span: Span }
  /** `type` is the operands' type. */
  | {
      readonly kind: "compare";
      readonly op: CompareOp;
      readonly type: BaseType;
      readonly left: MTerm;
      readonly right: MTerm;
      readonly span: Span;
    }
  /** `member(x, s)`: x is an element of the set value s. */
  | {
      readonly kind: "test";
      readonly name: "contains" | "match" | "true" | "false" | "member";
      readonly args: readonly MTerm[];
      readonly negated: boolean;
      readonly span: Span;
    };

export interface Rule {
  /** Index in `CheckedProgram.rules`. */
  readonly id: number;
  readonly head: MAtom;
  /** Empty for a fact. */
  readonly body: readonly MLiteral[];
  /** The clause this rule came from (a clause with several heads or `;` gives several rules). */
  readonly span: Span;
  /**
   * From the clause's `.plan`: for a version of a recursive rule (the one
   * reading the delta of its k-th recursive atom), the indices into `body` of
   * its atoms in the order to join them.
   */
  readonly plan?: ReadonlyMap<number, readonly number[]>;
}

/**
 * A value that can grow while a rule runs, as the rule reads it: the lattice value of an
 * atom of the body (not inside an aggregate), or the result of an aggregate.
 */
export type GrowingValue =
  | {
      readonly kind: "lattice";
      readonly atom: MAtom;
      readonly lattice: LatticeRef;
      /**
       * The variable in the atom's lattice column also stands in another column of a positive
       * atom of the body: the rule asks for equality, so it reads this value exactly, and that
       * variable holds a plain value in the rest of the rule.
       */
      readonly joined: boolean;
    }
  | {
      readonly kind: "aggregate";
      readonly aggregate: Extract<MTerm, { kind: "aggregate" }>;
      /** The atoms of its body and of the aggregates nested in it: what it grows with. */
      readonly reads: readonly MAtom[];
    };

/**
 * How a term moves as a growing value it reads grows: numerically up or down, up in a
 * lattice's own order, component-wise (a pair; an absent component does not move), as a
 * functor declared monotone vouches, or in no known direction: why, and where that starts.
 */
export type Direction =
  | { readonly kind: "up" }
  | { readonly kind: "down" }
  | { readonly kind: "lattice"; readonly lattice: LatticeRef }
  | { readonly kind: "pair"; readonly first?: Direction; readonly second?: Direction }
  | { readonly kind: "trusted" }
  | { readonly kind: "unordered"; readonly why: string; readonly span: Span; readonly functor?: string };

/** Where a rule uses a growing value. */
export type ValueUse =
  /** In the `column`-th argument of the head (its lattice column, or an ordinary one). */
  | { readonly kind: "head"; readonly column: number; readonly term: MTerm }
  /** In the `column`-th argument of a positive atom (the body's or an aggregate's), other than its own lattice column. */
  | { readonly kind: "key"; readonly atom: MAtom; readonly column: number; readonly term: MTerm }
  /** Its variable also stands in the lattice column of the atom of `other`: the two values must be equal. */
  | { readonly kind: "equal"; readonly other: GrowingValue; readonly term: MTerm }
  /** Its own lattice column holds a constant or an expression: a test of the value for equality. */
  | { readonly kind: "match"; readonly term: MTerm }
  /** Only the atom's keys: its lattice column is `_`, or a variable used nowhere else. */
  | { readonly kind: "keys" }
  | { readonly kind: "negation"; readonly literal: Extract<MLiteral, { kind: "negation" }> }
  /** In a comparison; `binds` names the fresh variable an `=` gives the value to. */
  | { readonly kind: "compare"; readonly literal: Extract<MLiteral, { kind: "compare" }>; readonly binds?: string }
  /** In a test; `element` is set for the element of `member(x, s)`, as opposed to the set. */
  | { readonly kind: "test"; readonly literal: Extract<MLiteral, { kind: "test" }>; readonly element?: boolean };

/**
 * One use of a growing value, judged: monotone (it flows on and only moves up where it goes),
 * threshold (a test that, once true, stays true), or exact (the value must be final first).
 */
export interface ReadVerdict {
  readonly value: GrowingValue;
  readonly verdict: "monotone" | "threshold" | "exact";
  readonly use: ValueUse;
  /** How the term that uses the value moves as it grows, where that decides the verdict. */
  readonly direction?: Direction;
  /** Where the value is used. */
  readonly span: Span;
}

/** How a rule reads one atom of its body or of an aggregate's body, judged as its values are. */
export interface AtomRead {
  readonly atom: MAtom;
  /** The literal the atom stands in: the atom itself, or its negation. */
  readonly literal: MLiteral;
  /** Exact: negated, or some growing value read through it is read exactly. */
  readonly verdict: "monotone" | "threshold" | "exact";
}

/** What the checks found about a rule's reads: its growing values, each use of them judged, each atom read judged. */
export interface RuleReads {
  readonly values: readonly GrowingValue[];
  readonly verdicts: readonly ReadVerdict[];
  /** In the order of the body's literals, then each aggregate's (outermost first). */
  readonly atoms: readonly AtomRead[];
}

export interface Stratum {
  /** Relations defined in this stratum (one strongly connected component, or a single relation). */
  readonly relations: readonly string[];
  /** Ids of the rules whose head is in this stratum. */
  readonly rules: readonly number[];
  /** True when some rule of the stratum reads a relation of the stratum. */
  readonly recursive: boolean;
}

/** A user lattice declared with `.lattice`: its operations as terms over the operand variables `$1` and `$2`. */
export interface UserLattice {
  readonly name: string;
  /** The carrier: every value of the lattice is a value of this base type. */
  readonly elem: BaseType;
  readonly bottom: MTerm;
  readonly top?: MTerm;
  readonly lub: MTerm;
  readonly glb?: MTerm;
  readonly span: Span;
}

/** A user functor declared with `.functor`, implemented through the API. */
export interface FunctorInfo {
  readonly name: string;
  readonly params: readonly BaseType[];
  readonly result: BaseType;
  /** Declared `monotone`: may be applied to lattice values in heads. */
  readonly monotone: boolean;
  readonly span: Span;
}

export interface CheckedProgram {
  readonly relations: ReadonlyMap<string, RelationInfo>;
  /** User lattices by name. */
  readonly lattices?: ReadonlyMap<string, UserLattice>;
  /** User functors by name (without the `@`). */
  readonly functors?: ReadonlyMap<string, FunctorInfo>;
  /** The record and algebraic data types columns hold, by name (for reading and writing their values). */
  readonly structured?: ReadonlyMap<string, StructuredType>;
  readonly rules: readonly Rule[];
  /** In evaluation order: a stratum only reads relations of itself and of earlier strata. */
  readonly strata: readonly Stratum[];
  /** Present when the program asked for the magic-set transformation (lang/magic): what it did. */
  readonly magic?: MagicReport;
  /**
   * How each rule reads what can grow while it runs, as the checks judged it (lang/check/reads).
   * Keyed by the rule itself: a rule made or rebuilt since (by hand, by the magic-set
   * transformation) has no entry. The CALM analysis explains it; evaluation needs only the
   * `exact` marks it left on the atoms.
   */
  readonly reads?: ReadonlyMap<Rule, RuleReads>;
}

/** What the magic-set transformation did to a program; its rules and relations already include the result. */
export interface MagicReport {
  /** The relations it added: an adorned copy of a relation (b: bound column, f: free), or the magic set seeding one. */
  readonly generated: ReadonlyMap<string, { readonly kind: "adorned" | "magic"; readonly relation: string; readonly adornment: string }>;
  /** Relations of the program whose own rules no longer run: only their adorned copies are computed, so they stay empty. */
  readonly replaced: readonly string[];
  /** Relations with rules that the pragma covers but that are computed in full, each with the reason. */
  readonly refused: ReadonlyMap<string, string>;
}
