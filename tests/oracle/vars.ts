// Which variables a term needs bound, and which variables of an aggregate are
// shared with its rule (bound by the rule) rather than local to the aggregate
// or bound by it (its witnesses).

import type { MLiteral, MTerm, Rule } from "../../lang/model.js";

/** Every variable name occurring in a term or literal, skipping the subtree `skip`. */
export function varsOf(node: MTerm | MLiteral, skip: object, into: Set<string>): Set<string> {
  if (node === skip) return into;
  switch (node.kind) {
    case "var":
      into.add(node.name);
      break;
    case "binary":
      varsOf(node.left, skip, into);
      varsOf(node.right, skip, into);
      break;
    case "unary":
      varsOf(node.operand, skip, into);
      break;
    case "cast":
      varsOf(node.term, skip, into);
      break;
    case "call":
    case "atom":
    case "test":
      for (const a of node.args) varsOf(a, skip, into);
      break;
    case "negation":
      varsOf(node.atom, skip, into);
      break;
    case "compare":
      varsOf(node.left, skip, into);
      varsOf(node.right, skip, into);
      break;
    case "aggregate":
      if (node.target) varsOf(node.target, skip, into);
      for (const l of node.body) varsOf(l, skip, into);
      break;
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
        switch (t.kind) {
          case "var":
            into.add(t.name);
            break;
          case "binary":
            walk(t.left);
            walk(t.right);
            break;
          case "unary":
            walk(t.operand);
            break;
          case "cast":
            walk(t.term);
            break;
          case "call":
            t.args.forEach(walk);
            break;
          case "aggregate":
            for (const v of this.shared(t)) into.add(v);
            break;
        }
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
