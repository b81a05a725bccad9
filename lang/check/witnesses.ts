// Aggregate witnesses, as Soufflé has them: a variable that the rule uses
// outside every aggregate, that nothing there grounds, but that the body of a
// min or max aggregate grounds, is bound to the values it has in the bindings
// of that body which attain the minimum or maximum. `m = max h : { s(p, h) }`
// with `p` in the head gives every p of greatest h. A witness of an aggregate
// nested in another one reaches the rule too, through a copy of the inner
// aggregate evaluated in the rule itself; that copy may only read variables of
// the rule. Only the rule itself receives witnesses, never an enclosing
// aggregate; count, sum and mean have none.

import type { Aggregate, Variable } from "../ast.js";
import type { Note } from "../diagnostics.js";
import type { Span } from "../span.js";
import { groundFixpoint } from "./ground-fixpoint.js";
import type { PlainScopes, ScopeNode } from "./scope-tree.js";
import { allVariables, directAggregates, directVariables, termsOfLiterals } from "./ast-terms.js";

export interface Witness {
  /** The aggregate whose body grounds the variable. */
  readonly aggregate: Aggregate;
  /** The variable's model name in the rule. */
  readonly name: string;
  /** Its model name inside the aggregate: `name` itself when the aggregate is directly in the rule. */
  readonly inner: string;
  /** Whether the aggregate is directly in the rule's body, not inside another aggregate. */
  readonly direct: boolean;
  /** An occurrence of the variable inside the aggregate. */
  readonly occurrence: Variable;
  /** The variable's first occurrence in the rule, outside aggregates. */
  readonly at: Span;
  /** Why the aggregate cannot export the variable; the rule is then in error. */
  readonly problem?: { readonly message: string; readonly notes: readonly Note[] };
}

/** The scopes of each aggregate, with how deep it is nested (1: directly in the rule). */
function aggregateScopes(root: ScopeNode): { node: ScopeNode; path: readonly ScopeNode[] }[] {
  const out: { node: ScopeNode; path: readonly ScopeNode[] }[] = [];
  const visit = (node: ScopeNode, path: readonly ScopeNode[]): void => {
    for (const c of node.children) {
      out.push({ node: c, path });
      visit(c, [...path, c]);
    }
  };
  visit(root, []);
  return out;
}

/** The variables of a rule that only an aggregate's body grounds, one entry per (variable, aggregate). */
export function findWitnesses(scopes: PlainScopes): Witness[] {
  const { root, names, display } = scopes;
  const nameOf = (v: Variable) => names.get(v);
  const groundedIn = new Map<ScopeNode, Set<string>>();
  const ground = (s: ScopeNode, inherited: ReadonlySet<string>): void => {
    const g = groundFixpoint(s.literals, nameOf, inherited, () => true);
    groundedIn.set(s, g);
    s.children.forEach((c) => ground(c, g));
  };
  ground(root, new Set());
  const rootGrounded = groundedIn.get(root)!;
  const ungrounded = new Map<string, string>();
  for (const m of root.locals) if (!rootGrounded.has(m)) ungrounded.set(display.get(m) ?? m, m);
  if (ungrounded.size === 0) return [];

  const rootOccurrence = new Map<string, Span>();
  for (const v of directVariables([...root.terms, ...termsOfLiterals(root.literals)])) {
    const m = nameOf(v);
    if (m !== undefined && !rootOccurrence.has(m)) rootOccurrence.set(m, v.span);
  }
  const inHead = new Set(directAggregates(root.terms));
  const out: Witness[] = [];
  for (const { node, path } of aggregateScopes(root)) {
    const agg = node.aggregate!;
    const g = groundedIn.get(node)!;
    for (const local of node.locals) {
      const shown = display.get(local) ?? local;
      const name = ungrounded.get(shown);
      if (name === undefined || !g.has(local)) continue;
      const occurrence = allVariables(agg.body, agg.target ? [agg.target] : []).find((v) => nameOf(v) === local)!;
      const at = rootOccurrence.get(name)!;
      const w = { aggregate: agg, name, inner: path.length === 0 ? name : local, direct: path.length === 0, occurrence, at };
      const problem = problemOf(w, shown, node, path, inHead, scopes);
      out.push(problem ? { ...w, problem } : w);
    }
  }
  return out;
}

function problemOf(
  w: Omit<Witness, "problem">,
  shown: string,
  node: ScopeNode,
  path: readonly ScopeNode[],
  inHead: ReadonlySet<Aggregate>,
  scopes: PlainScopes,
): Witness["problem"] {
  const agg = w.aggregate;
  const here: Note = { message: `"${shown}" is bound inside this ${agg.fn}`, span: agg.span };
  if (agg.fn !== "min" && agg.fn !== "max") {
    return {
      message: `variable "${shown}" is bound only inside a ${agg.fn}, and only min and max export the variables they bind (witnesses)`,
      notes: [here, { message: `to ${agg.fn} per "${shown}", bind "${shown}" outside the ${agg.fn} too, with an atom of the rule's body` }],
    };
  }
  const top = path[0]?.aggregate ?? agg;
  if (inHead.has(top)) {
    return {
      message: `variable "${shown}" is bound only inside an aggregate of the head; witnesses come from aggregates of the body`,
      notes: [here],
    };
  }
  if (w.direct) return undefined;
  // A nested aggregate's witness reaches the rule through a copy of it in the rule: it may read only the rule's variables.
  const localsBelow = new Set<string>();
  const collect = (s: ScopeNode): void => {
    for (const m of s.locals) localsBelow.add(m);
    s.children.forEach(collect);
  };
  collect(node);
  const rootVars = new Set(scopes.root.locals);
  for (const v of allVariables(agg.body, agg.target ? [agg.target] : [])) {
    const m = scopes.names.get(v);
    if (m === undefined || localsBelow.has(m) || rootVars.has(m)) continue;
    const owner = path.find((s) => s.locals.includes(m))?.aggregate;
    return {
      message: `variable "${shown}" is a witness of a ${agg.fn} inside another aggregate, and that ${agg.fn} reads "${v.name}", which is local to the enclosing aggregate`,
      notes: [here, ...(owner ? [{ message: `"${v.name}" is local to this ${owner.fn}`, span: owner.span }] : [])],
    };
  }
  return undefined;
}

/** The witnesses of `agg` that the rule receives, valid ones only. */
export function witnessesOf(witnesses: readonly Witness[], agg: Aggregate): Witness[] {
  return witnesses.filter((w) => w.aggregate === agg && !w.problem);
}
