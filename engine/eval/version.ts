// One version of a rule as the runner holds it: the normalised rule (planned
// again whenever the data it was planned for has changed a lot), the plan in
// force, its generated code and the function running it. The plan is chosen
// when the version is first needed, from the sizes of the relations then;
// the plans chosen and the code generated are remembered, by the sizes they
// were chosen for and by join order, for when the sizes come back.

import type { PreparedVersion } from "../plan/normalise.js";
import type { Range, Read, RulePlan } from "../plan/ir.js";
import { readsOf } from "../plan/reads.js";
import type { Statistics } from "../plan/statistics.js";
import type { CompiledRule } from "../codegen/rule.js";
import type { Rule } from "../../lang/model.js";

/**
 * Ranges are compared in buckets of their rows plus REPLAN_SLACK: a version
 * is planned again when a range it reads moved to another bucket, and a plan
 * chosen for the same buckets before is taken again without costing the
 * orders anew. A delta swings between sizes round after round, and one row or
 * a hundred can call for different orders: its buckets are powers of four.
 * All rows and the old rows only grow, and matter by orders of magnitude:
 * their buckets are powers of eight. Below a few rows, a delta of 0, 1 or 5
 * rows is one bucket, so that a long chain of tiny rounds is not re-planned
 * at each.
 */
const REPLAN_SLACK = 8;

/** log2 of a range's bucket base: powers of four for a delta, of eight otherwise. */
const bucketBits = (range: Range) => (range === "delta" ? 2 : 3);

/** The size bucket of a range of `rows` rows: floor(log(rows + REPLAN_SLACK)) in its base, exactly. */
export function sizeBucket(rows: number, range: Range): number {
  return Math.floor((31 - Math.clz32(rows + REPLAN_SLACK)) / bucketBits(range));
}

/** The rows a range holds at least and less than while in bucket `b`. */
export function bucketBounds(b: number, range: Range): [number, number] {
  const base = 2 ** bucketBits(range);
  return [base ** b - REPLAN_SLACK, base ** (b + 1) - REPLAN_SLACK];
}

/** Where a relation's delta lies (a Relation has these). */
export interface DeltaBounds {
  readonly stableEnd: number;
  readonly deltaEnd: number;
}

export class Version {
  /** The plan in force; undefined until the version is first planned. */
  plan: RulePlan | undefined;
  private code: CompiledRule | undefined;
  run: () => void = () => {
    throw new Error("internal: a rule version ran before it was planned");
  };
  /**
   * The relation ranges the version reads (the same in every order), and for
   * the plan in force the rows each may hold while it stays in its bucket:
   * [low[i], high[i]).
   */
  private reads: readonly Read[] | undefined;
  private low = new Float64Array(0);
  private high = new Float64Array(0);
  /** The bounds of the relation whose delta (or new rows) the version reads, if it reads one: known before any plan. */
  private readonly deltaOf: DeltaBounds | undefined;
  /** Plans chosen before, by the buckets of the sizes they were chosen for. */
  private readonly decisions = new Map<string, RulePlan>();
  /** Code generated before, by join order. */
  private readonly codes = new Map<string, { readonly compiled: CompiledRule; readonly run: () => void }>();

  /** `relation`: the bounds of a relation by name, for the one whose delta the version reads. */
  constructor(
    readonly prepared: PreparedVersion,
    relation: (name: string) => DeltaBounds,
  ) {
    const v = prepared.request.version;
    const atom = v.kind === "base" ? undefined : prepared.request.rule.body[v.atom];
    this.deltaOf = atom?.kind === "atom" ? relation(atom.relation) : undefined;
  }

  /** The generated code of the plan in force (worker threads compile the same source). */
  get compiled(): CompiledRule {
    if (!this.code) throw new Error("internal: a rule version's code was read before it was planned");
    return this.code;
  }

  get rule(): Rule {
    return this.prepared.request.rule;
  }

  /** The body atom this version reads the delta (or the new rows) of, if any. */
  get deltaAtom(): number | undefined {
    const v = this.prepared.request.version;
    return v.kind === "base" ? undefined : v.atom;
  }

  /** The buckets of the reads' sizes now, as a key; records each bucket's bounds for stale(). */
  private signatureNow(stats: Statistics, reads: readonly Read[]): string {
    const n = reads.length;
    if (this.low.length !== n) [this.low, this.high] = [new Float64Array(n), new Float64Array(n)];
    let key = "";
    for (let i = 0; i < n; i++) {
      const r = reads[i]!;
      const b = sizeBucket(stats.rows(r.relation, r.range), r.range);
      [this.low[i], this.high[i]] = bucketBounds(b, r.range);
      key += `${b},`;
    }
    return key;
  }

  /**
   * Whether the version derives nothing this round: the delta (or the new rows)
   * it reads is empty. Such a round neither runs it nor plans it again.
   */
  idle(): boolean {
    const d = this.deltaOf;
    return d !== undefined && d.deltaEnd === d.stableEnd;
  }

  /**
   * Whether some range the plan reads moved out of its size bucket since the
   * plan was chosen (checked when sizes moved: two comparisons a read). An
   * idle version is never stale: with nothing to read, any plan will do.
   */
  stale(stats: Statistics): boolean {
    const reads = this.reads;
    if (!this.plan || !reads) return true;
    if (this.idle()) return false;
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i]!;
      const rows = stats.rows(r.relation, r.range);
      if (rows < this.low[i]! || rows >= this.high[i]!) return true;
    }
    return false;
  }

  /**
   * Puts in force the plan for the sizes now: one chosen for the same size
   * buckets before, or the one `choose` makes. Returns whether the plan in force changed.
   */
  replan(stats: Statistics, choose: () => RulePlan): boolean {
    let reads = this.reads;
    if (!reads) {
      const first = choose();
      this.reads = reads = readsOf(first.ops);
      this.decisions.set(this.signatureNow(stats, reads), first);
    }
    const sig = this.signatureNow(stats, reads);
    let plan = this.decisions.get(sig);
    if (!plan) this.decisions.set(sig, (plan = choose()));
    const changed = plan !== this.plan;
    this.plan = plan;
    return changed;
  }

  /** The code for the plan in force: generated by `make` the first time its join order is in force. */
  useCode(make: () => { readonly compiled: CompiledRule; readonly run: () => void }): void {
    const key = this.plan!.order.join(",");
    let code = this.codes.get(key);
    if (!code) this.codes.set(key, (code = make()));
    this.code = code.compiled;
    this.run = code.run;
  }
}
