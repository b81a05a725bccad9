// Evaluates a checked program: one Relation per declared relation, every rule
// compiled to specialised code (one version per delta atom in recursive
// strata), strata run in order, each recursive stratum semi-naively to its
// fixpoint.

import type { CheckedProgram, Rule, Stratum } from "../lang/model.js";
import { compileRule, type CompiledRule, type Range } from "./codegen-rule.js";
import { constCell } from "./codegen-term.js";
import { EvaluationError, makeFunctors, type Functors } from "./functors.js";
import { finish, mix } from "./hash.js";
import type { HashIndex } from "./hash-index.js";
import { builtinLattice } from "./lattices/index.js";
import { Relation } from "./relation.js";
import { SymbolTable } from "./symbols.js";

type RunFn = () => void;

/** A compiled rule version and the rule it came from, for locating run-time errors. */
interface Version {
  readonly run: RunFn;
  readonly rule: Rule;
}

interface StratumPlan {
  readonly stratum: Stratum;
  /** Rules that read no relation of the stratum: run once. */
  readonly base: Version[];
  /** One version per (recursive rule, delta atom): run every round. */
  readonly step: Version[];
}

export interface RuleSource {
  readonly rule: number;
  readonly version: string;
  readonly source: string;
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

export class ProgramRunner {
  /** Called at the start of each stratum and after each semi-naive round. */
  onProgress?: (p: Progress) => void;
  readonly symbols: SymbolTable;
  readonly relations = new Map<string, Relation>();
  readonly fx: Functors;
  private readonly state = { counter: 0 };
  private readonly plans: StratumPlan[] = [];
  /** Generated code of every rule version, for `--emit code`. */
  readonly sources: RuleSource[] = [];

  constructor(
    readonly program: CheckedProgram,
    symbols: SymbolTable = new SymbolTable(),
  ) {
    this.symbols = symbols;
    this.fx = makeFunctors(symbols);
    for (const info of program.relations.values()) {
      const last = info.columns[info.columns.length - 1];
      const lattice = last?.lattice ? builtinLattice(last.lattice) : undefined;
      if (last?.lattice && !lattice) throw new Error(`internal: lattice ${last.lattice.name} has no implementation`);
      this.relations.set(info.name, new Relation(info.name, info.columns.map((c) => c.type), lattice));
    }
    for (const stratum of program.strata) this.plans.push(this.planStratum(stratum));
  }

  relation(name: string): Relation {
    const r = this.relations.get(name);
    if (!r) throw new Error(`unknown relation ${name}`);
    return r;
  }

  private instantiate(c: CompiledRule): RunFn {
    const rels = c.relations.map((n) => this.relation(n));
    const idxs: HashIndex[] = c.indexes.map((req) => {
      const rel = this.relation(req.relation);
      return req.columns.length === rel.arity ? rel.unique : rel.index(req.columns);
    });
    const factory = new Function("R", "I", "fx", "st", "mix", "finish", c.source) as (...a: unknown[]) => RunFn;
    return factory(rels, idxs, this.fx, this.state, mix, finish);
  }

  private compile(rule: Rule, version: string, ranges?: Map<number, Range>, deltaAtom?: number): Version {
    const compiled = compileRule(rule, {
      symbols: this.symbols,
      ranges,
      deltaAtom,
      arity: (r) => this.relation(r).arity,
      isLattice: (r) => this.relation(r).lattice !== undefined,
    });
    this.sources.push({ rule: rule.id, version, source: compiled.source });
    return { run: this.instantiate(compiled), rule };
  }

  /** A fact whose arguments are all constants, inserted directly. */
  private constantFact(rule: Rule): boolean {
    if (rule.body.length > 0 || !rule.head.args.every((a) => a.kind === "const")) return false;
    const rel = this.relation(rule.head.relation);
    rule.head.args.forEach((a, c) => {
      if (a.kind === "const") rel.tmp[c] = constCell(a.type, a.value, this.symbols);
    });
    rel.add();
    return true;
  }

  private planStratum(stratum: Stratum): StratumPlan {
    const inStratum = new Set(stratum.relations);
    const base: Version[] = [];
    const step: Version[] = [];
    for (const id of stratum.rules) {
      const rule = this.program.rules[id]!;
      if (this.constantFact(rule)) continue;
      const recursiveAtoms: number[] = [];
      rule.body.forEach((l, i) => {
        if (l.kind === "atom" && inStratum.has(l.relation)) recursiveAtoms.push(i);
      });
      if (!stratum.recursive || recursiveAtoms.length === 0) {
        base.push(this.compile(rule, "base"));
        continue;
      }
      recursiveAtoms.forEach((d, k) => {
        const ranges = new Map<number, Range>();
        recursiveAtoms.forEach((j, m) => ranges.set(j, m < k ? "old" : m === k ? "delta" : "full"));
        step.push(this.compile(rule, `delta ${k}`, ranges, d));
      });
    }
    return { stratum, base, step };
  }

  /** Runs every stratum to its fixpoint. */
  run(): void {
    for (const r of this.relations.values()) r.settle();
    this.plans.forEach((plan, i) => this.runStratum(plan, i));
  }

  private runVersion(v: Version): void {
    try {
      v.run();
    } catch (e) {
      if (e instanceof EvaluationError && !e.span) throw new EvaluationError(e.message, v.rule.span);
      throw e;
    }
  }

  private runStratum(plan: StratumPlan, index: number): void {
    const rels = plan.stratum.relations.map((n) => this.relation(n));
    const report = (round: number) =>
      this.onProgress?.({
        stratum: index,
        strata: this.plans.length,
        relations: plan.stratum.relations,
        round,
        tuples: rels.reduce((n, r) => n + r.size, 0),
      });
    report(0);
    for (const r of rels) r.stableEnd = r.deltaEnd = 0;
    for (const v of plan.base) this.runVersion(v);
    for (const r of rels) r.syncIndexes();
    if (plan.step.length > 0) {
      for (const r of rels) {
        r.stableEnd = 0;
        r.deltaEnd = r.size;
      }
      for (let round = 1; ; round++) {
        for (const v of plan.step) this.runVersion(v);
        report(round);
        let changed = false;
        for (const r of rels) {
          r.syncIndexes();
          r.stableEnd = r.deltaEnd;
          r.deltaEnd = r.size;
          if (r.deltaEnd > r.stableEnd) changed = true;
        }
        if (!changed) break;
      }
    }
    for (const r of rels) r.settle();
  }
}
