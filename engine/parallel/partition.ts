// Co-partitioning: a choice of one key column per relation of a recursive
// stratum such that, in every recursive rule, the head and every body atom
// over the stratum's relations hold the same variable in their chosen column.
// Splitting each relation by a hash of that column then keeps every
// derivation inside one part: workers run to their fixpoints without
// exchanging anything. Transitive closure (`path(x, z) :- path(x, y),
// edge(y, z)`, split on x) and shortest paths are like that.

import type { MAtom, Rule } from "../../lang/model.js";
import { finish, HASH_SEED, mix } from "../storage/hash.js";
import { visitRuleAtoms } from "../../lang/model-terms.js";

/** Gives up on strata whose search would take longer than this many steps. */
const SEARCH_LIMIT = 100_000;

interface RuleShape {
  readonly atoms: readonly MAtom[];
}

/**
 * The partition column of each relation in `relations`, or undefined when no
 * choice co-partitions every rule. `keyArity` gives the columns a relation's
 * key has (a lattice column is not part of it).
 */
export function choosePartition(
  relations: readonly string[],
  rules: readonly Rule[],
  keyArity: (relation: string) => number,
): Map<string, number> | undefined {
  const inStratum = new Set(relations);
  const shapes: RuleShape[] = [];
  for (const rule of rules) {
    if (readsInside(rule, inStratum)) return undefined;
    const atoms = [rule.head, ...rule.body.filter((l): l is MAtom => l.kind === "atom" && inStratum.has(l.relation))];
    shapes.push({ atoms });
  }
  const order = [...relations];
  const choice = new Map<string, number>();
  let steps = 0;
  const consistent = (): boolean => {
    for (const { atoms } of shapes) {
      let name: string | undefined;
      for (const a of atoms) {
        const col = choice.get(a.relation);
        if (col === undefined) continue;
        const t = a.args[col];
        if (t?.kind !== "var") return false;
        if (name === undefined) name = t.name;
        else if (name !== t.name) return false;
      }
    }
    return true;
  };
  const search = (i: number): boolean => {
    if (++steps > SEARCH_LIMIT) return false;
    if (i === order.length) return true;
    const rel = order[i]!;
    for (let c = 0; c < keyArity(rel); c++) {
      choice.set(rel, c);
      if (consistent() && search(i + 1)) return true;
    }
    choice.delete(rel);
    return false;
  };
  return search(0) ? choice : undefined;
}

/** Whether a rule reads a relation of the stratum under negation or inside an aggregate. */
function readsInside(rule: Rule, rels: ReadonlySet<string>): boolean {
  let found = false;
  visitRuleAtoms(rule, (atom, place) => {
    if ((place.negated || place.aggregate !== undefined) && rels.has(atom.relation)) found = true;
  });
  return found;
}

/** The worker that owns a partition value's hash: the hash's high bits, spread over `workers`. */
export function ownerOf(hash: number, workers: number): number {
  return Math.floor(((hash >>> 0) / 4294967296) * workers);
}

/**
 * The part (a worker's, or a cluster node's) owning a cell's value among
 * `parts`: the index hash of the cell alone, spread by ownerOf. Worker
 * threads and cluster nodes split relations with this one function.
 */
export function ownerOfCell(cell: number, parts: number): number {
  return ownerOf(finish(mix(HASH_SEED, cell)), parts);
}
