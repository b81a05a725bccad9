// Variable scopes. A variable of an aggregate's body refers to the enclosing
// rule's variable when that one is grounded outside the aggregate and does not
// occur in the aggregate's target (Soufflé's "injected" variables); otherwise
// it is local to the aggregate, and renamed (`x#1`) where the name is also used
// elsewhere in the rule. The exception are witnesses (witnesses.ts): a variable
// the rule uses but only a min or max aggregate's body grounds is the rule's
// variable inside that aggregate too.

import type { Aggregate, Literal, Term, Variable } from "../ast.js";
import type { Span } from "../span.js";
import { directAggregates, directVariables, termsOfLiterals } from "./ast-terms.js";
import { groundFixpoint } from "./ground-fixpoint.js";
import type { PlainScopes, ScopeNode } from "./scope-tree.js";
import { findWitnesses, type Witness } from "./witnesses.js";

export type { PlainScopes, ScopeNode } from "./scope-tree.js";
export type { Witness } from "./witnesses.js";

export interface Scoped extends PlainScopes {
  /** Variables of the rule that only an aggregate's body grounds: witnesses, or errors where they cannot be. */
  readonly witnesses: readonly Witness[];
}

/** Resolves the scopes of a rule with the given head arguments and body. */
export function resolveScopes(headArgs: readonly Term[], body: readonly Literal[]): Scoped {
  const plain = buildScopes(headArgs, body, new Map());
  const found = findWitnesses(plain);
  if (found.length === 0) return { ...plain, witnesses: [] };
  // A witness of an aggregate written directly in the rule is the rule's variable inside it as well.
  const exported = new Map<Aggregate, Map<string, string>>();
  for (const w of found) {
    if (w.problem || !w.direct) continue;
    const m = exported.get(w.aggregate) ?? new Map<string, string>();
    m.set(plain.display.get(w.name) ?? w.name, w.name);
    exported.set(w.aggregate, m);
  }
  if (exported.size === 0) return { ...plain, witnesses: found };
  const scoped = buildScopes(headArgs, body, exported);
  // Local names may have been renumbered: find each nested witness's inner name again through an occurrence.
  const witnesses = found.map((w) => (w.direct ? w : { ...w, inner: scoped.names.get(w.occurrence) ?? w.inner }));
  return { ...scoped, witnesses };
}

function buildScopes(
  headArgs: readonly Term[],
  body: readonly Literal[],
  /** Per aggregate, variables (by written name) that are the rule's variable of the given model name. */
  exported: ReadonlyMap<Aggregate, ReadonlyMap<string, string>>,
): PlainScopes {
  const names = new Map<Variable, string>();
  const display = new Map<string, string>();
  const first = new Map<string, Span>();
  const fresh = (name: string): string => {
    let m = name;
    for (let k = 1; display.has(m); k++) m = `${name}#${k}`;
    display.set(m, name);
    return m;
  };

  const build = (
    literals: readonly Literal[],
    terms: readonly Term[],
    aggregate: Aggregate | undefined,
    env: ReadonlyMap<string, string>,
  ): ScopeNode => {
    const all = [...terms, ...termsOfLiterals(literals)];
    const scopeEnv = new Map(env);
    const locals: string[] = [];
    const shared = aggregate ? exported.get(aggregate) : undefined;
    for (const v of directVariables(all)) {
      let m = scopeEnv.get(v.name);
      if (m === undefined) {
        m = shared?.get(v.name);
        if (m === undefined) {
          m = fresh(v.name);
          locals.push(m);
          first.set(m, v.span);
        }
        scopeEnv.set(v.name, m);
      }
      names.set(v, m);
    }
    const children = directAggregates(all).map((agg) => {
      // What is grounded here without this aggregate's value (other aggregates count as grounded).
      const grounded = groundFixpoint(
        literals,
        (v) => names.get(v),
        new Set(env.values()),
        (a) => a !== agg,
      );
      // Variables of the target are the aggregate's own, even when the rule has one of that name.
      const targetNames = new Set(agg.target ? directVariables([agg.target]).map((v) => v.name) : []);
      const inner = new Map([...scopeEnv].filter(([n, m]) => grounded.has(m) && !targetNames.has(n)));
      return build(agg.body, agg.target ? [agg.target] : [], agg, inner);
    });
    return { aggregate, literals, terms, locals, children };
  };

  const root = build(body, headArgs, undefined, new Map());
  return { root, names, display, first };
}
