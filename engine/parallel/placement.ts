// Where each relation of a recursive stratum lives when workers exchange
// deltas: split by a hash of one key column (each worker holds its part), or
// replicated (each worker holds all of it). A placement is valid when, in
// every recursive rule, the split body atoms all hold the same variable in
// their split column: a derivation then reads split rows of one part only, so
// the worker holding that part finds it, reading replicated relations whole.
// Derived tuples go to the worker owning their split column's value (or to
// every worker, for a replicated head). The search prefers placements where
// every version has a split atom to drive it and heads stay on their worker,
// weighing rules by the size of what they derive, and splits only on columns
// whose values spread the rows over the workers.
//
// A whole program placed over cluster nodes (distributed/shard-plan.ts) also
// has atoms read under negation or inside an aggregate: such an atom sees a
// complete answer only when it is replicated, or split on the very variable
// the rule's positive split atoms share (its rows for that value all live
// where the rule runs for it).

import type { MAtom, Rule } from "../../lang/model.js";
import { visitRuleAtoms } from "../../lang/model-terms.js";

export type Placement = { readonly kind: "split"; readonly column: number } | { readonly kind: "replicated" };

/** Gives up refining after this many steps (the best placement found so far stands). */
const SEARCH_LIMIT = 200_000;

export interface Shape {
  /** Positive body atoms over the stratum's relations. */
  readonly atoms: readonly MAtom[];
  /** Atoms read under negation or inside an aggregate: split only on the driver. */
  readonly guarded: readonly MAtom[];
  readonly head: MAtom;
}

/**
 * What drives a rule under a placement: the variable its split atoms share
 * (any term, when only one atom is split), null when no atom is split, or
 * undefined when the placement is invalid for the rule.
 */
export function driver(atoms: readonly MAtom[], placement: ReadonlyMap<string, Placement>): string | null | undefined {
  const split = atoms.filter((a) => placement.get(a.relation)?.kind === "split");
  if (split.length === 0) return null;
  const terms = split.map((a) => a.args[(placement.get(a.relation) as { column: number }).column]);
  if (split.length === 1) return terms[0]?.kind === "var" ? terms[0].name : "\0";
  let name: string | undefined;
  for (const t of terms) {
    if (t?.kind !== "var") return undefined;
    if (name === undefined) name = t.name;
    else if (name !== t.name) return undefined;
  }
  return name;
}

/** The driver of a rule whose guarded atoms (negated, aggregated) must follow it; undefined when the placement is invalid for the rule. */
export function shapeDriver(s: Shape, placement: ReadonlyMap<string, Placement>): string | null | undefined {
  const d = driver(s.atoms, placement);
  if (d === undefined) return undefined;
  for (const g of s.guarded) {
    const p = placement.get(g.relation);
    if (p?.kind !== "split") continue;
    const t = g.args[p.column];
    if (d === null || d === "\0" || t?.kind !== "var" || t.name !== d) return undefined;
  }
  return d;
}

/** What the search knows of the data: how big a relation is, and whether a column spreads its rows over the workers. */
export interface PlacementStats {
  readonly workers: number;
  /** A relation's expected size, relative to the others (1 when unknown). */
  readonly weight: (relation: string) => number;
  /**
   * The cost of a rule none of whose atoms is split (default: 50 times its
   * head's weight, as such a rule runs on one worker alone).
   */
  readonly unsplit?: (s: Shape) => number;
  /** Whether splitting on this column spreads the relation evenly enough. */
  readonly spreads: (relation: string, column: number) => boolean;
}

const NO_STATS: PlacementStats = { workers: 2, weight: () => 1, spreads: () => true };

/**
 * Cost of a rule under a complete placement, in tuples moved or work not
 * shared: a rule with no split atom runs on one worker; a replicated head is
 * sent to every worker; a split head leaves its worker unless the rule's
 * split atoms hold the same value.
 */
function cost(s: Shape, placement: ReadonlyMap<string, Placement>, stats: PlacementStats): number {
  const d = shapeDriver(s, placement);
  if (d === undefined) return Infinity;
  const w = stats.weight(s.head.relation);
  let c = d === null ? (stats.unsplit?.(s) ?? 50 * w) : 0;
  const p = placement.get(s.head.relation)!;
  if (p.kind === "replicated") c += w * (stats.workers - 1);
  else {
    const t = s.head.args[p.column];
    if (!(d !== null && t?.kind === "var" && t.name === d)) c += w;
  }
  return c;
}

/** A rule's atoms over `relations`: positive ones, and (with `guarded`) negated and aggregated ones. */
export function shapeOf(r: Rule, relations: ReadonlySet<string>, guarded: boolean): Shape {
  const atoms: MAtom[] = [];
  const held: MAtom[] = [];
  visitRuleAtoms(r, (atom, place, literal) => {
    if (!relations.has(atom.relation)) return;
    if (!place.negated && place.aggregate === undefined && literal.kind === "atom" && r.body.includes(literal)) atoms.push(atom);
    else if (guarded) held.push(atom);
  });
  return { head: r.head, atoms, guarded: held };
}

/**
 * The cheapest valid placement with at least one split relation, or
 * undefined. With `guarded`, negated and aggregated atoms count as well (a
 * whole program; a recursive stratum's rules read none of its own relations
 * that way).
 */
export function choosePlacement(
  relations: readonly string[],
  rules: readonly Rule[],
  keyArity: (relation: string) => number,
  stats: PlacementStats = NO_STATS,
  guarded = false,
): Map<string, Placement> | undefined {
  const inStratum = new Set(relations);
  const shapes = rules.map((r) => shapeOf(r, inStratum, guarded));
  // Relations are placed in the order rules name them, so rules are fully placed (and priced) early
  // and pruning bites; a relation no rule names costs nothing either way and is not searched.
  const order: string[] = [];
  for (const s of shapes) for (const a of [s.head, ...s.atoms, ...s.guarded]) if (!order.includes(a.relation)) order.push(a.relation);
  // The shapes whose last relation is placed at each depth: they are priced there.
  const completes: Shape[][] = order.map(() => []);
  for (const s of shapes) completes[Math.max(...[s.head, ...s.atoms, ...s.guarded].map((a) => order.indexOf(a.relation)))]!.push(s);
  const placement = new Map<string, Placement>();
  let best: Map<string, Placement> | undefined;
  let bestCost = Infinity;
  let steps = 0;
  let splits = 0;
  const slack = order.length / 1000;
  /** `partial`: the cost of the shapes fully placed so far. */
  const search = (i: number, partial: number): void => {
    if (++steps > SEARCH_LIMIT) return;
    if (i === order.length) {
      if (splits === 0) return;
      const score = partial - splits / 1000;
      if (score < bestCost) {
        bestCost = score;
        best = new Map(placement);
      }
      return;
    }
    const rel = order[i]!;
    const options: Placement[] = [];
    for (let column = 0; column < keyArity(rel); column++) if (stats.spreads(rel, column)) options.push({ kind: "split", column });
    options.push({ kind: "replicated" });
    for (const p of options) {
      placement.set(rel, p);
      if (p.kind === "split") splits++;
      // Prune as soon as a fully placed rule is invalid (its cost is infinite), or the fully placed
      // rules already cost more than the best placement found: costs are never negative, and a
      // placement's score is its cost less at most one thousandth per relation.
      let cost_ = partial;
      for (const s of completes[i]!) cost_ += cost(s, placement, stats);
      if (cost_ - slack < bestCost) search(i + 1, cost_);
      if (p.kind === "split") splits--;
    }
    placement.delete(rel);
  };
  search(0, 0);
  if (best)
    for (const r of inStratum)
      if (!best.has(r)) best.set(r, stats.spreads(r, 0) && keyArity(r) > 0 ? { kind: "split", column: 0 } : { kind: "replicated" });
  return best;
}
