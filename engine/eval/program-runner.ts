// Evaluates a checked program: one Relation per declared relation, strata run
// in order, each recursive stratum semi-naively to its fixpoint (one version
// of each recursive rule per recursive body atom, reading that atom's delta).
// A version is planned (engine/plan/) when its stratum starts, from the sizes
// of the relations then, compiled to specialised code (engine/codegen/), and
// planned again between rounds once the data it was planned for has changed a
// lot. Later runs continue from the fixpoint: a stratum whose inputs only grew
// catches up through versions that read each atom's new rows; a stratum that
// reads something non-monotonically (negation, aggregate) that changed is
// recomputed from its given facts. After a retraction, a stratum that read
// or held the facts taken back is updated by derivation height
// (engine/eval/height-retract.ts, with the round starts each stratum notes:
// engine/eval/heights.ts) or keyed on tight derivations
// (engine/eval/rederive.ts) where those apply, and recomputed otherwise.

import { releaseDiscarded } from "../storage/memory.js";
import type { RuleProfile } from "./profile.js";
import type { BaseType, CheckedProgram, Rule, Stratum } from "../../lang/model.js";
import { visitRuleAtoms } from "../../lang/model-terms.js";
import { generateRule, type CompiledRule } from "../codegen/rule.js";
import type { RuleIndex, RuleRelation } from "../codegen/rule-relation.js";
import { printRule } from "../../lang/calm/print.js";
import type { RelationShapes } from "../plan/build-rule.js";
import { type PreparedVersion, prepareVersion } from "../plan/normalise.js";
import type { Statistics } from "../plan/statistics.js";
import type { Range, RulePlan, StratumPlan, StratumRead, VersionKind } from "../plan/ir.js";
import { planVersion } from "../plan/join-order.js";
import { rangeRows, RelationStatistics } from "./relation-statistics.js";
import { bucketBounds, sizeBucket, Version } from "./version.js";
import { constCell } from "../codegen/term.js";
import { EvaluationError, makeFunctors, type Functors, type UserFunctor } from "./functors.js";
import { userLattice } from "../lattices/user.js";
import { bindUserFunctor } from "./user-functors.js";
import { finish, mix } from "../storage/hash.js";
import { latticeIO, makeLattice, type Lattice } from "../lattices/index.js";
import { ValueTable } from "../lattices/value-table.js";
import { RecordTable } from "../storage/records.js";
import { RecordText } from "../storage/record-text.js";
import { ChoiceDomains } from "../storage/choice.js";
import { endRound, FrozenRelationError, Relation } from "../storage/relation.js";
import { MemoryBudget, MemoryLimitError } from "../storage/memory-budget.js";
import { SymbolTable } from "../storage/symbols.js";
import { Rederiver } from "./rederive.js";
import { StratumHeights } from "./heights.js";
import { HeightRetraction } from "./height-retract.js";

type RunFn = () => void;

export interface RunnerOptions {
  /** Implementations of the program's `.functor` declarations, by name (without `@`). */
  readonly functors?: Readonly<Record<string, UserFunctor>>;
  /** Worker threads for a parallel run (engine/parallel/run-async.ts; 1: evaluate on the calling thread). */
  readonly workers?: number;
  /** Delta rows below which a round stays on one thread even with workers (default: measured, see engine/parallel/policy.ts). */
  readonly parallelThreshold?: number;
  /** How long a stratum runs on one thread before the workers are considered (default: see engine/parallel/policy.ts). */
  readonly parallelAfterMs?: number;
  /** Rows a lattice relation may reach (one per update of a key's value) before GrowthLimitError; default 50 million. */
  readonly growthLimit?: number;
  /** Bytes the relations' rows and indexes and the symbols may take together before MemoryLimitError; default half the machine's memory. */
  readonly memoryLimit?: number;
  /** Collects each rule's time and output (engine/eval/profile.ts). */
  readonly profile?: RuleProfile;
  /** Chooses each version's plan (default: engine/plan/join-order.ts; tests pass others to check that any order gives the same result). */
  readonly planner?: Planner;
  /** Called before each rule version runs (a cluster node tells its relations which rule derives). */
  readonly beforeRule?: (rule: Rule) => void;
  /**
   * Another runner whose symbols, composite values and relations this one
   * evaluates over, as they are (a query over a database: engine/api/query.ts);
   * relations it lacks are made as usual.
   */
  readonly over?: ProgramRunner;
  /**
   * The numbers autoinc() gives: first, first + step, first + 2 × step, …
   * (default 0, 1, 2, …); a cluster's node k of n counts k, k + n, … so that
   * no two nodes give the same number.
   */
  readonly autoinc?: { readonly first: number; readonly step: number };
  /** Makes each relation (default: a plain Relation); a cluster node's routes what it does not own (distributed/shard-relation.ts). */
  readonly relationFactory?: (name: string, types: readonly BaseType[], lattice: Lattice | undefined) => Relation;
}

/** How a version is planned from the data: planVersion's signature. */
export type Planner = (prepared: PreparedVersion, shapes: RelationShapes, stats?: Statistics) => RulePlan;

/** A `.functor` declared in the program has no implementation. */
export class MissingFunctorError extends Error {
  constructor(readonly functor: string) {
    super(`functor @${functor} is declared but no implementation was given (pass it in the functors option)`);
    this.name = "MissingFunctorError";
  }
}

export { Version };

/** A stratum as the runner holds it: its relations, what it reads, and its rule versions. */
export interface StratumRun {
  readonly stratum: Stratum;
  readonly index: number;
  readonly relations: readonly Relation[];
  /** Rules that are facts, added when the runner is made. */
  readonly facts: readonly Rule[];
  /** Rules that read no relation of the stratum: run once. */
  readonly base: Version[];
  /** One version per (recursive rule, delta atom): run every round. */
  readonly step: Version[];
  /** Relations of earlier strata read by positive atoms of the rules. */
  readonly reads: ReadonlySet<Relation>;
  /** Relations of earlier strata read under negation or inside aggregates. */
  readonly readsNonMonotone: ReadonlySet<Relation>;
  /** For later runs: one version per (rule, positive atom), compiled on first need. */
  catchUp?: Version[];
  /** The round each row was first derived in (engine/eval/heights.ts): begin() before every round. */
  readonly heights: StratumHeights;
}

export interface RuleSource {
  readonly rule: number;
  readonly version: string;
  readonly source: string;
}

/** A version's kind as words: "base", "delta 1", "catch-up 2". */
export function versionLabel(v: VersionKind): string {
  return v.kind === "base" ? "base" : `${v.kind} ${v.k}`;
}

/** A stratum about to iterate: its base rules ran, its relations' first delta is in place. */
export interface Stage {
  readonly plan: StratumRun;
  readonly index: number;
  /** Reports a finished round (progress, threshold reads). */
  readonly report: (round: number) => void;
}

/** Where a run is, reported at the start of each stratum and after each round. */
export interface Progress {
  readonly stratum: number;
  readonly strata: number;
  readonly relations: readonly string[];
  readonly round: number;
  /** Tuples in the stratum's relations so far. */
  readonly tuples: number;
}

/** How far the runs got, for the state file: runs completed, each relation's size when the last one ended, the autoinc counter. */
export interface RunProgress {
  readonly runs: number;
  readonly counter: number;
  readonly marks: readonly (readonly [relation: string, size: number])[];
}

export class ProgramRunner {
  /** Called at the start of each stratum and after each semi-naive round. */
  onProgress?: (p: Progress) => void;
  readonly symbols: SymbolTable;
  readonly relations = new Map<string, Relation>();
  readonly fx: Functors;
  /** The autoinc() counter generated code advances (`st`): its next number, and the step to the one after. */
  private readonly state: { counter: number; readonly step: number };
  private readonly plans: StratumRun[] = [];
  /** How many runs have completed. */
  private runs = 0;
  /** Strata [0, reached) have been evaluated at least once; later runs catch them up. */
  private reached = 0;
  /** Each relation's size when the last run ended. */
  private readonly marks = new Map<Relation, number>();
  /** Called after every round of every stratum (for threshold reads and handlers). */
  onRound?: () => void;
  /** The statistics plans are chosen from: the relations as they are. */
  readonly statistics: RelationStatistics;
  /** What the planner needs to know of the relations. */
  readonly shapes: RelationShapes;

  /** Composite lattice values (sets, pairs), shared by every relation. */
  readonly values: ValueTable;

  /** Record values, shared by every relation. */
  readonly records: RecordTable;

  /** The budget every relation's arrays and every symbol are taken from. */
  readonly memory: MemoryBudget;

  /** Relations that lost given facts since the last run (engine/eval/retract.ts): what reads them is recomputed. */
  readonly retracted = new Set<Relation>();
  /** The facts each of them lost, as rows of cells: a stratum of min and max relations derives only the keys they supported again (engine/eval/rederive.ts). */
  readonly losses = new Map<Relation, number[]>();
  private rederiver: Rederiver | undefined;
  private heightRetraction: HeightRetraction | undefined;

  /** The size relation `r` had when the last run ended. */
  markOf(r: Relation): number {
    return this.marks.get(r) ?? 0;
  }

  /** `rows` rows `r` had when the last run ended went (a retraction): the rows after them are still the new ones. */
  lowerMark(r: Relation, rows: number): void {
    if (rows > 0) this.marks.set(r, this.markOf(r) - rows);
  }

  constructor(
    readonly program: CheckedProgram,
    readonly options: RunnerOptions = {},
  ) {
    const over = options.over;
    this.state = { counter: options.autoinc?.first ?? 0, step: options.autoinc?.step ?? 1 };
    this.factories = over ? over.factories : new Map();
    this.values = over ? over.values : new ValueTable();
    this.records = over ? over.records : new RecordTable();
    this.memory = over ? over.memory : new MemoryBudget(options.memoryLimit);
    const symbols = (this.symbols = over ? over.symbols : new SymbolTable());
    symbols.budget = this.memory;
    this.records.budget = this.memory;
    this.fx = makeFunctors(symbols, this.values, this.records);
    this.bindFunctors(options.functors ?? {});
    const userLattices = new Map<string, Lattice>();
    for (const l of program.lattices?.values() ?? []) userLattices.set(l.name, userLattice(l, symbols, this.fx));
    const ctx = { table: this.values, symbols, user: userLattices };
    const text = new RecordText(program.structured ?? new Map(), this.records, symbols);
    for (const info of program.relations.values()) {
      const shared = over?.relations.get(info.name);
      if (shared) {
        this.relations.set(info.name, shared);
        continue;
      }
      const last = info.columns[info.columns.length - 1];
      const lattice = last?.lattice ? makeLattice(last.lattice, ctx) : undefined;
      if (last?.lattice && !lattice) throw new Error(`internal: lattice ${last.lattice.name} has no implementation`);
      const types = info.columns.map((c) => c.type);
      const rel = options.relationFactory ? options.relationFactory(info.name, types, lattice) : new Relation(info.name, types, lattice);
      if (lattice && last?.lattice) rel.latticeIO = latticeIO(last.lattice, lattice, ctx);
      // A lattice relation's rows hold joined values: the facts given to it are kept apart, for retraction.
      if (lattice) rel.recordBase = true;
      if (info.columns.some((c) => c.structured))
        rel.structuredIO = info.columns.map((c) => (c.structured ? text.column(c.structured) : undefined));
      if (options.growthLimit !== undefined) rel.maxRows = options.growthLimit;
      rel.budget = this.memory;
      if (info.limitsize !== undefined) rel.limit = info.limitsize;
      if (info.choice) rel.choice = new ChoiceDomains(info.choice, info.columns.length);
      this.relations.set(info.name, rel);
    }
    this.statistics = new RelationStatistics((name) => this.relation(name));
    this.shapes = { arity: (r) => this.relation(r).arity, isLattice: (r) => this.relation(r).lattice !== undefined };
    program.strata.forEach((stratum, i) => this.plans.push(this.prepareStratum(stratum, i)));
  }

  /** Wraps each declared user functor's implementation to take and return cells. */
  private bindFunctors(impls: Readonly<Record<string, UserFunctor>>): void {
    for (const f of this.program.functors?.values() ?? []) {
      const impl = impls[f.name];
      if (!impl) throw new MissingFunctorError(f.name);
      this.fx.user[f.name] = bindUserFunctor(f, impl, this.symbols);
    }
  }

  relation(name: string): Relation {
    const r = this.relations.get(name);
    if (!r) throw new Error(`unknown relation ${name}`);
    return r;
  }

  /** Generates a plan's code (the text a worker thread compiles too); `arity` for relations the plan renamed. */
  generate(plan: RulePlan, arity: (relation: string) => number = (r) => this.relation(r).arity): CompiledRule {
    return generateRule(plan, {
      symbols: this.symbols,
      arity,
      describe: (p) => `rule ${p.rule.id} (${versionLabel(p.version)}): ${printRule(p.rule)}`,
    });
  }

  /**
   * Plans a version for the data as it is now (or takes the plan chosen before
   * for sizes like these), and, when that changes the plan in force, puts its
   * code in force, generated the first time its join order is used. The
   * indexes the code probes are brought up to date with every row.
   */
  private plan(v: Version): void {
    const planner = this.options.planner ?? planVersion;
    if (v.replan(this.statistics, () => planner(v.prepared, this.shapes, this.statistics))) this.useCodeOf(v);
  }

  /** Puts the code of a version's plan in force, generated the first time its join order is used. */
  private useCodeOf(v: Version): void {
    v.useCode(() => {
      const compiled = this.generate(v.plan!);
      const rels = compiled.relations.map((n) => this.relation(n));
      const idxs = compiled.indexes.map((req) => {
        const rel = this.relation(req.relation);
        return req.columns.length === rel.arity ? rel.unique : rel.index(req.columns);
      });
      return { compiled, run: this.instantiateWith(compiled.source, rels, idxs) };
    });
    for (const req of v.compiled.indexes) this.relation(req.relation).ensureIndex(req.columns);
  }

  /** Generated code of every rule version planned so far, for `--emit code`. */
  get sources(): RuleSource[] {
    const out: RuleSource[] = [];
    for (const p of this.plans) {
      for (const v of [...p.base, ...p.step, ...(p.catchUp ?? [])]) {
        if (v.plan) out.push({ rule: v.rule.id, version: versionLabel(v.prepared.request.version), source: v.compiled.source });
      }
    }
    return out;
  }

  /**
   * The code of every rule version as planned without data: what the program
   * compiles to whatever the facts (the identity of a saved state).
   */
  canonicalSources(): RuleSource[] {
    return this.plans.flatMap((p) =>
      [...p.base, ...p.step].map((v) => ({
        rule: v.rule.id,
        version: versionLabel(v.prepared.request.version),
        source: this.generate(planVersion(v.prepared, this.shapes)).source,
      })),
    );
  }

  /**
   * The plan of every stratum as data: the plans in force for the versions
   * planned so far, and for the others the plan without data (by bound columns).
   */
  stratumPlans(): StratumPlan[] {
    const plansOf = (vs: readonly Version[]) => vs.map((v) => v.plan ?? planVersion(v.prepared, this.shapes));
    return this.plans.map((p) => ({
      index: p.index,
      relations: p.stratum.relations,
      recursive: p.stratum.recursive,
      reads: [
        ...[...p.reads].map((r): StratumRead => ({ relation: r.name, mode: "monotone" })),
        ...[...p.readsNonMonotone].map((r): StratumRead => ({ relation: r.name, mode: "freeze" })),
      ],
      facts: p.facts,
      base: plansOf(p.base),
      step: plansOf(p.step),
    }));
  }

  /** Instantiates generated rule code over the given relations and indexes, with this runner's functors and autoinc counter. */
  instantiateWith(source: string, R: readonly RuleRelation[], I: readonly RuleIndex[]): RunFn {
    let factory = this.factories.get(source);
    if (!factory) {
      factory = new Function("R", "I", "fx", "st", "mix", "finish", source) as (...a: unknown[]) => RunFn;
      this.factories.set(source, factory);
    }
    return factory(R, I, this.fx, this.state, mix, finish);
  }

  /** Compiled factories of generated code, by source text, for instantiateWith() (shared with the runner this one is `over`). */
  private readonly factories: Map<string, (...a: unknown[]) => RunFn>;

  /** A fact whose arguments are all constants, inserted directly. */
  private constantFact(rule: Rule): boolean {
    if (rule.body.length > 0 || !rule.head.args.every((a) => a.kind === "const")) return false;
    const rel = this.relation(rule.head.relation);
    rule.head.args.forEach((a, c) => {
      if (a.kind === "const") rel.tmp[c] = constCell(a.type, a.value, this.symbols);
    });
    rel.addBase();
    return true;
  }

  private prepareStratum(stratum: Stratum, index: number): StratumRun {
    const inStratum = new Set(stratum.relations);
    const base: Version[] = [];
    const step: Version[] = [];
    const reads = new Set<Relation>();
    const readsNonMonotone = new Set<Relation>();
    const facts: Rule[] = [];
    for (const id of stratum.rules) {
      const rule = this.program.rules[id]!;
      this.relation(rule.head.relation).recordBase = true;
      // A read under negation, inside an aggregate (of the body or the head) or of a lattice value exactly needs the relation complete.
      visitRuleAtoms(rule, (atom, place) => {
        if (inStratum.has(atom.relation)) return;
        const monotone = !place.negated && place.aggregate === undefined && !atom.exact;
        (monotone ? reads : readsNonMonotone).add(this.relation(atom.relation));
      });
      if (this.constantFact(rule)) {
        facts.push(rule);
        continue;
      }
      const recursiveAtoms: number[] = [];
      rule.body.forEach((l, i) => {
        if (l.kind === "atom" && inStratum.has(l.relation)) recursiveAtoms.push(i);
      });
      if (!stratum.recursive || recursiveAtoms.length === 0) {
        base.push(new Version(prepareVersion({ rule, version: { kind: "base" }, derives: inStratum }), (n) => this.relation(n)));
        continue;
      }
      step.push(...this.deltaVersions(rule, recursiveAtoms, "delta", inStratum));
    }
    const relations = stratum.relations.map((n) => this.relation(n));
    return { stratum, index, relations, facts, base, step, reads, readsNonMonotone, heights: new StratumHeights(relations) };
  }

  /**
   * One version per atom of `atoms`: that atom reads the delta, earlier ones the
   * old rows, later ones all rows. Version k of a recursive rule joins in the
   * order its `.plan` gives, if any (engine/plan/join-order.ts).
   */
  private deltaVersions(rule: Rule, atoms: readonly number[], kind: "delta" | "catch-up", derives: ReadonlySet<string>): Version[] {
    return atoms.map((atom, k) => {
      const ranges = new Map<number, Range>();
      atoms.forEach((j, m) => ranges.set(j, m < k ? "old" : m === k ? "delta" : "full"));
      return new Version(prepareVersion({ rule, version: { kind, k, atom }, ranges, derives }), (n) => this.relation(n));
    });
  }

  private catchUpVersions(plan: StratumRun): Version[] {
    if (!plan.catchUp) {
      plan.catchUp = [];
      for (const id of plan.stratum.rules) {
        const rule = this.program.rules[id]!;
        const atoms: number[] = [];
        rule.body.forEach((l, i) => {
          if (l.kind === "atom") atoms.push(i);
        });
        plan.catchUp.push(...this.deltaVersions(rule, atoms, "catch-up", new Set(plan.stratum.relations)));
      }
    }
    return plan.catchUp;
  }

  /**
   * Runs every stratum to its fixpoint; a later call continues from the last
   * fixpoint. With `upTo`, only strata [0, upTo): a cluster node evaluates the
   * strata before a barrier until every node is done with them.
   */
  run(upTo = this.plans.length): void {
    for (const s of this.stages(upTo)) this.iterate(s.plan, s.report);
  }

  /** Starts each stratum of [0, upTo) that needs evaluating, in order; the caller iterates each to its fixpoint before taking the next. */
  *stages(upTo = this.plans.length): Generator<Stage, void, void> {
    for (const r of this.relations.values()) r.settle();
    // A relation that lost facts counts as rebuilt: whatever reads it is recomputed, or updated where it lost known rows.
    const rebuilt = new Set<Relation>(this.retracted);
    this.retracted.clear();
    const lost = new Map(this.losses);
    this.losses.clear();
    // Relations whose losses `lost` gives exactly: input relations (their rows are their facts), and those updated by height.
    const exact = new Set([...lost.keys()].filter((r) => !r.recordBase));
    // Where a relation updated in place now has the rows that are new since the last run.
    const moved = new Map<Relation, number>();
    const derived = new Set(this.plans.filter((p) => p.stratum.rules.length > 0).flatMap((p) => p.relations));
    // A relation no rule derives that keeps its given facts apart (a lattice input) is rebuilt from them now.
    for (const r of rebuilt) if (!derived.has(r) && r.recordBase) r.rebuild();
    const mark = (r: Relation) => moved.get(r) ?? this.marks.get(r) ?? 0;
    const grew = (r: Relation) => rebuilt.has(r) || r.size > mark(r);
    for (let i = 0; i < upTo; i++) {
      const plan = this.plans[i]!;
      if (i >= this.reached) {
        for (const r of plan.relations) if (rebuilt.has(r) && r.recordBase) r.rebuild();
        yield this.startStratum(plan, i);
        continue;
      }
      // (A stratum without rules holds input relations: their rows are their facts, never rebuilt.)
      const rebuild =
        plan.stratum.rules.length > 0 &&
        (plan.relations.some((r) => rebuilt.has(r)) ||
          [...plan.readsNonMonotone].some(grew) ||
          [...plan.reads].some((r) => rebuilt.has(r)));
      // Rows that lost their support are deleted by height and derived again where they still can be.
      const byHeight =
        rebuild && (this.heightRetraction ??= new HeightRetraction(this)).applies(plan, lost, rebuilt, exact, grew)
          ? this.heightRetraction.update(plan, lost, mark)
          : undefined;
      if (byHeight) {
        const { deleted, marks } = byHeight;
        for (const r of plan.relations) {
          rebuilt.add(r);
          moved.set(r, marks.get(r)!);
        }
        yield this.startCatchUp(plan, i, mark);
        // At the fixpoint: what each relation lost for good, for the strata that read it.
        for (const r of plan.relations) {
          r.ensureIndexed();
          const cells = deleted.get(r)!;
          const gone: number[] = [];
          for (let at = 0; at < cells.length; at += r.arity) {
            const row = cells.subarray(at, at + r.arity);
            if (r.unique.find(r.data, row) < 0) for (const c of row) gone.push(c);
          }
          lost.set(r, gone);
          exact.add(r);
        }
        continue;
      }
      if (rebuild) {
        // A frozen relation of the stratum is recomputed too, and must come out as it was.
        const frozen = plan.relations.filter((r) => r.frozen).map((r) => ({ r, was: r.snapshot() }));
        for (const { r } of frozen) r.frozen = false;
        let done = false;
        try {
          if ((this.rederiver ??= new Rederiver(this)).applies(plan, lost, rebuilt)) {
            // Only the keys the lost facts supported are derived again; what reads them is recomputed.
            const marks = this.rederiver.update(plan, lost);
            for (const r of plan.relations) rebuilt.add(r);
            yield this.startCatchUp(plan, i, (r) => marks.get(r) ?? mark(r));
          } else {
            for (const r of plan.relations) {
              r.rebuild();
              rebuilt.add(r);
            }
            yield this.startStratum(plan, i);
          }
          done = true;
        } finally {
          for (const { r } of frozen) r.frozen = true;
        }
        const changed = done ? frozen.find(({ r, was }) => !r.holdsExactly(was)) : undefined;
        if (changed) throw new FrozenRelationError(changed.r.name);
        continue;
      }
      if ([...plan.reads].some(grew) || plan.relations.some(grew)) yield this.startCatchUp(plan, i, mark);
    }
    for (const r of this.relations.values()) this.marks.set(r, r.size);
    this.reached = Math.max(this.reached, upTo);
    this.runs++;
  }

  /** Where the runs are, for saving (engine/state/runner-state.ts). */
  exportProgress(): RunProgress {
    return { runs: this.runs, counter: this.state.counter, marks: [...this.marks].map(([r, n]) => [r.name, n] as const) };
  }

  /** Continues from saved progress, the relations' saved contents already in place. */
  importProgress(p: RunProgress): void {
    this.runs = p.runs;
    this.reached = p.runs > 0 ? this.plans.length : 0;
    this.state.counter = p.counter;
    this.marks.clear();
    for (const [name, n] of p.marks) this.marks.set(this.relation(name), n);
  }

  /** Runs, on this thread, each version that has a delta to read, planning it first if it never was. */
  runRound(versions: readonly Version[]): void {
    for (const v of versions) {
      if (v.idle()) continue;
      if (!v.plan) this.plan(v);
      this.runVersion(v);
    }
  }

  /** Runs one rule version on this thread, locating an evaluation error at its rule. */
  runVersion(v: Version): void {
    try {
      this.options.beforeRule?.(v.rule);
      const profile = this.options.profile;
      if (!profile) {
        v.run();
        return;
      }
      const head = this.relation(v.rule.head.relation);
      const rows = head.size;
      const start = performance.now();
      v.run();
      profile.record(v.rule.id, versionLabel(v.prepared.request.version), performance.now() - start, head.size - rows);
    } catch (e) {
      throw this.failureOf(e, v);
    }
  }

  /** An error the code of version `v` raised, as the run reports it: located at its rule; for the memory budget, at its head relation, where the symbols it made go. */
  failureOf(e: unknown, v: Version): unknown {
    if (e instanceof EvaluationError && !e.span) return new EvaluationError(e.message, v.rule.span);
    if (e instanceof MemoryLimitError) {
      const head = this.relation(v.rule.head.relation);
      return e.of(head.name, head.size);
    }
    return e;
  }

  private reporter(plan: StratumRun, index: number): (round: number) => void {
    return (round) => {
      releaseDiscarded();
      this.onRound?.();
      this.onProgress?.({
        stratum: index,
        strata: this.plans.length,
        relations: plan.stratum.relations,
        round,
        tuples: plan.relations.reduce((n, r) => n + r.size, 0),
      });
    };
  }

  /**
   * Plans the versions not planned yet, and again those whose data changed a
   * lot since; with `lazily`, versions with an empty delta are left for the
   * round that first gives them rows (they may never run). A parallel stratum
   * leaves its relations' indexes to be built on first need
   * (Relation.appendRows): before the versions run, the relations they read
   * get the indexes they probe up to date.
   */
  private prepareVersions(versions: readonly Version[], lazily = false): void {
    for (const v of versions) {
      if (lazily && !v.plan && v.idle()) continue;
      if (v.stale(this.statistics)) this.plan(v);
      for (const req of v.compiled.indexes) this.relation(req.relation).ensureIndex(req.columns);
    }
  }

  /** Plans every version of `versions` not planned yet (the parallel executor hands their code to workers). */
  planAll(versions: readonly Version[]): void {
    for (const v of versions) if (!v.plan) this.plan(v);
  }

  private startStratum(plan: StratumRun, index: number): Stage {
    const rels = plan.relations;
    const report = this.reporter(plan, index);
    for (const r of rels) r.ensureIndexed();
    for (const r of rels) r.stableEnd = r.deltaEnd = 0;
    plan.heights.reset();
    plan.heights.begin();
    this.prepareVersions(plan.base);
    for (const v of plan.base) this.runVersion(v);
    for (const r of rels) {
      r.syncIndexes();
      r.stableEnd = 0;
      r.deltaEnd = r.size;
    }
    // The step versions are planned for the first delta they read (what the base rules derived, or later rounds').
    this.prepareVersions(plan.step, true);
    report(0);
    return { plan, index, report };
  }

  /** A later run: every rule reads the rows added since the last run, then the stratum iterates as usual. */
  private startCatchUp(plan: StratumRun, index: number, mark: (r: Relation) => number): Stage {
    const report = this.reporter(plan, index);
    for (const r of plan.relations) r.ensureIndexed();
    for (const r of [...plan.reads, ...plan.relations]) {
      r.stableEnd = mark(r);
      r.deltaEnd = r.size;
    }
    const catchUp = this.catchUpVersions(plan);
    this.prepareVersions(catchUp, true);
    plan.heights.begin();
    this.runRound(catchUp);
    for (const r of plan.reads) r.settle();
    endRound(plan.relations);
    this.prepareVersions(plan.step, true);
    report(0);
    return { plan, index, report };
  }

  /**
   * Semi-naive rounds until no relation of the stratum grows; with `ms`, gives
   * up at the end of the first round that ends after `ms` milliseconds.
   * Returns whether the fixpoint was reached.
   */
  iterate(plan: StratumRun, report: (round: number) => void, ms = Infinity): boolean {
    const rels = plan.relations;
    // A stratum with a .limitsize relation stays on this thread, which checks the limit each round.
    const limited = rels.some((r) => r.limit < Infinity);
    if (limited) ms = Infinity;
    const start = ms === Infinity ? 0 : performance.now();
    const watch = new SizeWatch(rels);
    if (plan.step.length > 0) {
      for (let round = 1; rels.some((r) => r.deltaEnd > r.stableEnd); round++) {
        if (limited && rels.some((r) => r.live >= r.limit)) break;
        if (ms !== Infinity && performance.now() - start >= ms) return false;
        plan.heights.begin();
        this.runRound(plan.step);
        endRound(rels);
        // Between rounds, a version whose ranges changed a lot since it was planned is planned again.
        if (watch.moved()) for (const v of plan.step) if (v.stale(this.statistics)) this.plan(v);
        report(round);
      }
    }
    for (const r of rels) r.settle();
    return true;
  }
}

/**
 * The size buckets of a stratum's relations (all rows, the delta, the old
 * rows): within a stratum only its own relations change, so no version can
 * need re-planning in a round after which none of these moved, and a long
 * chain of small rounds costs one comparison per relation, not one per read
 * of every version.
 */
class SizeWatch {
  /** For each relation, three quantities (all rows, delta, old rows), each with the rows its bucket spans: [low, high). */
  private readonly low: Float64Array;
  private readonly high: Float64Array;

  constructor(private readonly rels: readonly Relation[]) {
    this.low = new Float64Array(rels.length * 3);
    this.high = new Float64Array(rels.length * 3);
    this.moved();
  }

  /** Whether some quantity left its bucket since the last call (or construction); two comparisons each. */
  moved(): boolean {
    let changed = false;
    for (let i = 0; i < this.rels.length; i++) {
      const r = this.rels[i]!;
      changed = this.check(3 * i, r, "full") || changed;
      changed = this.check(3 * i + 1, r, "delta") || changed;
      changed = this.check(3 * i + 2, r, "old") || changed;
    }
    return changed;
  }

  private check(at: number, r: Relation, range: Range): boolean {
    const rows = rangeRows(r, range);
    if (rows >= this.low[at]! && rows < this.high[at]!) return false;
    [this.low[at], this.high[at]] = bucketBounds(sizeBucket(rows, range), range);
    return true;
  }
}
