// Retraction in a stratum of plain (set) relations without recomputing it:
// delete by derivation height, then derive again. A row's height is the
// semi-naive round it was first derived in (engine/eval/heights.ts); a row of
// height h > 0 has a derivation whose rows of the stratum all have heights
// below h. Candidates are the heads of rule instances reading a lost fact
// (one body atom reading the lost rows, with the rules' own compiled code:
// engine/eval/rule-variants.ts) and the stratum's own given facts that went.
// They are settled by increasing height: a candidate of height h stays if it
// is still a given fact, or some rule instance derives it from rows of the
// stratum that have heights below h and are not deleted, and from rows of
// earlier strata that are present (the rule behind an atom over the
// candidates, each atom of the stratum followed by a negated atom over the
// rows deleted so far, the stratum's relations read only below the rows where
// height h begins). Otherwise it is deleted, and the heads of instances
// reading it become candidates; those of height h or less that are not
// candidates already keep their height-giving derivation (its rows are lower
// and none of them was deleted, or they would be candidates) and stay. Every
// row that stays so has a derivation from rows that stay below it, down to
// facts that remain: no cycle holds itself up. The deleted rows are then
// removed (order kept, so the heights stay valid), those with a derivation
// from what remains are derived again in one step, and the stratum catches up
// from them as after an insert.

import type { MLiteral, MTerm, Rule, Stratum } from "../../lang/model.js";
import { literalTerms, someTerm } from "../../lang/model-terms.js";
import { Relation } from "../storage/relation.js";
import type { StratumHeights } from "./heights.js";
import { fillWith, RuleVariants, type VariantHost } from "./rule-variants.js";

/** What this needs of a stratum as the runner holds it. */
export interface HeightStratum {
  readonly stratum: Stratum;
  readonly relations: readonly Relation[];
  readonly reads: ReadonlySet<Relation>;
  readonly readsNonMonotone: ReadonlySet<Relation>;
  readonly heights: StratumHeights;
}

/** What an update found: each relation's rows deleted (as cells), and the row its catch-up reads from. */
export interface HeightUpdate {
  readonly deleted: ReadonlyMap<Relation, Int32Array>;
  readonly marks: ReadonlyMap<Relation, number>;
}

/** Whether a term's evaluation depends on more than its arguments (a counter, a user functor). */
const impure = (t: MTerm) => t.kind === "call" && (t.name === "autoinc" || t.name.startsWith("@"));

/** The number of values of the ascending `sorted` below `n`. */
function countBelow(sorted: Int32Array, n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class HeightRetraction {
  private readonly variants: RuleVariants;
  /** For each relation of a stratum, the rows deleted so far (read under negation by the checks). */
  private readonly gone = new Map<string, Relation>();
  /** For each relation, the candidates of one height being checked, and those found derivable. */
  private readonly goals = new Map<string, Relation>();
  private readonly oks = new Map<string, Relation>();

  constructor(private readonly runner: VariantHost) {
    this.variants = new RuleVariants(runner);
  }

  /**
   * Whether stratum `plan` can be brought up to date this way: its relations
   * are plain sets of one column or more (no lattice, choice-domain, record or
   * ADT column), not bounded by .limitsize and not frozen, with heights that
   * describe their rows; a small share of what it reads and holds was lost
   * (LOST_SHARE); its rules' heads are variables and constants, and no rule calls
   * autoinc or a user functor; what it reads under negation or in an
   * aggregate did not change; every relation it reads that lost facts lost
   * exactly the rows `lost` gives (`exact`), and no rule reads two atoms over
   * such relations; its own relations lost given facts only.
   */
  applies(
    plan: HeightStratum,
    lost: ReadonlyMap<Relation, readonly number[]>,
    rebuilt: ReadonlySet<Relation>,
    exact: ReadonlySet<Relation>,
    grew: (r: Relation) => boolean,
  ): boolean {
    if (plan.stratum.rules.length === 0 || !plan.heights.current()) return false;
    for (const r of plan.relations) {
      if (r.arity === 0 || r.lattice || r.choice || r.frozen || r.limit < Infinity || r.structuredIO) return false;
      if (rebuilt.has(r) && !lost.has(r)) return false;
    }
    for (const r of plan.readsNonMonotone) if (rebuilt.has(r) || grew(r)) return false;
    for (const r of plan.reads) if (rebuilt.has(r) && !exact.has(r)) return false;
    // Past a share of the facts the stratum reads (or was given) lost, the update tends to cost more than recomputing.
    let gone = 0;
    let had = 0;
    for (const r of [...plan.reads, ...plan.relations]) {
      const rows = (lost.get(r)?.length ?? 0) / Math.max(1, r.arity);
      gone += rows;
      had += (plan.reads.has(r) ? r.size : r.exportBase().count) + rows;
    }
    if (gone > Math.max(MIN_LOST, had * LOST_SHARE)) return false;
    const own = new Set(plan.stratum.relations);
    for (const id of plan.stratum.rules) {
      const rule = this.runner.program.rules[id]!;
      if (!rule.head.args.every((a) => a.kind === "var" || a.kind === "const")) return false;
      if ([...rule.head.args, ...rule.body.flatMap(literalTerms)].some((t) => someTerm(t, impure))) return false;
      const losing = rule.body.filter((l) => l.kind === "atom" && !own.has(l.relation) && rebuilt.has(this.runner.relation(l.relation)));
      if (losing.length > 1) return false;
    }
    return true;
  }

  /**
   * Deletes the rows of `plan`'s relations that lost their support, by height,
   * removes them, and derives again those that still have a derivation.
   * `mark` gives each relation's size when the last run ended (its relations'
   * rows from there on are given facts added since). Gives up, having changed
   * nothing, once the candidates outnumber a share of the stratum's rows
   * (CANDIDATE_SHARE): the stratum is then recomputed.
   */
  update(plan: HeightStratum, lost: ReadonlyMap<Relation, readonly number[]>, mark: (r: Relation) => number): HeightUpdate | undefined {
    const rels = plan.relations;
    const heights = plan.heights;
    const own = new Map(rels.map((r, k) => [r.name, k]));
    const rules = plan.stratum.rules.map((id) => this.runner.program.rules[id]!).filter((r) => r.body.length > 0);
    for (const r of rels) r.settle();
    const status = rels.map((r) => new Uint8Array(r.size));
    const deletedRows: number[][] = rels.map(() => []);
    const buckets: number[][] = [];
    const total = rels.reduce((n, r) => n + r.size, 0);
    let queued = 0;
    const enqueue = (k: number, row: number, floor: number): void => {
      if (status[k]![row] !== 0) return;
      const h = heights.height(k, row);
      if (h <= floor) return;
      status[k]![row] = QUEUED;
      queued++;
      (buckets[h] ??= []).push(k, row);
    };
    // Scratch cells of one row per relation, for probes.
    const keys = rels.map((r) => new Int32Array(r.arity));
    const cellsOf = (k: number, row: number): Int32Array => {
      const { data, arity } = rels[k]!;
      const key = keys[k]!;
      for (let c = 0; c < arity; c++) key[c] = data[row * arity + c]!;
      return key;
    };
    const enqueueFound = (found: Relation, k: number, floor: number): void => {
      const r = rels[k]!;
      const a = r.arity;
      const cells = found.data;
      const probe = keys[k]!;
      for (let i = 0; i < found.size; i++) {
        for (let c = 0; c < a; c++) probe[c] = cells[i * a + c]!;
        const row = r.unique.find(r.data, probe);
        if (row >= 0) enqueue(k, row, floor);
      }
    };
    // The first candidates: heads of instances reading a lost fact of an earlier stratum, and given facts that went.
    for (const rule of rules) {
      rule.body.forEach((l, i) => {
        if (l.kind !== "atom" || own.has(l.relation)) return;
        const rows = lost.get(this.runner.relation(l.relation));
        if (rows && rows.length > 0) enqueueFound(this.variants.candidates(rule, i, rows), own.get(rule.head.relation)!, -1);
      });
    }
    rels.forEach((r, k) => {
      const rows = lost.get(r);
      if (!rows) return;
      for (let at = 0; at < rows.length; at += r.arity) {
        const row = r.unique.find(r.data, rows.slice(at, at + r.arity));
        if (row >= 0) enqueue(k, row, -1);
      }
    });
    const budget = Math.max(MIN_BUDGET, total * CANDIDATE_SHARE);
    const given = rels.map((r) => {
      const { rows, count } = r.exportBase();
      if (count === 0) return undefined;
      const g = new Relation("$given", r.types);
      fillWith(g, rows, count);
      return g;
    });
    const gone = rels.map((r) => {
      let g = this.gone.get(r.name);
      if (!g) this.gone.set(r.name, (g = new Relation(`$gone:${r.name}`, r.types)));
      fillWith(g, []);
      return g;
    });
    for (let h = 0; h < buckets.length; h++) {
      if (queued > budget) return undefined;
      const batch = buckets[h];
      if (!batch) continue;
      // Each relation's candidates of height h that are not given facts, as cells.
      const open = rels.map(() => [] as number[]);
      for (let i = 0; i < batch.length; i += 2) {
        const k = batch[i]!;
        const row = batch[i + 1]!;
        const g = given[k];
        if (g && g.unique.find(g.data, cellsOf(k, row)) >= 0) continue;
        open[k]!.push(row);
      }
      const derived = h > 0 ? this.derivable(plan, rules, open, h, gone) : rels.map(() => undefined);
      const dropped = rels.map(() => [] as number[]);
      open.forEach((rows, k) => {
        const r = rels[k]!;
        const ok = derived[k];
        for (const row of rows) {
          if (ok && ok.unique.find(ok.data, cellsOf(k, row)) >= 0) continue;
          status[k]![row] = DELETED;
          deletedRows[k]!.push(row);
          for (let c = 0; c < r.arity; c++) {
            dropped[k]!.push(r.data[row * r.arity + c]!);
            gone[k]!.tmp[c] = r.data[row * r.arity + c]!;
          }
          gone[k]!.add();
        }
      });
      for (const g of gone) g.settle();
      // What the deleted rows derived: candidates of greater heights.
      for (const rule of rules) {
        rule.body.forEach((l, i) => {
          if (l.kind !== "atom") return;
          const j = own.get(l.relation);
          if (j === undefined || dropped[j]!.length === 0) return;
          enqueueFound(this.variants.candidates(rule, i, dropped[j]!), own.get(rule.head.relation)!, h);
        });
      }
    }
    if (queued > budget) return undefined;
    // The deleted rows go (the others keep their order, so their heights stay); the marks move with the rows.
    const deleted = new Map<Relation, Int32Array>();
    const marks = new Map<Relation, number>();
    rels.forEach((r, k) => {
      const rows = Int32Array.from(deletedRows[k]!).sort();
      const cells = new Int32Array(rows.length * r.arity);
      rows.forEach((row, i) => cells.set(r.data.subarray(row * r.arity, (row + 1) * r.arity), i * r.arity));
      deleted.set(r, cells);
      marks.set(r, mark(r) - countBelow(rows, mark(r)));
      if (rows.length === 0) return;
      r.removeRows(status[k]!);
      heights.remap(k, (n) => n - countBelow(rows, n));
    });
    for (const r of rels) r.settle();
    // Rows deleted that something remaining derives come back, in one step: a height above every row's.
    heights.begin();
    for (const rule of rules) {
      const head = this.runner.relation(rule.head.relation);
      const cells = deleted.get(head)!;
      if (cells.length > 0) this.deriveAgain(rule, cells);
    }
    for (const r of rels) r.settle();
    return { deleted, marks };
  }

  /**
   * For each relation, the candidates among `open` (rows of height `h`) that
   * some rule instance derives from rows of the stratum below height `h` not
   * deleted yet (`gone`), and rows of earlier strata: a relation holding them.
   */
  private derivable(
    plan: HeightStratum,
    rules: readonly Rule[],
    open: readonly (readonly number[])[],
    h: number,
    gone: readonly Relation[],
  ): (Relation | undefined)[] {
    const rels = plan.relations;
    const own = new Map(rels.map((r, k) => [r.name, k]));
    const goals = rels.map((r, k) => {
      if (open[k]!.length === 0) return undefined;
      const goal = this.temp(this.goals, r);
      goal.rebuild();
      const { data, arity } = r;
      for (const row of open[k]!) {
        for (let c = 0; c < arity; c++) goal.tmp[c] = data[row * arity + c]!;
        goal.add();
      }
      goal.settle();
      this.temp(this.oks, r).rebuild();
      return goal;
    });
    // Planned for all the rows (the rows of lower heights can be very few).
    const checks = rules.filter((rule) => goals[own.get(rule.head.relation)!] !== undefined);
    const variants = checks.map((rule) => this.variants.variant(`${rule.id}:check`, () => this.checkRule(rule, own, rels, gone)));
    for (const c of variants) this.variants.compile(c);
    // The stratum's rows are read below the rows where height h begins.
    rels.forEach((r, k) => {
      r.deltaEnd = plan.heights.firstOf(k, h);
    });
    try {
      for (const c of variants) this.variants.run(c);
    } finally {
      for (const r of rels) r.deltaEnd = r.size;
    }
    return rels.map((r, k) => (goals[k] ? this.temp(this.oks, r) : undefined));
  }

  /** The temporary relation of `r`'s shape that `temps` holds for it, made on first need. */
  private temp(temps: Map<string, Relation>, r: Relation): Relation {
    let t = temps.get(r.name);
    if (!t) temps.set(r.name, (t = new Relation(`${temps === this.goals ? "$goal" : "$ok"}:${r.name}`, r.types)));
    return t;
  }

  /**
   * `rule` as a check of candidates: an atom over them first, its head
   * collecting those derived, each atom over a relation of the stratum
   * followed by the negation of the same tuple among the rows deleted (an
   * unnamed argument named, so that the negation is of that row).
   */
  private checkRule(
    rule: Rule,
    own: ReadonlyMap<string, number>,
    rels: readonly Relation[],
    gone: readonly Relation[],
  ): { rule: Rule; temps: Map<string, Relation> } {
    const head = rels[own.get(rule.head.relation)!]!;
    const goal = this.temp(this.goals, head);
    const ok = this.temp(this.oks, head);
    let fresh = 0;
    const body: MLiteral[] = [{ kind: "atom", relation: goal.name, args: rule.head.args, span: rule.head.span }];
    const temps = new Map<string, Relation>([
      [goal.name, goal],
      [ok.name, ok],
    ]);
    for (const l of rule.body) {
      const k = l.kind === "atom" ? own.get(l.relation) : undefined;
      if (l.kind !== "atom" || k === undefined) {
        body.push(l);
        continue;
      }
      const args = l.args.map(
        (t): MTerm => (t.kind === "wildcard" ? { kind: "var", name: `_#h${fresh++}`, type: t.type, span: t.span } : t),
      );
      const g = gone[k]!;
      temps.set(g.name, g);
      body.push({ ...l, args }, { kind: "negation", atom: { kind: "atom", relation: g.name, args, span: l.span }, span: l.span });
    }
    return { rule: { ...rule, head: { ...rule.head, relation: ok.name }, body }, temps };
  }

  /** Runs `rule` for the heads among `cells` only (an atom over them put first), adding what it derives to its head. */
  private deriveAgain(rule: Rule, cells: Int32Array): void {
    const head = this.runner.relation(rule.head.relation);
    const c = this.variants.variant(`${rule.id}:again`, () => ({
      rule: { ...rule, body: [{ kind: "atom", relation: "$goal", args: rule.head.args, span: rule.head.span }, ...rule.body] },
      temps: new Map([["$goal", new Relation("$goal", head.types)]]),
    }));
    fillWith(c.temps.get("$goal")!, cells);
    this.variants.run(c);
  }
}

/**
 * Where recomputing is likely to cost less (measured with bench/retract.mjs
 * on tc_random_1000): the facts lost past this share of the rows the stratum
 * reads and was given (decided before any work; MIN_LOST facts always
 * allowed), or the candidates past CANDIDATE_SHARE of the stratum's rows (the
 * update then gives up, having changed nothing; MIN_BUDGET always allowed).
 */
const LOST_SHARE = 0.005;
const MIN_LOST = 16;
const CANDIDATE_SHARE = 0.05;
const MIN_BUDGET = 1024;

/** A row's status during an update: a candidate, or deleted (the mark Relation.removeRows() takes). */
const QUEUED = 2;
const DELETED = 1;
