// Lays a normalised rule version (engine/plan/normalise.ts) out as a pipeline
// (engine/plan/ir.ts). At every step the pipeline takes first whatever is
// ready (a filter, an equality that binds a variable, a negation or an
// aggregate whose outside variables are bound), so filters sit as early as
// their variables allow; otherwise it reads the next atom, which a JoinOrder
// chooses (engine/plan/orders.ts, engine/plan/join-order.ts). A read whose
// bindings nothing later uses stops at its first match. A min or max with
// witnesses plans its body a second time, for the bindings that attain the
// result, and the rest of the rule runs inside that second pipeline.

import type { AggregateFn } from "../../lang/ast.js";
import type { BaseType, MAtom, MLiteral, MTerm } from "../../lang/model.js";
import { literalVars, someTerm, termVars } from "../../lang/model-terms.js";
import type { ColumnUse, Op, RulePlan } from "./ir.js";
import {
  type AggregateTerm,
  type AtomItem,
  countsDistinct,
  distinctKey,
  isAtomItem,
  type Item,
  Normaliser,
  type PreparedVersion,
} from "./normalise.js";
import { boundColumnsOrder, type JoinOrder } from "./orders.js";

/** A call of autoinc(), whose every evaluation gives another number. */
const isAutoinc = (t: MTerm): boolean => t.kind === "call" && t.name === "autoinc";

/** What the planner needs to know of the program's relations. */
export interface RelationShapes {
  readonly arity: (relation: string) => number;
  /** Whether the relation's last column is a lattice value (never a key column; superseded rows are skipped). */
  readonly isLattice: (relation: string) => boolean;
}

/** Lays a normalised conjunction out as a pipeline. */
class PipelineBuilder {
  /** Variables bound so far. */
  private readonly bound = new Set<string>();
  /** Variables the continuation (head or aggregate update) reads. */
  private contNeeded: ReadonlySet<string> = new Set();
  /** Whether an atom whose bindings nothing reads may stop at its first match (not under count/sum/mean). */
  private existential = true;

  constructor(
    private readonly shapes: RelationShapes,
    private readonly normaliser: Normaliser,
    private readonly nested: () => JoinOrder,
  ) {}

  private isBound(t: MTerm): boolean {
    for (const v of termVars(t, new Set())) if (!this.bound.has(v)) return false;
    return true;
  }

  /** An unbound variable that an equality may bind; an aggregate's result is bound only by its aggregate. */
  private bindable(t: MTerm): t is Extract<MTerm, { kind: "var" }> {
    return t.kind === "var" && !this.bound.has(t.name) && !t.name.startsWith("$agg");
  }

  private ready(item: Item, items: readonly Item[]): boolean {
    if (item.kind === "agg") return [...item.outer].every((v) => this.bound.has(v));
    const l = item.lit;
    switch (l.kind) {
      case "atom":
        return false;
      case "negation":
        return l.atom.args.every((a) => a.kind === "wildcard" || this.isBound(a));
      case "test":
        return l.args.every((a) => this.isBound(a));
      case "compare": {
        // `i = autoinc()` numbers each binding: it waits until nothing but what reads its number is left.
        if (someTerm(l.left, isAutoinc) || someTerm(l.right, isAutoinc)) {
          const made = new Set<string>();
          literalVars(l, made);
          for (const v of this.bound) made.delete(v);
          const before = items.some(
            (it) => it !== item && ![...(it.kind === "agg" ? it.outer : literalVars(it.lit))].some((v) => made.has(v)),
          );
          if (before) return false;
        }
        if (this.isBound(l.left) && this.isBound(l.right)) return true;
        if (l.op !== "=") return false;
        // Float equality is not bit equality (0.0 = -0.0): let an atom bind the variable instead.
        if (l.type === "float") {
          const v = l.left.kind === "var" ? l.left.name : l.right.kind === "var" ? l.right.name : "";
          const inAtom = items.some((it) => isAtomItem(it) && it.lit.args.some((a) => a.kind === "var" && a.name === v));
          if (inAtom) return false;
        }
        return (this.bindable(l.left) && this.isBound(l.right)) || (this.bindable(l.right) && this.isBound(l.left));
      }
    }
  }

  /** The pipeline for the conjunction `items`, with `cont` innermost. */
  build(items: readonly Item[], order: JoinOrder, cont: () => Op[]): Op[] {
    if (items.length === 0) return cont();
    const readyIdx = items.findIndex((it) => this.ready(it, items));
    if (readyIdx >= 0) {
      const rest = items.filter((_, i) => i !== readyIdx);
      const it = items[readyIdx]!;
      return it.kind === "agg" ? this.aggregate(it, rest, order, cont) : this.filter(it.lit, rest, order, cont);
    }
    const pending = items.filter(isAtomItem);
    if (pending.length === 0) {
      const left = items.map((it) => (it.kind === "agg" ? "aggregate" : it.lit.kind)).join(", ");
      throw new Error(`internal: cannot order the body literals (${left}); a variable is not grounded`);
    }
    const pick = order.next(pending, this.bound);
    return this.read(
      pick,
      items.filter((it) => it !== pick),
      order,
      cont,
    );
  }

  /** Binds `name` while `inner` plans what follows. */
  private withBound(names: readonly string[], inner: () => Op[]): Op[] {
    const added = names.filter((n) => !this.bound.has(n));
    for (const n of added) this.bound.add(n);
    const ops = inner();
    for (const n of added) this.bound.delete(n);
    return ops;
  }

  private filter(l: MLiteral, rest: readonly Item[], order: JoinOrder, cont: () => Op[]): Op[] {
    const next = () => this.build(rest, order, cont);
    switch (l.kind) {
      case "compare": {
        if (l.right.kind === "call" && l.right.name === "range") {
          const args = l.right.args;
          if (this.bindable(l.left)) {
            const variable = l.left.name;
            return [{ kind: "range", type: l.right.type, args, variable }, ...this.withBound([variable], next)];
          }
          return [{ kind: "range", type: l.right.type, args, equals: l.left }, ...next()];
        }
        if (l.op === "=" && !(this.isBound(l.left) && this.isBound(l.right))) {
          const [v, e] =
            this.bindable(l.left) && this.isBound(l.right) ? [l.left, l.right] : [l.right as Extract<MTerm, { kind: "var" }>, l.left];
          return [{ kind: "bind", variable: v.name, term: e }, ...this.withBound([v.name], next)];
        }
        return [{ kind: "filter", literal: l }, ...next()];
      }
      case "test":
        return [{ kind: "filter", literal: l }, ...next()];
      case "negation": {
        const a = l.atom;
        const arity = this.shapes.arity(a.relation);
        const lattice = this.shapes.isLattice(a.relation);
        const index: number[] = [];
        const keys: MTerm[] = [];
        let value: MTerm | undefined;
        a.args.forEach((t, c) => {
          if (t.kind === "wildcard") return;
          if (lattice && c === arity - 1) value = t;
          else {
            index.push(c);
            keys.push(t);
          }
        });
        const unique = !lattice && index.length === arity;
        return [{ kind: "negation", relation: a.relation, index, keys, lattice, unique, ...(value ? { value } : {}) }, ...next()];
      }
      case "atom":
        throw new Error("internal: atoms are not filters");
    }
  }

  private read(item: AtomItem, rest: readonly Item[], order: JoinOrder, cont: () => Op[]): Op[] {
    const a = item.lit;
    const arity = this.shapes.arity(a.relation);
    const lattice = this.shapes.isLattice(a.relation);
    const index: number[] = [];
    const keys: MTerm[] = [];
    a.args.forEach((t, c) => {
      if (lattice && c === arity - 1) return;
      if (t.kind === "const" || (t.kind === "var" && this.bound.has(t.name))) {
        index.push(c);
        keys.push(t);
      }
    });
    const columns: ColumnUse[] = [];
    const boundHere: string[] = [];
    a.args.forEach((t, c) => {
      if (index.includes(c) || t.kind === "wildcard") return;
      if (t.kind === "const") columns.push({ kind: "check", column: c, term: t });
      else if (t.kind === "var") {
        if (this.bound.has(t.name) || boundHere.includes(t.name)) columns.push({ kind: "check", column: c, term: t });
        else {
          columns.push({ kind: "bind", column: c, variable: t.name });
          boundHere.push(t.name);
        }
      } else throw new Error("internal: atom arguments are variables, constants or wildcards once normalised");
    });
    // An existence check: when nothing after this atom reads what it binds, the first match is enough.
    const later = new Set(this.contNeeded);
    for (const it of rest) {
      if (it.kind === "agg") termVars(it.agg, later);
      else literalVars(it.lit, later);
    }
    const exists = this.existential && boundHere.every((v) => !later.has(v));
    const op: Op = {
      kind: index.length === 0 ? "scan" : "probe",
      atom: item.atom,
      relation: a.relation,
      range: item.range,
      index,
      keys,
      columns,
      exists,
      lattice,
      unique: !lattice && index.length === arity,
    };
    const next = () => this.build(rest, order, cont);
    return [op, ...(exists ? next() : this.withBound(boundHere, next))];
  }

  private aggregate(it: Extract<Item, { kind: "agg" }>, rest: readonly Item[], order: JoinOrder, cont: () => Op[]): Op[] {
    const { agg } = it;
    const witnesses = agg.witnesses ?? [];
    // The value ranges over all bindings of the body: a witness bound earlier (by another aggregate) is not fixed here.
    const hidden = witnesses.filter((w) => this.bound.has(w));
    for (const w of hidden) this.bound.delete(w);
    const scope = new Set(this.bound);
    const items = this.normaliser.conjunction(agg.body, undefined, agg.target ? [agg.target] : [], scope);
    const type: BaseType = agg.target?.type ?? "number";
    const distinct = countsDistinct(agg) ? distinctKey(items, scope) : undefined;
    const saved = [this.contNeeded, this.existential] as const;
    const targetVars = agg.target ? termVars(agg.target, new Set()) : new Set<string>();
    this.contNeeded = new Set([...targetVars, ...(distinct ?? [])]);
    // An atom whose bindings nothing reads may stop at its first match, unless every match counts.
    this.existential = agg.fn === "min" || agg.fn === "max" || distinct !== undefined;
    const body = this.build(items, this.nested(), () => [{ kind: "accumulate" }]);
    [this.contNeeded, this.existential] = saved;
    for (const w of hidden) this.bound.add(w);
    const head = {
      kind: "aggregate" as const,
      fn: agg.fn as AggregateFn,
      type: agg.fn === "count" ? ("number" as const) : agg.fn === "mean" ? ("float" as const) : type,
      variable: it.name,
      ...(agg.target ? { target: agg.target } : {}),
      body,
      ...(distinct ? { distinct } : {}),
    };
    return this.withBound([it.name], () => {
      if (witnesses.length === 0) return [head, ...this.build(rest, order, cont)];
      const { ops, after } = this.witnessPipeline(agg, it.name, () => this.build(rest, order, cont));
      return [{ ...head, witnesses: ops }, ...after];
    });
  }

  /**
   * The body of a min/max aggregate once more, for the bindings whose target equals the result:
   * each binds the witnesses, and `rest` plans the rest of the rule inside. Witnesses bound before are filters.
   */
  private witnessPipeline(
    agg: AggregateTerm,
    result: string,
    rest: () => Op[],
  ): { ops: NonNullable<Extract<Op, { kind: "aggregate" }>["witnesses"]>; after: Op[] } {
    const witnesses = agg.witnesses ?? [];
    const before = new Set(this.bound);
    // A target that is a plain variable (not a float: 0 and -0 are equal) starts bound to the result,
    // so that the body's atoms look their rows up by it.
    const target = agg.target!;
    const preset = target.kind === "var" && target.type !== "float" && !this.bound.has(target.name) ? target.name : undefined;
    if (preset !== undefined) this.bound.add(preset);
    const items = this.normaliser.conjunction(agg.body, undefined, [target], new Set(this.bound));
    const saved = [this.contNeeded, this.existential] as const;
    this.contNeeded = new Set([...termVars(target, new Set()), ...witnesses]);
    let after: Op[] = [];
    const body = this.build(items, this.nested(), () => {
      // The body's own variables end here; the rest of the rule sees only the witnesses.
      const locals = [...this.bound].filter((v) => !before.has(v) && !witnesses.includes(v));
      for (const v of locals) this.bound.delete(v);
      const inner = [this.contNeeded, this.existential] as const;
      [this.contNeeded, this.existential] = saved;
      after = rest();
      [this.contNeeded, this.existential] = inner;
      for (const v of locals) this.bound.add(v);
      if (preset !== undefined) return [];
      const attains: MLiteral = {
        kind: "compare",
        op: "=",
        type: agg.type,
        left: target,
        right: { kind: "var", name: result, type: agg.type, span: target.span },
        span: target.span,
      };
      return [{ kind: "filter", literal: attains as Extract<MLiteral, { kind: "compare" }> }];
    });
    [this.contNeeded, this.existential] = saved;
    if (preset !== undefined) this.bound.delete(preset);
    return { ops: { variables: witnesses, body, ...(preset !== undefined ? { preset } : {}) }, after };
  }

  /** Plans a rule's top-level conjunction with its head. */
  top(items: readonly Item[], head: MAtom, order: JoinOrder): Op[] {
    const needed = new Set<string>();
    for (const t of head.args) termVars(t, needed);
    this.contNeeded = needed;
    const lattice = this.shapes.isLattice(head.relation);
    return this.build(items, order, () => [{ kind: "insert", relation: head.relation, args: head.args, lattice }]);
  }
}

/** Lays a prepared version out with the given join order for its top-level atoms. */
export function layOut(
  prepared: PreparedVersion,
  shapes: RelationShapes,
  order: JoinOrder,
  orderedBy: RulePlan["orderedBy"],
  nested: () => JoinOrder = () => boundColumnsOrder(),
): RulePlan {
  const builder = new PipelineBuilder(shapes, new Normaliser(prepared.fresh), nested);
  const ops = builder.top(prepared.items, prepared.head, order);
  return { rule: prepared.request.rule, version: prepared.request.version, order: readOrder(ops), orderedBy, ops };
}

/** The top-level body atoms in the order the pipeline reads them. */
function readOrder(ops: readonly Op[]): number[] {
  const out: number[] = [];
  for (const op of ops) if ((op.kind === "scan" || op.kind === "probe") && op.atom >= 0) out.push(op.atom);
  return out;
}
