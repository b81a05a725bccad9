// The scopes of a rule as a tree: the rule, and the body of each aggregate
// inside it, with the variables each introduces and the model name of every
// variable occurrence. scope.ts builds it; witnesses.ts reads it.

import type { Aggregate, Literal, Term, Variable } from "../ast.js";
import type { Span } from "../span.js";

export interface ScopeNode {
  /** The aggregate this scope is the body of; undefined for the rule itself. */
  readonly aggregate?: Aggregate;
  readonly literals: readonly Literal[];
  /** The head's arguments (rule) or the aggregate's target. */
  readonly terms: readonly Term[];
  /** Variables introduced by this scope (names as in the model), in order of first occurrence. */
  readonly locals: readonly string[];
  readonly children: readonly ScopeNode[];
}

/** The scopes of a rule before witnesses are known. */
export interface PlainScopes {
  readonly root: ScopeNode;
  /** The model name of each variable occurrence. */
  readonly names: ReadonlyMap<Variable, string>;
  /** The name as written, for each model name. */
  readonly display: ReadonlyMap<string, string>;
  /** The first occurrence of each model name. */
  readonly first: ReadonlyMap<string, Span>;
}
