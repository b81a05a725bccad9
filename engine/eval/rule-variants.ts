// Variants of a program's rules over temporary relations besides the
// runner's, run with the rules' own compiled code: a rule with one body atom
// reading given rows instead of its relation (the heads it derives through
// them), a rule behind an atom over the keys to derive again, a rule that
// checks candidates. A variant is planned and compiled on its first run, for
// the rows then, and kept: its temporary relations are emptied and filled
// again for each run. Retraction's keyed updates use them
// (engine/eval/rederive.ts, engine/eval/height-retract.ts).

import type { CheckedProgram, MAtom, Rule } from "../../lang/model.js";
import type { CompiledRule } from "../codegen/rule.js";
import type { RuleIndex, RuleRelation } from "../codegen/rule-relation.js";
import type { RelationShapes } from "../plan/build-rule.js";
import type { RulePlan } from "../plan/ir.js";
import { planVersion } from "../plan/join-order.js";
import { prepareVersion } from "../plan/normalise.js";
import { Relation } from "../storage/relation.js";
import { RelationStatistics } from "./relation-statistics.js";

/** What this needs of the runner (engine/eval/program-runner.ts). */
export interface VariantHost {
  readonly program: CheckedProgram;
  relation(name: string): Relation;
  generate(plan: RulePlan, arity: (relation: string) => number): CompiledRule;
  instantiateWith(source: string, R: readonly RuleRelation[], I: readonly RuleIndex[]): () => void;
}

/** A rule run over temporary relations besides the runner's: its code, made on first run. */
export interface Variant {
  readonly rule: Rule;
  readonly temps: ReadonlyMap<string, Relation>;
  run: (() => void) | undefined;
}

/** Empties `rel` and adds the rows of `cells` (its arity each), then settles it for reading. */
export function fillWith(rel: Relation, cells: ArrayLike<number>, count = cells.length / Math.max(1, rel.arity)): void {
  rel.rebuild();
  const a = rel.arity;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < a; c++) rel.tmp[c] = cells[i * a + c]!;
    rel.add();
  }
  rel.settle();
}

export class RuleVariants {
  private readonly cache = new Map<string, Variant>();

  constructor(private readonly host: VariantHost) {}

  /** The variant named `key`, made by `make` the first time. */
  variant(key: string, make: () => { rule: Rule; temps: Map<string, Relation> }): Variant {
    let c = this.cache.get(key);
    if (!c) {
      const { rule, temps } = make();
      c = { rule, temps, run: undefined };
      this.cache.set(key, c);
    }
    return c;
  }

  /**
   * The heads `rule` derives with body atom `k` reading `count` rows of
   * `cells` (its relation's arity each) instead of its relation; the other
   * atoms read their relations' rows below their deltaEnd.
   */
  candidates(rule: Rule, k: number, cells: ArrayLike<number>, count?: number): Relation {
    const atom = rule.body[k] as MAtom;
    const c = this.variant(`${rule.id}:${k}`, () => ({
      rule: {
        ...rule,
        head: { ...rule.head, relation: "$found" },
        body: rule.body.map((l, i) => (i === k ? { ...atom, relation: "$seed" } : l)),
      },
      temps: new Map([
        ["$seed", new Relation("$seed", this.host.relation(atom.relation).types)],
        // Under the head's lattice, if it has one: of a key's candidates only the largest can attain the value the key holds.
        ["$found", new Relation("$found", this.host.relation(rule.head.relation).types, this.host.relation(rule.head.relation).lattice)],
      ]),
    }));
    const found = c.temps.get("$found")!;
    fillWith(c.temps.get("$seed")!, cells, count);
    found.rebuild();
    this.run(c);
    found.settle();
    return found;
  }

  /** Runs a variant: every atom reads its relation's rows below its deltaEnd, and its head takes what it derives. */
  run(c: Variant): void {
    this.compile(c);
    c.run!();
  }

  /** Plans and compiles a variant that never ran, for the relations' rows as they are now. */
  compile(c: Variant): void {
    const lookup = (name: string): Relation => c.temps.get(name) ?? this.host.relation(name);
    if (!c.run) {
      const shapes: RelationShapes = { arity: (name) => lookup(name).arity, isLattice: (name) => lookup(name).lattice !== undefined };
      const plan = planVersion(
        prepareVersion({ rule: c.rule, version: { kind: "base" }, derives: new Set([c.rule.head.relation]) }),
        shapes,
        new RelationStatistics(lookup),
      );
      const code = this.host.generate(plan, (name) => lookup(name).arity);
      const rels = code.relations.map(lookup);
      const idxs = code.indexes.map((req) => {
        const r = lookup(req.relation);
        return req.columns.length === r.arity ? r.unique : r.index(req.columns);
      });
      const run = this.host.instantiateWith(code.source, rels, idxs);
      c.run = () => {
        for (const req of code.indexes) lookup(req.relation).ensureIndex(req.columns);
        run();
      };
    }
  }
}
