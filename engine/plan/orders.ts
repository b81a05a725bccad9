// Orders of a body's atoms as the pipeline builder asks for them, one atom at
// a time: by bound columns (the default, with ties broken by the atoms'
// shapes, never by where they were written), or as a given list says (a
// `.plan`, or an order the cost model chose).

import type { AtomItem } from "./normalise.js";

/** Chooses which atom a pipeline reads next. */
export interface JoinOrder {
  /** The next atom among `pending` (never empty), given the variables bound so far. */
  next(pending: readonly AtomItem[], bound: ReadonlySet<string>): AtomItem;
}

/**
 * An atom's shape, for choosing among atoms without regard to where they were
 * written: its relation, range and which arguments are constants (and which),
 * wildcards or variables. Only atoms of the same shape compare equal.
 */
export function atomKey(a: AtomItem): string {
  const args = a.lit.args.map((t) => (t.kind === "const" ? JSON.stringify(t.value) : t.kind === "wildcard" ? "_" : "v"));
  return `${a.lit.relation}(${args.join(",")}) ${a.range}`;
}

/**
 * Chooses the atom with the most bound columns (a fully bound one first); on a
 * tie, the one whose shape (atomKey) sorts first, so that the written order
 * decides only between atoms of the same shape.
 */
export function boundColumnsOrder(first?: AtomItem): JoinOrder {
  return {
    next(pending, bound) {
      if (first && pending.includes(first)) return first;
      let best = -1;
      let pick = pending[0]!;
      for (const it of pending) {
        let n = 0;
        for (const t of it.lit.args) if (t.kind === "const" || (t.kind === "var" && bound.has(t.name))) n++;
        const score = n === it.lit.args.length ? 1000 : n;
        if (score > best || (score === best && atomKey(it) < atomKey(pick))) {
          best = score;
          pick = it;
        }
      }
      return pick;
    },
  };
}

/** Follows a given order of atoms (a `.plan`, or one chosen by cost), as far as it lists them. */
export function fixedOrder(atoms: readonly AtomItem[], fallback: JoinOrder = boundColumnsOrder()): JoinOrder {
  return {
    next(pending, bound) {
      return atoms.find((a) => pending.includes(a)) ?? fallback.next(pending, bound);
    },
  };
}
