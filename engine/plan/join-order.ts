// Chooses a rule version's join order. A `.plan` written for the version is
// followed as given. Otherwise, with statistics, every order of the body's
// atoms is laid out and costed (engine/plan/cost.ts) and the cheapest wins; a
// body of more than EXHAUSTIVE atoms is ordered one atom at a time instead,
// each step taking the atom whose choice gives the cheapest completion.
// Robustness comes before the estimate: an order that reads an atom sharing
// nothing with the atoms before it, while another atom does, is never taken
// (a cross product is the worst case when an estimate is wrong), and the
// default order (the delta atom first, then the most bound columns) gives way
// only to an order clearly cheaper, by half and by enough rows to matter.
// Without statistics (a plan printed for a program with no data), the default
// order stands. Ties are broken by the atoms' shapes, never by where they
// were written: the order of a body's atoms decides nothing but between atoms
// of the same relation and the same pattern of arguments.

import { layOut, type RelationShapes } from "./build-rule.js";
import type { AtomItem, PreparedVersion } from "./normalise.js";
import { atomKey, boundColumnsOrder, fixedOrder } from "./orders.js";
import { pipelineCost } from "./cost.js";
import type { Estimate, Op, Read, RulePlan } from "./ir.js";
import type { Statistics } from "./statistics.js";

/** Bodies with at most this many atoms have every order costed (24 orders for 4); larger ones are ordered one atom at a time. */
const EXHAUSTIVE = 4;
/**
 * Another order replaces the default only when the estimate says it costs less than this share of the
 * default's and saves this many row visits: estimates are rough, and the default (the delta read in order,
 * then probes) keeps advantages the model does not see, such as a delta's rows sharing keys.
 */
const MARGIN = 0.5;
const MIN_GAIN = 256;
/** Runs of a version an index built for it is charged to: a base version runs once, a delta version every round. */
const ROUNDS_AHEAD = 8;

/** What ties an atom to others: its variables, and whether a constant lets it be probed from the start. */
interface Ties {
  readonly vars: readonly string[];
  readonly constant: boolean;
}

function tiesOf(a: AtomItem): Ties {
  return { vars: a.lit.args.flatMap((t) => (t.kind === "var" ? [t.name] : [])), constant: a.lit.args.some((t) => t.kind === "const") };
}

const tiedTo = (t: Ties, seen: ReadonlySet<string>) => t.constant || t.vars.some((v) => seen.has(v));

/**
 * Every order of `atoms` that never reads an atom no variable or constant ties to the atoms before
 * it while another atom left is tied to them (a cross product another order avoids), in the order
 * of `atoms`; the prefixes are pruned as they are built.
 */
function* connectedOrders(atoms: readonly AtomItem[], ties: ReadonlyMap<AtomItem, Ties>): Generator<AtomItem[]> {
  const order: AtomItem[] = [];
  const left = new Set(atoms);
  function* extend(seen: ReadonlySet<string>): Generator<AtomItem[]> {
    if (left.size === 0) {
      yield [...order];
      return;
    }
    const anyTied = order.length > 0 && [...left].some((a) => tiedTo(ties.get(a)!, seen));
    for (const a of atoms) {
      if (!left.has(a)) continue;
      const t = ties.get(a)!;
      if (anyTied && !tiedTo(t, seen)) continue;
      left.delete(a);
      order.push(a);
      yield* extend(new Set([...seen, ...t.vars]));
      order.pop();
      left.add(a);
    }
  }
  yield* extend(new Set());
}

/** Whether an order reads an atom that no variable or constant ties to the atoms before it, while another atom left is tied to them. */
function avoidableCrossProduct(order: readonly AtomItem[], ties: ReadonlyMap<AtomItem, Ties>): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < order.length; i++) {
    const t = ties.get(order[i]!)!;
    if (i > 0 && !tiedTo(t, seen) && order.slice(i + 1).some((a) => tiedTo(ties.get(a)!, seen))) return true;
    for (const v of t.vars) seen.add(v);
  }
  return false;
}

/** The plan's reads with the estimates the cost model made for them. */
function annotate(ops: readonly Op[], estimates: ReadonlyMap<Read, Estimate>): Op[] {
  return ops.map((op) => {
    if (op.kind === "scan" || op.kind === "probe") {
      const estimate = estimates.get(op);
      return estimate ? { ...op, estimate } : op;
    }
    if (op.kind === "aggregate") {
      const body = annotate(op.body, estimates);
      return op.witnesses ? { ...op, body, witnesses: { ...op.witnesses, body: annotate(op.witnesses.body, estimates) } } : { ...op, body };
    }
    return op;
  });
}

/** `stats` answering each question once: the orders of one version ask the same ones many times. */
function remembering(stats: Statistics): Statistics {
  const rows = new Map<string, number>();
  const distinct = new Map<string, number>();
  const indexed = new Map<string, boolean>();
  const ask = <T>(memo: Map<string, T>, key: string, answer: () => T): T => {
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = answer()));
    return v;
  };
  return {
    rows: (r, range) => ask(rows, `${r}/${range}`, () => stats.rows(r, range)),
    distinct: (r, cols) => ask(distinct, `${r}/${cols.join(",")}`, () => stats.distinct(r, cols)),
    indexed: (r, cols) => ask(indexed, `${r}/${cols.join(",")}`, () => stats.indexed(r, cols)),
  };
}

/** How a version's indexes are charged: shared by its runs, unless on a relation its stratum derives. */
function charging(prepared: PreparedVersion): { runs: number; growing: (relation: string) => boolean } {
  const derives = prepared.request.derives;
  return {
    runs: prepared.request.version.kind === "base" ? 1 : ROUNDS_AHEAD,
    growing: (relation) => derives?.has(relation) ?? false,
  };
}

/** Plans a prepared rule version: its `.plan`, else the cheapest order for `stats`, else by bound columns. */
export function planVersion(prepared: PreparedVersion, shapes: RelationShapes, given?: Statistics): RulePlan {
  const stats = given && remembering(given);
  const { rule, version } = prepared.request;
  const { runs, growing } = charging(prepared);
  const written = version.kind === "delta" ? rule.plan?.get(version.k) : undefined;
  if (written) {
    const plan = layOut(prepared, shapes, fixedOrder(written.map((i) => prepared.atoms.get(i)!)), "plan");
    return stats ? { ...plan, ops: annotate(plan.ops, pipelineCost(plan.ops, stats, runs, growing).estimates) } : plan;
  }
  const delta = version.kind === "base" ? undefined : prepared.atoms.get(version.atom);
  const initial = layOut(prepared, shapes, boundColumnsOrder(delta), "bound columns");
  if (!stats) return initial;
  // Orders are tried in an order of their own, so that of equally cheap orders the same one wins however the body was written.
  const atoms = [...prepared.atoms.values()].sort((a, b) => (atomKey(a) < atomKey(b) ? -1 : atomKey(a) > atomKey(b) ? 1 : 0));
  const ties = new Map(atoms.map((a) => [a, tiesOf(a)]));
  let best = initial;
  let bestCost = pipelineCost(initial.ops, stats, runs, growing);
  const initialCost = bestCost.total;
  const costs = new Map([[initial.order.join(","), initialCost]]);
  // The plan chosen, with the estimates its costing made.
  const costed = () => ({ ...best, orderedBy: "cost" as const, ops: annotate(best.ops, bestCost.estimates) });
  // No order can be cheaper by MIN_GAIN than one that costs less than that: keep the default.
  if (initialCost < MIN_GAIN) return costed();
  const consider = (order: readonly AtomItem[]): number => {
    const plan = layOut(prepared, shapes, fixedOrder(order), "cost");
    const key = plan.order.join(",");
    const known = costs.get(key);
    if (known !== undefined) return known;
    const cost = pipelineCost(plan.ops, stats, runs, growing);
    costs.set(key, cost.total);
    const ordered = plan.order.map((i) => prepared.atoms.get(i)!);
    if (
      cost.total < bestCost.total &&
      cost.total < initialCost * MARGIN &&
      initialCost - cost.total >= MIN_GAIN &&
      !avoidableCrossProduct(ordered, ties)
    ) {
      best = plan;
      bestCost = cost;
    }
    return cost.total;
  };
  if (atoms.length <= EXHAUSTIVE) {
    for (const order of connectedOrders(atoms, ties)) consider(order);
  } else {
    // One atom at a time: the one whose choice, completed by bound columns, costs least.
    const chosen: AtomItem[] = [];
    while (chosen.length < atoms.length) {
      let pick: AtomItem | undefined;
      let pickCost = Infinity;
      for (const a of atoms) {
        if (chosen.includes(a)) continue;
        const cost = consider([...chosen, a]);
        if (cost < pickCost) {
          pick = a;
          pickCost = cost;
        }
      }
      chosen.push(pick!);
    }
  }
  return costed();
}
