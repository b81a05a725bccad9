// Normalising a rule version before it is laid out: aggregates lifted out of
// terms into items of their own (each bound to a fresh variable), computed
// atom arguments bound through equalities, each body literal tagged with the
// range it reads (all rows, the delta, the old rows). What is left to decide
// — the order of the atoms — is the planner's (engine/plan/join-order.ts).

import type { MAtom, MLiteral, MTerm, Rule } from "../../lang/model.js";
import { literalVars, replaceTerms, someTerm, subterms, termVars, visitTerms } from "../../lang/model-terms.js";
import type { Range, VersionKind } from "./ir.js";

export type AggregateTerm = Extract<MTerm, { kind: "aggregate" }>;

/** A body literal to place, or an aggregate lifted out of a term. */
export type Item =
  | { readonly kind: "lit"; readonly lit: MLiteral; readonly range: Range; readonly atom: number }
  | { readonly kind: "agg"; readonly name: string; readonly agg: AggregateTerm; readonly outer: ReadonlySet<string> };

export type AtomItem = Extract<Item, { kind: "lit" }> & { readonly lit: MAtom };

export const isAtomItem = (it: Item): it is AtomItem => it.kind === "lit" && it.lit.kind === "atom";

/**
 * Whether a count, sum or mean ranges over the distinct bindings of its body's own variables rather
 * than over matching tuples: as in Soufflé, which turns a body of several atoms, or with a nested
 * aggregate, or whose one atom repeats a variable, into a relation of those variables.
 */
export function countsDistinct(agg: AggregateTerm): boolean {
  if (agg.fn === "min" || agg.fn === "max") return false;
  const atoms = agg.body.filter((l): l is MAtom => l.kind === "atom");
  if (atoms.length > 1) return true;
  if (subterms(agg).some((t) => someTerm(t, (s) => s.kind === "aggregate"))) return true;
  const atom = atoms[0];
  if (!atom) return false;
  const names: string[] = [];
  for (const a of atom.args)
    visitTerms(a, (t) => {
      if (t.kind === "var") names.push(t.name);
    });
  return new Set(names).size < names.length;
}

/** Replaces each outermost aggregate inside a term by a fresh variable named by `fresh`, collecting them as items. */
function liftAggregates(t: MTerm, items: Item[], outside: ReadonlySet<string>, fresh: () => string): MTerm {
  return replaceTerms(t, (s) => {
    if (s.kind !== "aggregate") return undefined;
    const name = fresh();
    // Witnesses occur outside too, but the aggregate binds them.
    const outer = new Set([...termVars(s)].filter((v) => outside.has(v) && !s.witnesses?.includes(v)));
    items.push({ kind: "agg", name, agg: s, outer });
    return { kind: "var", name, type: s.type, span: s.span };
  });
}

/** The rule version to plan. */
export interface VersionRequest {
  readonly rule: Rule;
  readonly version: VersionKind;
  /** Range of each recursive body atom (by body index); atoms not listed read "full". */
  readonly ranges?: ReadonlyMap<number, Range>;
  /** The relations the version's stratum derives: they grow while it runs, and so would any index built on them. */
  readonly derives?: ReadonlySet<string>;
}

/** Normalises a conjunction: aggregates lifted out, computed atom arguments bound through equalities. */
export class Normaliser {
  /** `fresh`: the number of the next helper variable (each layout of a version starts from the same one). */
  constructor(private fresh = 0) {}

  /** Where the numbering of helper variables stands. */
  get next(): number {
    return this.fresh;
  }

  name(prefix: string): string {
    return `$${prefix}${this.fresh++}`;
  }

  conjunction(
    body: readonly MLiteral[],
    ranges: ReadonlyMap<number, Range> | undefined,
    extraOutside: readonly MTerm[],
    scope: ReadonlySet<string>,
  ): Item[] {
    const items: Item[] = [];
    body.forEach((lit, i) => {
      const outside = new Set(scope);
      body.forEach((other, j) => {
        if (j !== i) literalVars(other, outside);
      });
      for (const t of extraOutside) termVars(t, outside);
      const lift = (t: MTerm, out: ReadonlySet<string> = outside) => liftAggregates(t, items, out, () => this.name("agg"));
      let l: MLiteral;
      if (lit.kind === "atom") {
        const args = lit.args.map((a, k) => {
          if (a.kind === "var" || a.kind === "wildcard" || a.kind === "const") return a;
          const v: MTerm = { kind: "var", name: this.name("arg"), type: a.type, span: a.span };
          // Variables of the atom's other arguments are outside an aggregate written in this one.
          const own = new Set(outside);
          lit.args.forEach((other, j) => {
            if (j !== k) termVars(other, own);
          });
          const right = lift(a, own);
          items.push({
            kind: "lit",
            lit: { kind: "compare", op: "=", type: a.type, left: v, right, span: a.span },
            range: "full",
            atom: -1,
          });
          return v;
        });
        l = { ...lit, args };
      } else if (lit.kind === "compare") {
        l = { ...lit, left: lift(lit.left), right: lift(lit.right) };
      } else if (lit.kind === "test") {
        l = { ...lit, args: lit.args.map((a) => lift(a)) };
      } else {
        l = lit;
      }
      items.push({ kind: "lit", lit: l, range: ranges?.get(i) ?? "full", atom: i });
    });
    return items;
  }

  /** Aggregates written in the head, lifted out like body aggregates binding fresh variables. */
  head(rule: Rule, items: Item[]): MAtom {
    const bodyVars = new Set<string>();
    for (const l of rule.body) literalVars(l, bodyVars);
    return { ...rule.head, args: rule.head.args.map((t) => liftAggregates(t, items, bodyVars, () => this.name("agg"))) };
  }
}

/** The aggregate's own variables (not those of nested aggregates, not helpers), sorted: the key of a binding. */
export function distinctKey(items: readonly Item[], scope: ReadonlySet<string>): string[] {
  const vars = new Set<string>();
  for (const it of items) if (it.kind === "lit") literalVars(it.lit, vars);
  return [...vars].filter((v) => !scope.has(v) && !v.startsWith("$")).sort();
}

/** A rule version normalised, ready to be ordered and laid out. */
export interface PreparedVersion {
  readonly request: VersionRequest;
  readonly items: readonly Item[];
  readonly head: MAtom;
  /** The top-level atoms by body index. */
  readonly atoms: ReadonlyMap<number, AtomItem>;
  /** The numbering of helper variables after the top level's (aggregate bodies are normalised while laid out). */
  readonly fresh: number;
}

/** Normalises a rule version's body and head (the part of planning that does not depend on the order). */
export function prepareVersion(request: VersionRequest): PreparedVersion {
  const normaliser = new Normaliser();
  const items = normaliser.conjunction(request.rule.body, request.ranges, request.rule.head.args, new Set());
  const headItems: Item[] = [];
  const head = normaliser.head(request.rule, headItems);
  const atoms = new Map<number, AtomItem>();
  for (const it of items) if (isAtomItem(it) && it.atom >= 0) atoms.set(it.atom, it);
  return { request, items: [...items, ...headItems], head, atoms, fresh: normaliser.next };
}
