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

import type { MAtom, Rule } from "../../lang/model.js";

export type Placement = { readonly kind: "split"; readonly column: number } | { readonly kind: "replicated" };

/** Gives up refining after this many steps (the best placement found so far stands). */
const SEARCH_LIMIT = 200_000;

interface Shape {
  /** Body atoms over the stratum's relations. */
  readonly atoms: readonly MAtom[];
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

/** What the search knows of the data: how big a relation is, and whether a column spreads its rows over the workers. */
export interface PlacementStats {
  readonly workers: number;
  /** A relation's expected size, relative to the others (1 when unknown). */
  readonly weight: (relation: string) => number;
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
  const d = driver(s.atoms, placement);
  if (d === undefined) return Infinity;
  const w = stats.weight(s.head.relation);
  let c = d === null ? 50 * w : 0;
  const p = placement.get(s.head.relation)!;
  if (p.kind === "replicated") c += w * (stats.workers - 1);
  else {
    const t = s.head.args[p.column];
    if (!(d !== null && t?.kind === "var" && t.name === d)) c += w;
  }
  return c;
}

/** The cheapest valid placement with at least one split relation, or undefined. */
export function choosePlacement(
  relations: readonly string[],
  rules: readonly Rule[],
  keyArity: (relation: string) => number,
  stats: PlacementStats = NO_STATS,
): Map<string, Placement> | undefined {
  const inStratum = new Set(relations);
  const shapes: Shape[] = rules.map((r) => ({
    head: r.head,
    atoms: r.body.filter((l): l is MAtom => l.kind === "atom" && inStratum.has(l.relation)),
  }));
  const placement = new Map<string, Placement>();
  let best: Map<string, Placement> | undefined;
  let bestCost = Infinity;
  let steps = 0;
  const assigned = (s: Shape) => placement.has(s.head.relation) && s.atoms.every((a) => placement.has(a.relation));
  const search = (i: number): void => {
    if (++steps > SEARCH_LIMIT) return;
    if (i === relations.length) {
      if (![...placement.values()].some((p) => p.kind === "split")) return;
      const total = shapes.reduce((n, s) => n + cost(s, placement, stats), 0);
      const splits = [...placement.values()].filter((p) => p.kind === "split").length;
      const score = total - splits / 1000;
      if (score < bestCost) {
        bestCost = score;
        best = new Map(placement);
      }
      return;
    }
    const rel = relations[i]!;
    const options: Placement[] = [];
    for (let column = 0; column < keyArity(rel); column++) if (stats.spreads(rel, column)) options.push({ kind: "split", column });
    options.push({ kind: "replicated" });
    for (const p of options) {
      placement.set(rel, p);
      // Prune as soon as a fully placed rule is invalid.
      if (shapes.every((s) => !assigned(s) || driver(s.atoms, placement) !== undefined)) search(i + 1);
    }
    placement.delete(rel);
  };
  search(0);
  return best;
}
