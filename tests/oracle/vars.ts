// Which variables a term needs bound, and which variables of an aggregate are
// shared with its rule (bound by the rule) rather than local to the aggregate
// or bound by it (its witnesses). The terms directly under a term or a literal
// (operands, literalArgs) are spelled out here once for the whole oracle,
// which walks terms on its own rather than with the engine's walkers.

import type { MLiteral, MTerm, Rule } from "../../lang/model.js";

/** The terms directly under a term other than an aggregate (whose target and body are a scope of their own). */
export function operands(t: MTerm): readonly MTerm[] {
  switch (t.kind) {
    case "binary":
      return [t.left, t.right];
    case "unary":
      return [t.operand];
    case "cast":
      return [t.term];
    case "call":
      return t.args;
    default:
      return [];
  }
}

/** The terms directly under a literal. */
export function literalArgs(l: MLiteral): readonly MTerm[] {
  switch (l.kind) {
    case "atom":
    case "test":
      return l.args;
    case "negation":
      return l.atom.args;
    case "compare":
      return [l.left, l.right];
  }
}

/** Every variable name occurring in a term or literal, skipping the subtree `skip`. */
export function varsOf(node: MTerm | MLiteral, skip: object, into: Set<string>): Set<string> {
  if (node === skip) return into;
  switch (node.kind) {
    case "var":
      into.add(node.name);
      break;
    case "aggregate":
      if (node.target) varsOf(node.target, skip, into);
      for (const l of node.body) varsOf(l, skip, into);
      break;
    case "atom":
    case "negation":
    case "compare":
    case "test":
      for (const a of literalArgs(node)) varsOf(a, skip, into);
      break;
    default:
      for (const s of operands(node)) varsOf(s, skip, into);
  }
  return into;
}

/** Caches, per rule, the variables each term needs and each aggregate shares. */
export class RuleVars {
  private readonly needCache = new Map<MTerm, ReadonlySet<string>>();
  private readonly sharedCache = new Map<MTerm, ReadonlySet<string>>();

  constructor(private readonly rule: Rule) {}

  /** The variables of an aggregate that also occur outside it: the enclosing rule binds them (all but its witnesses). */
  shared(agg: MTerm): ReadonlySet<string> {
    let s = this.sharedCache.get(agg);
    if (!s) {
      const outside = varsOf(this.rule.head, agg, new Set());
      for (const l of this.rule.body) varsOf(l, agg, outside);
      const witnesses = agg.kind === "aggregate" ? (agg.witnesses ?? []) : [];
      s = new Set([...varsOf(agg, {}, new Set())].filter((v) => outside.has(v) && !witnesses.includes(v)));
      this.sharedCache.set(agg, s);
    }
    return s;
  }

  /** The variables `term` needs bound before it can be evaluated (for an aggregate: the shared ones). */
  needs(term: MTerm): ReadonlySet<string> {
    let s = this.needCache.get(term);
    if (!s) {
      const into = new Set<string>();
      const walk = (t: MTerm): void => {
        if (t.kind === "var") into.add(t.name);
        else if (t.kind === "aggregate") for (const v of this.shared(t)) into.add(v);
        else operands(t).forEach(walk);
      };
      walk(term);
      s = into;
      this.needCache.set(term, s);
    }
    return s;
  }

  /** Whether every variable `term` needs is bound in `env` (or in `extra`). */
  ready(term: MTerm, env: ReadonlyMap<string, unknown>, extra?: ReadonlySet<string>): boolean {
    for (const v of this.needs(term)) if (!env.has(v) && !extra?.has(v)) return false;
    return true;
  }
}
