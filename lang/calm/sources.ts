// The growing values a rule reads — the lattice value of each body atom over a
// lattice relation, and each aggregate — and the variables defined from them
// (`v = e`), so any term can be asked how it moves when they grow.

import type { CheckedProgram, LatticeRef, MAtom, MLiteral, MTerm, Rule } from "../model.js";
import type { Span } from "../span.js";
import { literalTerms } from "../model-terms.js";
import { DOWN, UP, dirsOf, latticeDir, type Dir, type DirContext, type Dirs } from "./direction.js";
import { latticeText, printTerm } from "./print.js";

export type Aggregate = Extract<MTerm, { kind: "aggregate" }>;
type Compare = Extract<MLiteral, { kind: "compare" }>;

export interface Source {
  readonly id: number;
  /** `the min<number> value of "dist"` or `count over "votes"`. */
  readonly label: string;
  /** What makes it move: `the min<number> value of "dist" grows`, `"votes" gains facts`. */
  readonly grows: string;
  /** The relations frozen when this value must be read exactly, with the atoms that read them. */
  readonly reads: readonly MAtom[];
  readonly span: Span;
  readonly kind: "lattice" | "aggregate";
  readonly atom?: MAtom;
  readonly lattice?: LatticeRef;
  readonly aggregate?: Aggregate;
}

/** A literal of the rule, with the aggregate whose body holds it (none at the top level). */
export interface Located {
  readonly literal: MLiteral;
  readonly inside?: Aggregate;
}

export interface RuleSources {
  readonly sources: Source[];
  readonly literals: readonly Located[];
  readonly aggregates: readonly Aggregate[];
  /** Compare literals that define a variable (`v = e`) rather than test. */
  readonly definitions: ReadonlySet<Compare>;
  readonly dirs: (t: MTerm) => Dirs;
  /** The source of the lattice position of a positive atom, if it binds a variable there. */
  readonly sourceOfAtom: ReadonlyMap<MAtom, Source>;
  readonly latticeOf: (relation: string) => LatticeRef | undefined;
  /** The name of column `i` of a relation. */
  readonly columnName: (relation: string, i: number) => string;
  /** The atoms of the rule's own body (not inside aggregates). */
  readonly topLevel: ReadonlySet<MAtom>;
  /** Whether a variable is bound by no atom and no definition (so `v = e` binds it). */
  readonly fresh: (name: string) => boolean;
}

export function latticeOf(program: CheckedProgram, relation: string): LatticeRef | undefined {
  const cols = program.relations.get(relation)?.columns;
  return cols?.[cols.length - 1]?.lattice;
}

function subterms(t: MTerm): MTerm[] {
  switch (t.kind) {
    case "binary":
      return [t.left, t.right];
    case "unary":
      return [t.operand];
    case "cast":
      return [t.term];
    case "call":
      return [...t.args];
    default:
      return [];
  }
}

/** Every aggregate in `terms`, outermost first, entering aggregate bodies and targets. */
function aggregatesIn(terms: readonly MTerm[], out: Aggregate[]): void {
  for (const t of terms) {
    if (t.kind === "aggregate") {
      out.push(t);
      if (t.target) aggregatesIn([t.target], out);
      for (const l of t.body) aggregatesIn(literalTerms(l), out);
    } else aggregatesIn(subterms(t), out);
  }
}

/** The variables of `t`, not entering aggregates. */
export function varsOf(t: MTerm, out: Set<string> = new Set()): Set<string> {
  if (t.kind === "var") out.add(t.name);
  for (const s of subterms(t)) varsOf(s, out);
  return out;
}

export function collectSources(rule: Rule, program: CheckedProgram): RuleSources {
  const lat = (r: string) => latticeOf(program, r);
  const aggregates: Aggregate[] = [];
  aggregatesIn([...rule.head.args, ...rule.body.flatMap(literalTerms)], aggregates);
  const literals: Located[] = [
    ...rule.body.map((literal) => ({ literal })),
    ...aggregates.flatMap((a) => a.body.map((literal) => ({ literal, inside: a }))),
  ];
  const atoms = literals.filter((l): l is Located & { literal: MAtom } => l.literal.kind === "atom").map((l) => l.literal);

  const sources: Source[] = [];
  const sourceOfAtom = new Map<MAtom, Source>();
  const boundAt = new Map<string, Source[]>();
  const atomBound = new Set<string>();
  // Lattice values are read by the rule's own atoms; inside an aggregate they only feed the aggregate (see aggregateDir).
  const topLevel = new Set(rule.body.filter((l): l is MAtom => l.kind === "atom"));
  for (const a of atoms) {
    const l = lat(a.relation);
    a.args.forEach((t, i) => {
      if (t.kind !== "var") return;
      atomBound.add(t.name);
      if (l && i === a.args.length - 1 && topLevel.has(a)) {
        const label = `the ${latticeText(l)} value of "${a.relation}"`;
        const s: Source = {
          id: sources.length,
          label,
          grows: `${label} grows`,
          reads: [a],
          span: a.span,
          kind: "lattice",
          atom: a,
          lattice: l,
        };
        sources.push(s);
        sourceOfAtom.set(a, s);
        const list = boundAt.get(t.name);
        if (list) list.push(s);
        else boundAt.set(t.name, [s]);
      }
    });
  }

  // Definitions: `v = e` where v is bound by no atom and e only uses known variables. Binding a lattice
  // value this way (`e = d`) is how a program asks for its exact value, so that stays a comparison.
  const definitions = new Set<Compare>();
  const defs = new Map<string, MTerm>();
  const known = (t: MTerm) => [...varsOf(t)].every((v) => (atomBound.has(v) && !boundAt.has(v)) || defs.has(v));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { literal: l } of literals) {
      if (l.kind !== "compare" || l.op !== "=" || definitions.has(l)) continue;
      for (const [v, e] of [
        [l.left, l.right],
        [l.right, l.left],
      ] as const) {
        if (v.kind !== "var" || atomBound.has(v.name) || defs.has(v.name) || !known(e)) continue;
        defs.set(v.name, e);
        definitions.add(l);
        changed = true;
        break;
      }
    }
  }

  const aggSource = new Map<Aggregate, Source>();
  for (const a of aggregates) {
    const reads = a.body.flatMap(function atomsOf(l: MLiteral): MAtom[] {
      return l.kind === "atom" ? [l] : [];
    });
    const nested = aggregates
      .filter((b) => b !== a && containsAggregate(a, b))
      .flatMap((b) => b.body.filter((l): l is MAtom => l.kind === "atom"));
    const all = [...reads, ...nested];
    const rels = [...new Set(all.map((r) => r.relation))];
    const label = rels.length > 0 ? `${a.fn} over ${rels.map((r) => `"${r}"`).join(", ")}` : `${a.fn} : { … }`;
    const grows =
      rels.length > 0 ? `${rels.map((r) => `"${r}"`).join(", ")} ${rels.length === 1 ? "gains" : "gain"} facts` : "its input grows";
    const s: Source = { id: sources.length, label, grows, reads: all, span: a.span, kind: "aggregate", aggregate: a };
    sources.push(s);
    aggSource.set(a, s);
  }

  const memo = new Map<string, Dirs>();
  const ctx: DirContext = {
    functors: program.functors,
    variable: (name) => {
      const hit = memo.get(name);
      if (hit) return hit;
      memo.set(name, new Map());
      const out = new Map<number, Dir>();
      for (const s of boundAt.get(name) ?? []) out.set(s.id, latticeDir(s.lattice!));
      const def = defs.get(name);
      if (def) for (const [k, d] of dirsOf(def, ctx)) if (!out.has(k)) out.set(k, d);
      memo.set(name, out);
      return out;
    },
    aggregate: (a) => {
      const s = aggSource.get(a)!;
      const out = new Map<number, Dir>([[s.id, aggregateDir(a, inner(a))]]);
      // A lattice value of the rule used inside the aggregate: its result is not monotone in it.
      const used = new Set<string>();
      for (const t of [...(a.target ? [a.target] : []), ...a.body.flatMap(literalTerms)]) varsOf(t, used);
      for (const v of used) {
        for (const src of boundAt.get(v) ?? [])
          out.set(src.id, { k: "any", why: `an aggregate over a lattice value is not monotone`, span: a.span });
      }
      return out;
    },
  };
  /** How an aggregate's target moves as the lattice values read inside its body grow. */
  const inner = (a: Aggregate): Dir | undefined => {
    if (!a.target) return undefined;
    const local = new Map<string, Dir>();
    for (const l of a.body) {
      const lt = l.kind === "atom" ? lat(l.relation) : undefined;
      const v = l.kind === "atom" ? l.args[l.args.length - 1] : undefined;
      if (lt && v?.kind === "var") local.set(v.name, latticeDir(lt));
    }
    if (local.size === 0) return undefined;
    const innerCtx: DirContext = { ...ctx, variable: (n) => (local.has(n) ? new Map([[-1, local.get(n)!]]) : ctx.variable(n)) };
    return dirsOf(a.target, innerCtx).get(-1);
  };
  const columnName = (relation: string, i: number) => program.relations.get(relation)?.columns[i]?.name ?? `#${i + 1}`;
  const fresh = (name: string) => !atomBound.has(name) && !defs.has(name);
  return {
    sources,
    literals,
    aggregates,
    definitions,
    dirs: (t) => dirsOf(t, ctx),
    sourceOfAtom,
    latticeOf: lat,
    columnName,
    topLevel,
    fresh,
  };
}

function containsAggregate(outer: Aggregate, inner: Aggregate): boolean {
  const found: Aggregate[] = [];
  aggregatesIn([...(outer.target ? [outer.target] : []), ...outer.body.flatMap(literalTerms)], found);
  return found.includes(inner);
}

/** How an aggregate's result moves as the relations it reads grow (`inner`: how its target moves with their lattice values). */
function aggregateDir(a: Aggregate, inner: Dir | undefined): Dir {
  const text = `${a.fn} : { … }`;
  if (inner && a.fn !== "count") {
    const want = a.fn === "max" ? "up" : a.fn === "min" ? "down" : undefined;
    if (inner.k === "any") return inner;
    if (want === undefined) return { k: "any", why: `${a.fn} over lattice values is not monotone`, span: a.span };
    if (inner.k !== want) return { k: "any", why: `${a.fn} over lattice values that move the other way is not monotone`, span: a.span };
  }
  switch (a.fn) {
    case "count":
      return UP;
    case "max":
      return UP;
    case "min":
      return DOWN;
    case "sum":
      return a.target?.type === "unsigned"
        ? UP
        : {
            k: "any",
            why: `${a.fn}${a.target ? ` ${printTerm(a.target)}` : ""} can fall as facts arrive (its values may be negative)`,
            span: a.span,
          };
    case "mean":
      return { k: "any", why: `mean is not monotone: a new fact can lower it or raise it`, span: a.span };
  }
  return { k: "any", why: `${text} is not monotone`, span: a.span };
}
