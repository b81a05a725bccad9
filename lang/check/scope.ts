// Variable scopes. A variable of an aggregate's body refers to the enclosing
// rule's variable when that one is grounded outside the aggregate (Soufflé's
// "injected" variables); otherwise it is local to the aggregate, and renamed
// (`x#1`) where the name is also used elsewhere in the rule.

import type { Aggregate, Literal, Term, Variable } from "../ast.js";
import type { Span } from "../span.js";
import { groundFixpoint } from "./grounding.js";
import { directAggregates, directVariables, termsOfLiterals } from "./util.js";

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

export interface Scoped {
  readonly root: ScopeNode;
  /** The model name of each variable occurrence. */
  readonly names: ReadonlyMap<Variable, string>;
  /** The name as written, for each model name. */
  readonly display: ReadonlyMap<string, string>;
  /** The first occurrence of each model name. */
  readonly first: ReadonlyMap<string, Span>;
}

/** Resolves the scopes of a rule with the given head arguments and body. */
export function resolveScopes(headArgs: readonly Term[], body: readonly Literal[]): Scoped {
  const names = new Map<Variable, string>();
  const display = new Map<string, string>();
  const first = new Map<string, Span>();
  const fresh = (name: string): string => {
    let m = name;
    for (let k = 1; display.has(m); k++) m = `${name}#${k}`;
    display.set(m, name);
    return m;
  };

  const build = (literals: readonly Literal[], terms: readonly Term[], aggregate: Aggregate | undefined, env: ReadonlyMap<string, string>): ScopeNode => {
    const all = [...terms, ...termsOfLiterals(literals)];
    const scopeEnv = new Map(env);
    const locals: string[] = [];
    for (const v of directVariables(all)) {
      let m = scopeEnv.get(v.name);
      if (m === undefined) {
        m = fresh(v.name);
        scopeEnv.set(v.name, m);
        locals.push(m);
        first.set(m, v.span);
      }
      names.set(v, m);
    }
    const children = directAggregates(all).map((agg) => {
      // What is grounded here without this aggregate's value (other aggregates count as grounded).
      const grounded = groundFixpoint(literals, (v) => names.get(v), new Set(env.values()), (a) => a !== agg);
      const inner = new Map([...scopeEnv].filter(([, m]) => grounded.has(m)));
      return build(agg.body, agg.target ? [agg.target] : [], agg, inner);
    });
    return { aggregate, literals, terms, locals, children };
  };

  const root = build(body, headArgs, undefined, new Map());
  return { root, names, display, first };
}
