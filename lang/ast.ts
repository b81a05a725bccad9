// The abstract syntax tree of a .dl program, as the parser produces it.
// Nodes are plain readonly objects tagged by `kind`; every node that a
// diagnostic may point at carries a `span` into its source file.

import type { Span } from "./span.js";

export type ArithOp = "+" | "-" | "*" | "/" | "%" | "^" | "band" | "bor" | "bxor" | "bshl" | "bshr" | "bshru" | "land" | "lor" | "lxor";

export type UnaryOp = "neg" | "bnot" | "lnot";

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type AggregateFn = "count" | "sum" | "min" | "max" | "mean";

/** A number literal; `numType` is the type its spelling forces, or undefined for a plain integer. */
export interface NumberLit {
  readonly kind: "number";
  readonly text: string;
  /** The value as a JS number (integers exactly, floats as written). */
  readonly value: number;
  /** "float" for 1.5, "unsigned" for 10u; undefined for a plain integer (number unless context says otherwise). */
  readonly numType?: "float" | "unsigned";
  readonly span: Span;
}

export interface StringLit {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}
export interface Variable {
  readonly kind: "var";
  readonly name: string;
  readonly span: Span;
}
export interface Wildcard {
  readonly kind: "wildcard";
  readonly span: Span;
}
export interface Binary {
  readonly kind: "binary";
  readonly op: ArithOp;
  readonly left: Term;
  readonly right: Term;
  readonly span: Span;
}
export interface Unary {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly operand: Term;
  readonly span: Span;
}
/** A functor call: a built-in (cat, strlen, substr, ord, to_number, to_string, min, max, autoinc, …) or a user functor, whose name keeps its `@`. */
export interface Call {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly Term[];
  readonly span: Span;
}
/** `as(term, Type)`: a type cast. */
export interface Cast {
  readonly kind: "cast";
  readonly term: Term;
  readonly typeName: string;
  readonly span: Span;
}
/** `count : { body }`, `sum t : { body }`, `min t : atom`, … */
export interface Aggregate {
  readonly kind: "aggregate";
  readonly fn: AggregateFn;
  readonly target?: Term;
  readonly body: readonly Literal[];
  readonly span: Span;
}

/** `[t, …]`: a record value (lang/check/records.ts gives it its record type). */
export interface RecordTerm {
  readonly kind: "record";
  readonly args: readonly Term[];
  readonly span: Span;
}
/** `nil`: the null record, of any record type. */
export interface Nil {
  readonly kind: "nil";
  readonly span: Span;
}
/** `$Branch(t, …)`: a value of the algebraic data type that declares the branch. */
export interface AdtTerm {
  readonly kind: "adt";
  readonly branch: string;
  readonly args: readonly Term[];
  readonly span: Span;
}

export type Term = NumberLit | StringLit | Variable | Wildcard | Binary | Unary | Call | Cast | Aggregate | RecordTerm | Nil | AdtTerm;

export interface Atom {
  readonly kind: "atom";
  readonly relation: string;
  readonly args: readonly Term[];
  readonly span: Span;
}
export interface Negation {
  readonly kind: "negation";
  readonly atom: Atom;
  readonly span: Span;
}
export interface Comparison {
  readonly kind: "compare";
  readonly op: CompareOp;
  readonly left: Term;
  readonly right: Term;
  readonly span: Span;
}
/** A built-in test in a body: contains(a, b), match(re, s), true, false; possibly negated with `!`. */
export interface Test {
  readonly kind: "test";
  readonly name: "contains" | "match" | "true" | "false";
  readonly args: readonly Term[];
  readonly negated: boolean;
  readonly span: Span;
}

export type Literal = Atom | Negation | Comparison | Test;

/** A rule body in disjunctive normal form: one conjunction per alternative separated by `;`. */
export type Body = readonly (readonly Literal[])[];

/**
 * One entry of a rule's `.plan`: for the rule's version `version` (the one
 * reading the delta of its `version`-th recursive atom, from 0), the order in
 * which to join its body atoms, numbered from 1 in body order.
 */
export interface PlanEntry {
  readonly version: number;
  readonly order: readonly number[];
  readonly span: Span;
}

/** A fact (no body) or a rule; `heads` has several atoms for `a(x), b(x) :- …`; `plan` is the `.plan` after it. */
export interface Clause {
  readonly kind: "clause";
  readonly heads: readonly Atom[];
  readonly body?: Body;
  readonly span: Span;
  readonly plan?: readonly PlanEntry[];
}

/**
 * Soufflé's subsumption `R(a…) <= R(b…) :- body.`: a tuple of R matching the
 * left atom is dropped when one matching the right atom exists and the body
 * holds (lang/check/subsumption.ts reads the dominance forms Cairn evaluates).
 */
export interface Subsumption {
  readonly kind: "subsumption";
  readonly dominated: Atom;
  readonly dominating: Atom;
  readonly body: Body;
  readonly span: Span;
}

/**
 * A type written in a declaration: a name such as `number` or `Node`, or a lattice type with
 * arguments: `min<number>`, `set<symbol>`, `pair<min<number>, max<number>>`, a user lattice `Sign<>`.
 * `args` is absent for a plain name and empty for `Name<>`.
 */
export interface TypeRef {
  readonly name: string;
  readonly args?: readonly TypeRef[];
  readonly span: Span;
}

export interface Attribute {
  readonly name: string;
  readonly type: TypeRef;
  readonly span: Span;
}

export interface RelationDecl {
  readonly kind: "decl";
  readonly name: string;
  readonly attributes: readonly Attribute[];
  /** Qualifiers as written: btree, brie, eqrel, inline, magic, no_magic, … */
  readonly qualifiers: readonly string[];
  /** `choice-domain x, (y, z)`: each domain's column names, with where it is written. */
  readonly choiceDomain?: readonly { readonly columns: readonly string[]; readonly span: Span }[];
  readonly span: Span;
  readonly nameSpan: Span;
}

/** A branch of an algebraic data type: `Name {field: T, …}`. */
export interface AdtBranch {
  readonly name: string;
  readonly fields: readonly Attribute[];
  readonly span: Span;
}

/**
 * `.type A <: number` (subtype), `.type A = B` (equivalence), `.type A = B | C` (union),
 * `.type A = [x: T, …]` (record: `fields`), `.type A = B {…} | C {…}` (algebraic data type: `branches`).
 * `of` is empty for a record or an algebraic data type.
 */
export interface TypeDecl {
  readonly kind: "type";
  readonly name: string;
  readonly form: "subtype" | "equivalence" | "union" | "record" | "adt";
  readonly of: readonly TypeRef[];
  readonly fields?: readonly Attribute[];
  readonly branches?: readonly AdtBranch[];
  readonly span: Span;
}

export type DirectiveKind = "input" | "output" | "printsize" | "limitsize";

export interface Directive {
  readonly kind: "directive";
  readonly directive: DirectiveKind;
  readonly relation: string;
  readonly params: Readonly<Record<string, string>>;
  readonly span: Span;
  readonly relationSpan: Span;
}

export interface Pragma {
  readonly kind: "pragma";
  readonly key: string;
  readonly value?: string;
  readonly span: Span;
}

/**
 * `.lattice T<> { Bottom -> c, Top -> c, Lub -> term, Glb -> term }`: lattice structure on the type T.
 * In Lub and Glb the two wildcards `_` stand for the operands, left then right in source order:
 * `Lub -> @sign_lub(_, _)`, `Lub -> _ bor _`, `Lub -> max(_, _)`.
 */
export interface LatticeDecl {
  readonly kind: "lattice";
  readonly name: string;
  readonly ops: readonly { readonly op: "Bottom" | "Top" | "Lub" | "Glb"; readonly term: Term; readonly span: Span }[];
  readonly span: Span;
}

/** `.functor f(a: T, …): R [monotone] [stateful]`: a function implemented in TypeScript through the API, called as `@f(…)`. */
export interface FunctorDecl {
  readonly kind: "functor";
  readonly name: string;
  readonly params: readonly Attribute[];
  readonly result: TypeRef;
  readonly qualifiers: readonly string[];
  readonly span: Span;
}

/** A component named with type arguments: `Graph<number>` in `.init g = Graph<number>` or after `:` in `.comp`. */
export interface ComponentRef {
  readonly name: string;
  readonly args: readonly string[];
  readonly span: Span;
}

/** `.comp Name<T, …> : Base<…>, … { items }`: a template of items that `.init` instantiates (lang/components.ts). */
export interface ComponentDecl {
  readonly kind: "component";
  readonly name: string;
  readonly params: readonly string[];
  readonly bases: readonly ComponentRef[];
  readonly items: readonly Item[];
  readonly span: Span;
}

/** `.init x = Name<…>`: the component's items, their relations and types named `x.…`. */
export interface ComponentInit {
  readonly kind: "init";
  readonly instance: string;
  readonly component: ComponentRef;
  readonly span: Span;
}

/** `.override r` inside a component: the clauses its bases give for `r` are dropped. */
export interface Override {
  readonly kind: "override";
  readonly relation: string;
  readonly span: Span;
}

export type Item =
  | RelationDecl
  | TypeDecl
  | Directive
  | Clause
  | Subsumption
  | Pragma
  | LatticeDecl
  | FunctorDecl
  | ComponentDecl
  | ComponentInit
  | Override;

export interface Program {
  readonly items: readonly Item[];
}
