// The growing values a rule reads: the lattice value of each atom of its body
// over a lattice relation, and each aggregate. And the variables defined from
// them (`n = count : { … }`, `m = n + 1`), so any term of the rule can be asked
// how it moves as each value grows.

import type { Direction, FunctorInfo, GrowingValue, LatticeRef, MAtom, MLiteral, MTerm, Rule } from "../../model.js";
import { ruleTerms, someTerm, subterms, termVars, visitTerms } from "../../model-terms.js";
import { type Aggregate, aggregateDirection, type DirContext, type Dirs, dirsOf, latticeDirection } from "./direction.js";

export type Compare = Extract<MLiteral, { kind: "compare" }>;

/** What the analysis needs to know of the program around a rule. */
export interface ReadContext {
  /** The lattice of the atom's relation (its last column), if it has one. */
  readonly latticeOf: (atom: MAtom) => LatticeRef | undefined;
  readonly functors?: ReadonlyMap<string, FunctorInfo>;
}

export interface RuleValues {
  readonly values: readonly GrowingValue[];
  /** The rule's literals, then each aggregate's, outermost aggregate first. */
  readonly literals: readonly MLiteral[];
  /** Comparisons that define a variable (`v = e`) rather than test. */
  readonly definitions: ReadonlyMap<Compare, { readonly name: string; readonly term: MTerm }>;
  /** How a term moves as each value grows (by index into `values`). */
  readonly dirs: (t: MTerm) => Dirs;
  /** The index of an atom's lattice value, for the atoms of the rule's own body over a lattice relation. */
  readonly atomValue: ReadonlyMap<MAtom, number>;
  /** Whether no atom binds a variable and no definition defines it (so `v = e` gives it a value). */
  readonly fresh: (name: string) => boolean;
}

export function ruleValues(rule: Rule, cx: ReadContext): RuleValues {
  const aggregates: Aggregate[] = [];
  for (const t of ruleTerms(rule))
    visitTerms(t, (s) => {
      if (s.kind === "aggregate") aggregates.push(s);
    });
  const literals = [...rule.body, ...aggregates.flatMap((a) => a.body)];

  // Lattice values are read by the rule's own atoms; inside an aggregate they only feed the aggregate (see `inner`).
  const values: GrowingValue[] = [];
  const atomValue = new Map<MAtom, number>();
  /** The lattice values bound at each variable, with their lattice. */
  const bound = new Map<string, { value: number; lattice: LatticeRef }[]>();
  for (const l of rule.body) {
    const lattice = l.kind === "atom" ? cx.latticeOf(l) : undefined;
    if (l.kind !== "atom" || !lattice) continue;
    const last = l.args[l.args.length - 1];
    atomValue.set(l, values.length);
    if (last?.kind === "var") bound.set(last.name, [...(bound.get(last.name) ?? []), { value: values.length, lattice }]);
    values.push({ kind: "lattice", atom: l, lattice, joined: last?.kind === "var" && joined(rule, l, last.name) });
  }
  const atomBound = new Set<string>();
  for (const l of literals) if (l.kind === "atom") for (const t of l.args) if (t.kind === "var") atomBound.add(t.name);

  // Definitions: `v = e` where no atom binds v and e reads only plain variables, defined ones, and aggregates.
  // (Giving a lattice value to a variable this way, `e = d`, is how a program asks for its exact value: a comparison.)
  const definitions = new Map<Compare, { name: string; term: MTerm }>();
  const defined = new Map<string, MTerm>();
  const known = (t: MTerm) => {
    const vars = new Set<string>();
    visitTerms(t, (s) => {
      if (s.kind === "var") vars.add(s.name);
      return s.kind !== "aggregate";
    });
    return [...vars].every((v) => (atomBound.has(v) && !bound.has(v)) || defined.has(v));
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of literals) {
      if (l.kind !== "compare" || l.op !== "=" || definitions.has(l)) continue;
      for (const [v, e] of [
        [l.left, l.right],
        [l.right, l.left],
      ] as const) {
        if (v.kind !== "var" || atomBound.has(v.name) || defined.has(v.name) || !known(e)) continue;
        defined.set(v.name, e);
        definitions.set(l, { name: v.name, term: e });
        changed = true;
        break;
      }
    }
  }

  const aggregateValue = new Map<Aggregate, number>();
  for (const a of aggregates) {
    const nested = aggregates.filter((b) => b !== a && contains(a, b));
    const reads = [a, ...nested].flatMap((b) => b.body.filter((l): l is MAtom => l.kind === "atom"));
    aggregateValue.set(a, values.length);
    values.push({ kind: "aggregate", aggregate: a, reads });
  }

  const memo = new Map<string, Dirs>();
  const ctx: DirContext = {
    functors: cx.functors,
    variable: (name) => {
      const hit = memo.get(name);
      if (hit) return hit;
      memo.set(name, new Map());
      const out = new Map<number, Direction>();
      for (const { value, lattice } of bound.get(name) ?? []) out.set(value, latticeDirection(lattice));
      const def = defined.get(name);
      // A definition passes on its aggregates' values; the lattice values it reads are read where it stands.
      if (def) for (const [v, d] of dirsOf(def, ctx)) if (!out.has(v) && values[v]?.kind === "aggregate") out.set(v, d);
      memo.set(name, out);
      return out;
    },
    aggregate: (a) => {
      const own = aggregateValue.get(a)!;
      const out = new Map([[own, aggregateDirection(a, inner(a))]]);
      // A lattice value of the rule used inside the aggregate: its result is not monotone in it.
      for (const name of termVars(a))
        for (const { value } of bound.get(name) ?? [])
          out.set(value, { kind: "unordered", why: `an aggregate over a lattice value is not monotone`, span: a.span });
      return out;
    },
  };
  /** How an aggregate's target moves as the lattice values read in its own body grow. */
  const inner = (a: Aggregate) => {
    if (!a.target) return undefined;
    const local = new Map<string, Direction>();
    for (const l of a.body) {
      const lattice = l.kind === "atom" ? cx.latticeOf(l) : undefined;
      const last = l.kind === "atom" ? l.args[l.args.length - 1] : undefined;
      if (lattice && last?.kind === "var") local.set(last.name, latticeDirection(lattice));
    }
    if (local.size === 0) return undefined;
    const localDirs = (name: string): Dirs => {
      const d = local.get(name);
      return d ? new Map([[-1, d]]) : ctx.variable(name);
    };
    return dirsOf(a.target, { ...ctx, variable: localDirs }).get(-1);
  };

  return {
    values,
    literals,
    definitions,
    dirs: (t) => dirsOf(t, ctx),
    atomValue,
    fresh: (name) => !atomBound.has(name) && !defined.has(name),
  };
}

/** Whether the variable `name` in the lattice column of `atom` also stands in another column of a positive atom of the body. */
function joined(rule: Rule, atom: MAtom, name: string): boolean {
  return rule.body.some(
    (l) => l.kind === "atom" && l.args.some((t, i) => t.kind === "var" && t.name === name && (l !== atom || i !== l.args.length - 1)),
  );
}

/** Whether aggregate `inner` stands somewhere inside aggregate `outer`. */
function contains(outer: Aggregate, inner: Aggregate): boolean {
  return subterms(outer).some((t) => someTerm(t, (s) => s === inner));
}
