// One version of a rule as the runner holds it: the normalised rule (planned
// again whenever the data it was planned for has changed a lot), the plan in
// force, its generated code and the function running it. The plan is chosen
// when the version is first needed, from the sizes of the relations then.

import type { PreparedVersion } from "../plan/build-rule.js";
import type { Op, Read, RulePlan } from "../plan/ir.js";
import type { Statistics } from "../plan/statistics.js";
import type { CompiledRule } from "../codegen/rule.js";
import type { Rule } from "../../lang/model.js";

/** Re-plan once a range read has grown or shrunk by this factor since the plan was made. */
const REPLAN_FACTOR = 4;
/** Added to both counts compared, so that tiny ranges do not trigger re-planning. */
const REPLAN_SLACK = 64;

/** Every read of a pipeline, in nested aggregates too. */
export function readsOf(ops: readonly Op[], out: Read[] = []): Read[] {
  for (const op of ops) {
    if (op.kind === "scan" || op.kind === "probe") out.push(op);
    else if (op.kind === "aggregate") {
      readsOf(op.body, out);
      if (op.witnesses) readsOf(op.witnesses.body, out);
    }
  }
  return out;
}

export class Version {
  /** The plan in force; undefined until the version is first planned. */
  plan: RulePlan | undefined;
  private code: CompiledRule | undefined;
  run: () => void = () => {
    throw new Error("internal: a rule version ran before it was planned");
  };
  /** The plan's reads, and the rows of each one's range when the plan was chosen. */
  private reads: Read[] = [];
  private basis: number[] = [];

  constructor(readonly prepared: PreparedVersion) {}

  /** The generated code of the plan in force (worker threads compile the same source). */
  get compiled(): CompiledRule {
    if (!this.code) throw new Error("internal: a rule version's code was read before it was planned");
    return this.code;
  }

  set compiled(c: CompiledRule) {
    this.code = c;
  }

  /** Whether the version has been planned and compiled. */
  get ready(): boolean {
    return this.code !== undefined;
  }

  get rule(): Rule {
    return this.prepared.request.rule;
  }

  /** The body atom this version reads the delta (or the new rows) of, if any. */
  get deltaAtom(): number | undefined {
    const v = this.prepared.request.version;
    return v.kind === "base" ? undefined : v.atom;
  }

  /** Records the data a new plan was chosen for. */
  planned(plan: RulePlan, stats: Statistics): void {
    this.plan = plan;
    this.reads = readsOf(plan.ops);
    this.basis = this.reads.map((r) => stats.rows(r.relation, r.range));
  }

  /** Whether some range the plan reads changed so much since it was chosen that another order may now be better. */
  stale(stats: Statistics): boolean {
    if (!this.plan) return true;
    const reads = this.reads;
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i]!;
      const now = stats.rows(r.relation, r.range) + REPLAN_SLACK;
      const then = (this.basis[i] ?? 0) + REPLAN_SLACK;
      if (now > then * REPLAN_FACTOR || then > now * REPLAN_FACTOR) return true;
    }
    return false;
  }
}
