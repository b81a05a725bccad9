// The cost of a planned pipeline, in row visits, from the statistics of the
// relations it reads. Bindings flow through the operators: a scan visits every
// row of its range for each binding that reaches it; a probe costs one lookup
// plus the further rows of the chain it walks, which for a key drawn from the bindings
// is rows / max(distinct keys in the relation, distinct keys among the
// bindings) — the usual join estimate, which charges a skewed key (an all-zero
// context column: one distinct value) with the whole relation instead of
// pretending the key is selective. Each variable remembers how many distinct
// values it can take (from the column that bound it), so that keys made of
// variables bound from small relations are recognised as such. An index the
// plan needs and the relation lacks is charged once for building it.

import type { MTerm } from "../../lang/model.js";
import type { Estimate, Op, Read } from "./ir.js";
import type { Statistics } from "./statistics.js";

/**
 * Relative costs, in rows visited by a scan: a scan reads its range in order,
 * while a lookup lands in a hash table and every further row of a chain is
 * another jump through memory, so each costs several scanned rows (the order
 * of magnitude measured on this engine's workloads, where plans that walk
 * long chains lost to plans that scan the delta).
 */
const LOOKUP = 4;
const CHAIN_ROW = 3;
/** Relative cost of adding one row to an index being built. */
const INDEX_ROW = 2;
/**
 * An index on a relation the stratum is still deriving must take every row the
 * relation gains from then on: it is charged as if the relation doubled, and
 * never shared among runs.
 */
const GROWING_INDEX = 2;
/** Fractions of bindings assumed to pass a filter or negation nothing is known about. */
const EQUALITY_PASSES = 0.1;
const FILTER_PASSES = 0.5;
const NEGATION_PASSES = 0.5;
/** Values assumed for a range() generator. */
const RANGE_VALUES = 10;

/** Where a pipeline stands: the bindings reaching the next operator, and each bound variable's distinct values. */
interface Flow {
  bindings: number;
  readonly distinct: Map<string, number>;
}

export interface PipelineCost {
  /** Row visits and lookups, index building included. */
  readonly total: number;
  /** Bindings reaching the end (the head's inserts). */
  readonly output: number;
  /** What each read expects, by read operator. */
  readonly estimates: ReadonlyMap<Read, Estimate>;
}

class CostModel {
  readonly estimates = new Map<Read, Estimate>();
  /** Indexes already charged for: building one is paid once per plan. */
  private readonly built = new Set<string>();

  /** `runs`: how many runs of the version an index built for it is expected to serve; `growing`: relations still being derived. */
  constructor(
    private readonly stats: Statistics,
    private readonly runs: number,
    private readonly growing: (relation: string) => boolean,
  ) {}

  private keyDistinct(keys: readonly MTerm[], flow: Flow): number {
    let d = 1;
    for (const k of keys) {
      if (k.kind === "var") d *= flow.distinct.get(k.name) ?? flow.bindings;
      else if (k.kind !== "const") d *= flow.bindings;
    }
    return Math.max(1, Math.min(d, flow.bindings));
  }

  private indexCost(relation: string, columns: readonly number[]): number {
    const key = `${relation}/${columns.join(",")}`;
    if (this.built.has(key) || this.stats.indexed(relation, columns)) return 0;
    this.built.add(key);
    const rows = this.stats.rows(relation, "full");
    return this.growing(relation) ? rows * INDEX_ROW * GROWING_INDEX : (rows * INDEX_ROW) / this.runs;
  }

  private read(op: Read & { kind: "scan" | "probe" }, flow: Flow): number {
    // An empty range (the first delta of a relation still to be derived) counts as one row, so that orders still
    // differ by how they continue from it rather than all costing nothing.
    const rows = Math.max(1, this.stats.rows(op.relation, op.range));
    let perInput: number;
    let cost: number;
    if (op.kind === "scan") {
      perInput = rows;
      cost = flow.bindings * rows;
    } else {
      // A delta or old range holds at most as many distinct keys as rows.
      const inRelation = Math.max(1, Math.min(this.stats.distinct(op.relation, op.index), rows));
      perInput = op.unique
        ? Math.min(1, rows / Math.max(inRelation, this.keyDistinct(op.keys, flow)))
        : rows / Math.max(inRelation, this.keyDistinct(op.keys, flow));
      cost = flow.bindings * (LOOKUP + Math.max(0, perInput - 1) * CHAIN_ROW) + this.indexCost(op.relation, op.index);
    }
    this.estimates.set(op, { rows, inputs: flow.bindings, perInput });
    const checks = op.columns.filter((u) => u.kind === "check").length;
    const passing = perInput * FILTER_PASSES ** checks;
    const before = flow.bindings;
    flow.bindings = op.exists ? before * Math.min(1, passing) : before * passing;
    if (!op.exists) {
      for (const u of op.columns) {
        if (u.kind !== "bind") continue;
        const d = Math.max(1, Math.min(this.stats.distinct(op.relation, [u.column]), flow.bindings));
        flow.distinct.set(u.variable, d);
      }
    }
    return cost;
  }

  /** The cost of `ops` for the bindings in `flow` (updated to what leaves them). */
  pipeline(ops: readonly Op[], flow: Flow): number {
    let total = 0;
    for (const op of ops) {
      switch (op.kind) {
        case "scan":
        case "probe":
          total += this.read(op, flow);
          break;
        case "filter":
          total += flow.bindings;
          flow.bindings *= op.literal.kind === "compare" && op.literal.op === "=" ? EQUALITY_PASSES : FILTER_PASSES;
          break;
        case "bind":
          total += flow.bindings;
          flow.distinct.set(op.variable, flow.bindings);
          break;
        case "range":
          total += flow.bindings * RANGE_VALUES;
          flow.bindings *= op.variable !== undefined ? RANGE_VALUES : 1;
          if (op.variable !== undefined) flow.distinct.set(op.variable, flow.bindings);
          break;
        case "negation": {
          const rows = this.stats.rows(op.relation, "full");
          total += op.index.length === 0 ? flow.bindings * rows : flow.bindings * LOOKUP + this.indexCost(op.relation, op.index);
          flow.bindings *= NEGATION_PASSES;
          break;
        }
        case "aggregate": {
          // The body runs once per binding reaching it (twice with witnesses).
          const inner: Flow = { bindings: 1, distinct: new Map(flow.distinct) };
          const body = this.pipeline(op.body, inner);
          total += flow.bindings * body * (op.witnesses ? 2 : 1);
          flow.distinct.set(op.variable, flow.bindings);
          if (op.witnesses) flow.bindings *= Math.max(1, inner.bindings / 2);
          break;
        }
        case "insert":
        case "accumulate":
          total += flow.bindings;
          break;
      }
    }
    return total;
  }
}

/**
 * The estimated cost of a rule version's pipeline, run once; an index it
 * needs and lacks is charged as shared by `runs` runs (a version run every
 * round keeps using the index it had built), unless it is on a relation that
 * is `growing`.
 */
export function pipelineCost(
  ops: readonly Op[],
  stats: Statistics,
  runs = 1,
  growing: (relation: string) => boolean = () => false,
): PipelineCost {
  const model = new CostModel(stats, runs, growing);
  const flow: Flow = { bindings: 1, distinct: new Map() };
  const total = model.pipeline(ops, flow);
  return { total, output: flow.bindings, estimates: model.estimates };
}
