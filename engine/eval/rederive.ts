// Retraction under lattice columns without recomputing the stratum: delete
// and rederive, keyed on tight derivations. When facts a stratum of min, max,
// `or` or `and` relations reads went away, a key is affected if some
// derivation through a lost fact (or through an affected key's old value)
// attains the value the key holds; affected keys are found round by round
// with the rules' own compiled code (the rule with the lost facts' relation
// in place of one atom, its head collecting candidates). The affected keys
// are dropped, derived again from what remains (the rule behind an atom over
// the affected keys), and the stratum then catches up as after an insert,
// from the rows derived again. Keys no lost fact supported keep their values,
// which stay valid: a min or max value is attained by one derivation, and
// theirs lost nothing. In a recursive stratum that holds only where each step
// is strict (engine/eval/strict-steps.ts): otherwise a key's value can be
// attained again through the key itself (`hops(y, min(n + 1, 6)) :- hops(x,
// n), edge(x, y)` over a self-loop keeps 6 after the start it grew from is
// gone), so the tight derivations found would miss keys with no support left;
// such strata are recomputed.

import type { Rule, Stratum } from "../../lang/model.js";
import { Relation } from "../storage/relation.js";
import { type StrictSteps, stepsHold, strictSteps } from "./strict-steps.js";
import { RuleVariants, type VariantHost } from "./rule-variants.js";

/** What this needs of the runner (engine/eval/program-runner.ts). */
export type RederiveHost = VariantHost;

/** What this needs of a stratum as the runner holds it. */
export interface StratumRun {
  readonly stratum: Stratum;
  readonly relations: readonly Relation[];
  readonly reads: ReadonlySet<Relation>;
  readonly readsNonMonotone: ReadonlySet<Relation>;
}

/** A lattice whose values are totally ordered: a key's value is attained by one derivation. */
const totalOrder = (rel: Relation) => rel.lattice !== undefined && /^(min|max)<|^(or|and)$/.test(rel.lattice.name);

/** The `n` cells of `rows` at `at` as text, for a set of keys or facts (engine/eval/retract.ts too). */
export function keyAt(rows: Int32Array, at: number, n: number): string {
  let k = "";
  for (let c = 0; c < n; c++) k += `${rows[at + c]},`;
  return k;
}

/** The keys of a relation found affected: a mark per row (the key's row before the update), and those rows. */
interface Affected {
  readonly mask: Uint8Array;
  readonly rows: number[];
}

export class Rederiver {
  private readonly variants: RuleVariants;
  /** A key's cells, for a lookup. */
  private key = new Int32Array(0);
  /** Each recursive stratum's strict steps, read from its rules once (undefined: not strict). */
  private readonly steps = new Map<Stratum, StrictSteps | undefined>();

  constructor(private readonly runner: RederiveHost) {
    this.variants = new RuleVariants(runner);
  }

  /**
   * Whether stratum `plan` can be brought up to date this way: its relations
   * all have totally ordered lattice columns; every relation it reads that
   * lost facts lost only known facts (`lost`); no rule reads two atoms over
   * relations that lost facts; each head's key is variables and constants.
   */
  applies(plan: StratumRun, lost: ReadonlyMap<Relation, readonly number[]>, rebuilt: ReadonlySet<Relation>): boolean {
    if (!plan.relations.every(totalOrder)) return false;
    // In a recursive stratum a key's value can hold itself up: a derivation through the key itself
    // (a capped step, a zero-weight cycle) attains the value again, so finding the keys a lost fact
    // supported by tight derivations misses keys with no support left. Such strata are recomputed,
    // unless every step is strict (engine/eval/strict-steps.ts).
    if (plan.stratum.recursive && !this.strict(plan)) return false;
    // A read relation that lost facts must have lost rows only (an input relation whose rows are its facts).
    for (const r of plan.reads) if (rebuilt.has(r) && (!lost.has(r) || r.recordBase)) return false;
    for (const r of plan.relations) if (rebuilt.has(r) && !lost.has(r)) return false;
    for (const r of plan.readsNonMonotone) if (rebuilt.has(r)) return false;
    for (const id of plan.stratum.rules) {
      const rule = this.runner.program.rules[id]!;
      const key = rule.head.args.slice(0, -1);
      if (!key.every((a) => a.kind === "var" || a.kind === "const")) return false;
      const losing = rule.body.filter((l) => l.kind === "atom" && lost.has(this.runner.relation(l.relation)));
      if (losing.length > 1) return false;
    }
    return true;
  }

  /** Whether recursive stratum `plan` takes strict steps over the rows now in place. */
  private strict(plan: StratumRun): boolean {
    const { stratum } = plan;
    if (!this.steps.has(stratum)) {
      const rules = stratum.rules.map((id) => this.runner.program.rules[id]!);
      this.steps.set(
        stratum,
        strictSteps(stratum, rules, (name) => this.runner.relation(name)),
      );
    }
    const steps = this.steps.get(stratum);
    return steps !== undefined && stepsHold(steps, plan.relations, (name) => this.runner.relation(name));
  }

  /**
   * Drops the keys of `plan`'s relations that lost their support and derives
   * them again; returns each relation's row count before the rows derived
   * again (the mark its catch-up reads from).
   */
  update(plan: StratumRun, lost: ReadonlyMap<Relation, readonly number[]>): Map<Relation, number> {
    const own = new Set(plan.relations);
    const rules = plan.stratum.rules.map((id) => this.runner.program.rules[id]!);
    const affected = new Map<Relation, Affected>(plan.relations.map((r) => [r, { mask: new Uint8Array(r.size), rows: [] }]));
    // The first frontier: the lost facts of what the stratum reads, and its own given facts that went.
    let frontier = new Map<Relation, number[]>();
    for (const [r, rows] of lost) if (own.has(r) || plan.reads.has(r)) frontier.set(r, [...rows]);
    for (const r of plan.relations) {
      const gone = frontier.get(r);
      if (!gone) continue;
      // A given fact that went is tight where the key holds its value.
      const next: number[] = [];
      const cells = Int32Array.from(gone);
      for (let at = 0; at < cells.length; at += r.arity) this.tight(r, cells, at, affected.get(r)!, next);
      frontier.set(r, next);
    }
    while ([...frontier.values()].some((rows) => rows.length > 0)) {
      const next = new Map<Relation, number[]>();
      for (const rule of rules) {
        rule.body.forEach((l, k) => {
          if (l.kind !== "atom") return;
          const rows = frontier.get(this.runner.relation(l.relation));
          if (!rows || rows.length === 0) return;
          const head = this.runner.relation(rule.head.relation);
          const found = this.variants.candidates(rule, k, rows);
          const into = next.get(head) ?? [];
          for (let w = 0; w < found.size; w++) if (found.isLive(w)) this.tight(head, found.data, w * head.arity, affected.get(head)!, into);
          next.set(head, into);
        });
      }
      frontier = next;
    }
    // The affected keys' cells, then the keys dropped, then derived again from what remains.
    const keys = new Map<Relation, Int32Array>();
    for (const r of plan.relations) {
      const { rows } = affected.get(r)!;
      const n = r.arity - 1;
      const cells = new Int32Array(rows.length * n);
      rows.forEach((row, i) => cells.set(r.data.subarray(row * r.arity, row * r.arity + n), i * n));
      keys.set(r, cells);
    }
    const marks = new Map<Relation, number>();
    for (const r of plan.relations) {
      const { mask, rows } = affected.get(r)!;
      if (rows.length > 0) r.removeRows(mask);
      r.settle();
      marks.set(r, r.size);
    }
    for (const rule of rules) {
      const head = this.runner.relation(rule.head.relation);
      const cells = keys.get(head)!;
      if (cells.length > 0) this.rederive(rule, head, cells);
    }
    // The relations' own given facts for those keys join in again.
    for (const r of plan.relations) {
      const cells = keys.get(r)!;
      const { rows, count } = r.exportBase();
      if (cells.length === 0 || count === 0) continue;
      const n = r.arity - 1;
      const set = new Set<string>();
      for (let at = 0; at < cells.length; at += n) set.add(keyAt(cells, at, n));
      for (let i = 0; i < count; i++) {
        if (!set.has(keyAt(rows, i * r.arity, n))) continue;
        r.tmp.set(rows.subarray(i * r.arity, (i + 1) * r.arity));
        r.add();
      }
    }
    return marks;
  }

  /** If the key and value at `at` in `cells` attain the value the key holds in `rel`, marks the key affected, its old row on the next frontier. */
  private tight(rel: Relation, cells: Int32Array, at: number, aff: Affected, next: number[]): void {
    const n = rel.arity - 1;
    if (this.key.length !== n) this.key = new Int32Array(n);
    for (let c = 0; c < n; c++) this.key[c] = cells[at + c]!;
    const row = rel.unique.find(rel.data, this.key);
    if (row < 0 || aff.mask[row] === 1 || rel.data[row * rel.arity + n] !== cells[at + n]) return;
    aff.mask[row] = 1;
    aff.rows.push(row);
    for (let c = 0; c < rel.arity; c++) next.push(rel.data[row * rel.arity + c]!);
  }

  /** Runs `rule` for the keys `keys` (cells, the head's key columns each) only, an atom over them put first, joining what it derives into `head`. */
  private rederive(rule: Rule, head: Relation, keys: Int32Array): void {
    const n = head.arity - 1;
    const c = this.variants.variant(`${rule.id}:again`, () => ({
      rule: { ...rule, body: [{ kind: "atom", relation: "$keys", args: rule.head.args.slice(0, -1), span: rule.head.span }, ...rule.body] },
      temps: new Map([["$keys", new Relation("$keys", head.types.slice(0, n))]]),
    }));
    const set = c.temps.get("$keys")!;
    set.rebuild();
    for (let at = 0; at < keys.length; at += n) {
      for (let i = 0; i < n; i++) set.tmp[i] = keys[at + i]!;
      set.add();
    }
    set.settle();
    head.settle();
    this.variants.run(c);
    head.settle();
  }
}
