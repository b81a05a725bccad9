// Explanations: why a fact holds (a proof tree down to given facts) and why
// one does not (each rule that could derive it, and the first body literal it
// fails on). Nothing is kept for this during a normal run: an explanation
// runs the program again, from scratch over the same given facts, on one
// thread, noting after each round of each stratum how many rows each of its
// relations held. A row derived in round k of its stratum was derived from
// rows of that stratum present after round k - 1 (and of earlier strata), so
// a proof found by reading only those rows never loops and needs no search
// back. A rule instance is found by the rule's own compiled code: the rule
// with an atom over a one-row relation holding the goal put first, and a
// head that collects what each body atom matched.

import type { MAtom, MLiteral, MTerm, Rule } from "../../lang/model.js";
import { literalTerms, literalVars, termVars } from "../../lang/model-terms.js";
import { displayName, printAtom, printLiteral, printRule, printTerm } from "../../lang/calm/print.js";
import { planVersion } from "../plan/join-order.js";
import { prepareVersion } from "../plan/normalise.js";
import type { RelationShapes } from "../plan/build-rule.js";
import { Relation } from "../storage/relation.js";
import { decodeRow } from "../storage/decode-row.js";
import { decode, type Value } from "../storage/values.js";
import type { BaseType } from "../../lang/model.js";
import { ProgramRunner } from "./program-runner.js";
import { constCell } from "../codegen/term.js";

/** Where a rule is written, and its text. */
export interface RuleRef {
  readonly id: number;
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** A proof of a fact, cells decoded by the caller's reader. */
export interface Proof {
  readonly relation: string;
  readonly tuple: Value[];
  /** "given": an input fact; "rule": derived, with the rule and what it joined; "cut": not expanded (the depth limit). */
  readonly kind: "given" | "rule" | "cut";
  readonly rule?: RuleRef;
  /** The facts the rule's positive atoms matched, each with its own proof. */
  readonly premises?: readonly Proof[];
  /** The rule's negated atoms as they were checked absent, and its other conditions, as text with the values bound. */
  readonly conditions?: readonly string[];
  /**
   * The body in the order written: each literal a premise (the next of
   * `premises`), or the next of `conditions`: a negation, an equality that
   * binds a variable no atom binds, or another condition.
   */
  readonly order?: readonly ("premise" | "negation" | "binding" | "condition")[];
  /** A lattice value that is the join of several derivations' values: this is one of them. */
  readonly partial?: boolean;
}

/** Why a fact is not derived. */
export interface WhyNot {
  readonly kind: "absent";
  readonly relation: string;
  readonly tuple: Value[];
  /** For a lattice key that holds another value: the tuple held. */
  readonly held?: Value[];
  /** Whether the fact is a given one that the rules cannot add to (no rule derives the relation). */
  readonly rules: readonly {
    readonly rule: RuleRef;
    /** The values the fact gives the head's variables. */
    readonly bindings: Readonly<Record<string, Value>>;
    /** The first body literal (as written) no instance gets past, and where it is; absent when the rule derives the key (a lattice relation). */
    readonly failsAt?: string;
    readonly line?: number;
    readonly column?: number;
  }[];
}

/** One rule's instance finder: its code over the goal and witness relations. */
interface Finder {
  readonly goal: Relation;
  readonly witness: Relation;
  readonly run: () => void;
  /** For each positive atom of the body (in order): its relation and where its cells start in a witness row. */
  readonly atoms: readonly { readonly relation: string; readonly at: number; readonly atom: MAtom }[];
  /** Negated atoms and other conditions, with where their bound terms start. */
  readonly conditions: readonly { readonly literal: MLiteral; readonly at: number; readonly terms: readonly MTerm[] }[];
}

/** What each body literal of a rule stands for in a proof step. */
function orderOf(rule: Rule): ("premise" | "negation" | "binding" | "condition")[] {
  const fromAtoms = new Set<string>();
  for (const l of rule.body) if (l.kind === "atom") for (const a of l.args) termVars(a, fromAtoms);
  const binds = (t: MTerm) => t.kind === "var" && !fromAtoms.has(t.name);
  return rule.body.map((l) => {
    if (l.kind === "atom") return "premise";
    if (l.kind === "negation") return "negation";
    return l.kind === "compare" && l.op === "=" && (binds(l.left) || binds(l.right)) ? "binding" : "condition";
  });
}

const GOAL = "$goal";
const WITNESS = "$witness";

export class Explainer {
  /** For each relation of a recursive stratum: its size after each round of the run (round 0: the base rules). */
  private readonly rounds = new Map<Relation, number[]>();
  private readonly stratumOf = new Map<string, number>();
  private readonly given = new Map<Relation, Set<string>>();
  /** The program's own facts (rules without a body whose head is constant), by relation and cells. */
  private readonly facts = new Map<string, Rule>();
  private readonly finders = new Map<string, Finder | null>();

  /**
   * Runs `source`'s program from scratch over `source`'s given facts in a
   * runner of its own, noting the rounds.
   */
  constructor(source: ProgramRunner) {
    const o = source.options;
    const runner = new ProgramRunner(source.program, { functors: o.functors, growthLimit: o.growthLimit, memoryLimit: o.memoryLimit });
    this.runner = runner;
    this.seen = { symbols: source.symbols.size, values: source.values.size, records: source.records.size };
    if (!runner.symbols.restore(source.symbols.all())) throw new Error("internal: symbols differ between runners of one program");
    for (let id = runner.values.size; id < source.values.size; id++) runner.values.intern(source.values.get(id));
    // Records keep their ids: the given facts hold them, and so may the tuple to explain.
    if (!runner.records.restore(source.records.dump())) throw new Error("internal: records differ between runners of one program");
    for (const [name, from] of source.relations) {
      const to = runner.relation(name);
      const { rows, count } = from.recordBase ? from.exportBase() : { rows: from.data, count: from.size };
      const set = new Set<string>();
      for (let i = 0; i < count; i++) {
        const cells = rows.subarray(i * from.arity, (i + 1) * from.arity);
        if (!from.recordBase && !from.isLive(i)) continue;
        to.tmp.set(cells);
        to.addBase();
        set.add(cells.join(","));
      }
      this.given.set(to, set);
    }
    for (const rule of runner.program.rules) {
      if (rule.body.length > 0 || !rule.head.args.every((a) => a.kind === "const")) continue;
      const cells = rule.head.args.map((a) => (a.kind === "const" ? constCell(a.type, a.value, runner.symbols) : 0));
      this.facts.set(`${rule.head.relation}(${cells.join(",")})`, rule);
    }
    runner.program.strata.forEach((s, i) => {
      for (const r of s.relations) this.stratumOf.set(r, i);
    });
    runner.onProgress = (p) => {
      for (const name of p.relations) {
        const rel = runner.relation(name);
        const list = this.rounds.get(rel) ?? [];
        if (p.round === 0) list.length = 0;
        list.push(rel.size);
        this.rounds.set(rel, list);
      }
    };
    runner.run();
    runner.onProgress = undefined;
  }

  private readonly runner: ProgramRunner;
  /** How many symbols, composite values and records the source had when this run copied them. */
  private readonly seen: { readonly symbols: number; readonly values: number; readonly records: number };

  /** Whether `source` has made symbols, composite values or records since this run copied them (a tuple to explain may name them): it must be made again. */
  stale(source: ProgramRunner): boolean {
    return (
      source.symbols.size !== this.seen.symbols || source.values.size !== this.seen.values || source.records.size !== this.seen.records
    );
  }

  /** The rule's place and text. */
  ruleRef(rule: Rule): RuleRef {
    return { id: rule.id, file: rule.span.file, line: rule.span.start.line, text: printRule(rule) };
  }

  /** The row of `relation` holding `cells` (for a lattice relation: the key's current row), or -1. */
  private rowOf(rel: Relation, cells: Int32Array): number {
    if (rel.arity === 0) return rel.size > 0 ? 0 : -1;
    const key = rel.lattice ? cells.subarray(0, rel.arity - 1) : cells;
    return rel.unique.find(rel.data, key);
  }

  /** The round of the run that derived row `row` of `rel` (0 for a relation outside a recursive stratum). */
  private roundOf(rel: Relation, row: number): number {
    const list = this.rounds.get(rel) ?? [];
    for (let k = 0; k < list.length; k++) if (row < list[k]!) return k;
    return list.length;
  }

  /** Why `cells` holds in `relation`: a proof `depth` rule steps deep at most (Infinity: complete); undefined when it does not hold. */
  explain(relation: string, cells: Int32Array, depth = Infinity): Proof | undefined {
    const rel = this.runner.relation(relation);
    const row = this.rowOf(rel, cells);
    if (row < 0) return undefined;
    if (rel.lattice && rel.data[row * rel.arity + rel.arity - 1] !== cells[rel.arity - 1]) return undefined;
    return this.prove(rel, row, depth, new Set());
  }

  private prove(rel: Relation, row: number, depth: number, branch: Set<string>): Proof {
    const cells = rel.data.slice(row * rel.arity, (row + 1) * rel.arity);
    const tuple = this.decode(rel, cells);
    const id = `${rel.name}(${cells.join(",")})`;
    const own = this.facts.get(id);
    if (own) return { relation: rel.name, tuple, kind: "rule", rule: this.ruleRef(own), premises: [], conditions: [], order: [] };
    if (this.given.get(rel)?.has(cells.join(","))) return { relation: rel.name, tuple, kind: "given" };
    if (depth <= 0) return { relation: rel.name, tuple, kind: "cut" };
    const round = this.roundOf(rel, row);
    /** The proof step of `rule`'s instance `found`, its premises proved in turn. */
    const step = (rule: Rule, found: NonNullable<ReturnType<Explainer["instance"]>>, partial: boolean): Proof => ({
      relation: rel.name,
      tuple,
      kind: "rule",
      rule: this.ruleRef(rule),
      premises: found.premises.map(([r, at]) => this.prove(r, at, depth - 1, branch)),
      conditions: found.conditions,
      order: orderOf(rule),
      ...(partial ? { partial: true } : {}),
    });
    branch.add(id);
    try {
      // Rows of earlier rounds first; a lattice value may need any row of its stratum (a key's row moves when its value grows).
      for (const bounded of [true, false]) {
        for (const rule of this.rulesOf(rel.name)) {
          const found = this.instance(rule, cells, bounded ? round : undefined, branch);
          if (found) return step(rule, found, false);
        }
      }
      // A lattice value no one derivation gives (the join of several, as in a set): one derivation of a part of it.
      if (rel.lattice) {
        for (const rule of this.rulesOf(rel.name)) {
          const probe = { ...rule, head: { ...rule.head, args: rule.head.args.slice(0, -1) } };
          const found = this.instance(probe, cells, undefined, branch);
          if (found) return step(rule, found, true);
        }
      }
    } finally {
      branch.delete(id);
    }
    throw new Error(`internal: no rule instance derives ${id}`);
  }

  private rulesOf(relation: string): Rule[] {
    return this.runner.program.rules.filter((r) => r.head.relation === relation);
  }

  /**
   * An instance of `rule` deriving `cells`: the rows its positive atoms
   * matched, and its conditions with values. With `round`, rows of the head's
   * stratum are read only up to the end of the round before it.
   */
  private instance(
    rule: Rule,
    cells: Int32Array,
    round: number | undefined,
    branch: ReadonlySet<string>,
  ): { premises: [Relation, number][]; conditions: string[] } | undefined {
    const f = this.finder(rule, rule.body.length);
    if (!f) return undefined;
    const rows = this.witnesses(f, rule, cells.subarray(0, rule.head.args.length), round);
    for (let w = 0; w < rows.size; w++) {
      const premises: [Relation, number][] = [];
      let ok = true;
      for (const a of f.atoms) {
        const r = this.runner.relation(a.relation);
        const at = this.rowOf(r, rows.data.subarray(w * rows.arity + a.at, w * rows.arity + a.at + r.arity));
        if (at < 0 || branch.has(`${r.name}(${r.data.slice(at * r.arity, (at + 1) * r.arity).join(",")})`)) ok = false;
        premises.push([r, at]);
      }
      if (ok) return { premises, conditions: f.conditions.map((c) => this.condition(c, rows, w)) };
    }
    return undefined;
  }

  /** A condition of a rule instance as text, its terms replaced by their values (an aggregate as written). */
  private condition(c: Finder["conditions"][number], rows: Relation, w: number): string {
    const text = new Map<MTerm, string>(c.terms.map((t, i) => [t, this.cellText(t.type, rows.data[w * rows.arity + c.at + i]!)]));
    const show = (t: MTerm) => text.get(t) ?? (t.kind === "wildcard" ? "_" : printTerm(t));
    const l = c.literal;
    switch (l.kind) {
      case "negation":
        return `!${l.atom.relation}(${l.atom.args.map(show).join(", ")})`;
      case "compare":
        return `${show(l.left)} ${l.op} ${show(l.right)}`;
      case "test":
        return `${l.negated ? "!" : ""}${l.name}(${l.args.map(show).join(", ")})`;
      default:
        return printLiteral(l);
    }
  }

  private cellText(type: BaseType, cell: number): string {
    const v = decode(type, cell, this.runner.symbols);
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  }

  /** A row's cells as the API shows them. */
  decode(rel: Relation, cells: Int32Array): Value[] {
    return decodeRow(rel, this.runner.symbols, cells, 0);
  }

  /** Runs a finder for `cells` (the head's columns); returns the witness relation. */
  private witnesses(f: Finder, rule: Rule, cells: Int32Array, round: number | undefined): Relation {
    const goal = f.goal;
    goal.rebuild();
    goal.tmp.set(cells.subarray(0, goal.arity));
    goal.add();
    goal.settle();
    f.witness.rebuild();
    const s = this.stratumOf.get(rule.head.relation);
    const same = round === undefined ? [] : this.runner.program.strata[s!]!.relations.map((n) => this.runner.relation(n));
    for (const r of same) r.deltaEnd = round! > 0 ? (this.rounds.get(r)?.[round! - 1] ?? r.size) : 0;
    try {
      f.run();
    } finally {
      for (const r of same) r.deltaEnd = r.size;
    }
    return f.witness;
  }

  /**
   * The instance finder of `rule` restricted to its first `upTo` body literals
   * (the literals among them that are not yet bound are left out), built on
   * first need; null when the rule cannot be checked so (a head with no
   * columns to bind the goal through is fine: the goal atom is then empty).
   */
  private finder(rule: Rule, upTo: number, keep?: readonly MLiteral[]): Finder | null {
    const key = `${rule.id}:${rule.head.args.length}:${upTo}:${keep ? keep.length : "all"}`;
    const known = this.finders.get(key);
    if (known !== undefined) return known;
    const body = keep ?? rule.body.slice(0, upTo);
    let fresh = 0;
    const wild = (t: MTerm): MTerm => (t.kind === "wildcard" ? { kind: "var", name: `_#w${fresh++}`, type: t.type, span: t.span } : t);
    const lits: MLiteral[] = body.map((l) => (l.kind === "atom" ? { ...l, args: l.args.map(wild) } : l));
    const out: MTerm[] = [];
    const atoms: { relation: string; at: number; atom: MAtom }[] = [];
    const conditions: { literal: MLiteral; at: number; terms: MTerm[] }[] = [];
    for (const l of lits) {
      if (l.kind === "atom") {
        atoms.push({ relation: l.relation, at: out.length, atom: l });
        out.push(...l.args);
      } else if (l.kind === "negation") {
        const terms = l.atom.args.filter((a) => a.kind !== "wildcard");
        conditions.push({ literal: l, at: out.length, terms });
        out.push(...terms);
      } else {
        const terms = literalTerms(l).filter((t) => t.kind !== "aggregate");
        conditions.push({ literal: l, at: out.length, terms });
        out.push(...terms);
      }
    }
    const head = rule.head;
    const goal = new Relation(
      GOAL,
      head.args.map((a) => a.type),
    );
    const witness = new Relation(
      WITNESS,
      out.map((t) => t.type),
    );
    const goalAtom: MAtom = { kind: "atom", relation: GOAL, args: head.args, span: head.span };
    const find: Rule = {
      id: rule.id,
      head: { kind: "atom", relation: WITNESS, args: out, span: head.span },
      body: [goalAtom, ...lits],
      span: rule.span,
    };
    const lookup = (n: string) => (n === GOAL ? goal : n === WITNESS ? witness : this.runner.relation(n));
    const shapes: RelationShapes = { arity: (n) => lookup(n).arity, isLattice: (n) => lookup(n).lattice !== undefined };
    let made: Finder | null;
    try {
      const plan = planVersion(prepareVersion({ rule: find, version: { kind: "base" }, derives: new Set([WITNESS]) }), shapes);
      const compiled = this.runner.generate(plan, (n) => lookup(n).arity);
      const rels = compiled.relations.map(lookup);
      const idxs = compiled.indexes.map((req) => {
        const r = lookup(req.relation);
        return req.columns.length === r.arity ? r.unique : r.index(req.columns);
      });
      for (const req of compiled.indexes) lookup(req.relation).ensureIndex(req.columns);
      made = { goal, witness, run: this.runner.instantiateWith(compiled.source, rels, idxs), atoms, conditions };
    } catch {
      made = null;
    }
    this.finders.set(key, made);
    return made;
  }

  /**
   * Why `cells` does not hold in `relation`: for each rule deriving it, the
   * first body literal no instance gets past (none: the rule derives it, which
   * for a lattice relation means a value the key's value is above).
   */
  whyNot(relation: string, cells: Int32Array): WhyNot | undefined {
    const rel = this.runner.relation(relation);
    const row = this.rowOf(rel, cells);
    const tuple = this.decode(rel, cells);
    if (row >= 0 && !rel.lattice) return undefined;
    let held: Value[] | undefined;
    if (row >= 0) {
      if (rel.data[row * rel.arity + rel.arity - 1] === cells[rel.arity - 1]) return undefined;
      held = this.decode(rel, rel.data.slice(row * rel.arity, (row + 1) * rel.arity));
    }
    const rules = this.rulesOf(relation).map((rule) => {
      const failing = this.firstFailure(rule, cells, rel.lattice !== undefined);
      const bindings: Record<string, Value> = {};
      rule.head.args.forEach((a, i) => {
        if (a.kind === "var" && !(rel.lattice && i === rel.arity - 1)) bindings[displayName(a.name)] = tuple[i]!;
      });
      return { rule: this.ruleRef(rule), bindings, ...failing };
    });
    return { kind: "absent", relation, tuple, ...(held === undefined ? {} : { held }), rules };
  }

  /** The first literal of `rule`'s body (in the order written) after which no instance matches the goal. */
  private firstFailure(rule: Rule, cells: Int32Array, lattice: boolean): { failsAt?: string; line?: number; column?: number } {
    const goalVars = new Set<string>();
    rule.head.args.forEach((a, i) => {
      if (a.kind === "var" && !(lattice && i === rule.head.args.length - 1)) goalVars.add(a.name);
    });
    const bound = new Set(goalVars);
    const kept: MLiteral[] = [];
    let deferred: MLiteral[] = [];
    const ready = (l: MLiteral): boolean => {
      if (l.kind === "atom") return true;
      if (l.kind === "compare" && l.op === "=") {
        const [a, b] = [l.left, l.right];
        const sideBound = (t: MTerm) => t.kind === "aggregate" || [...termVars(t)].every((v) => bound.has(v));
        if (a.kind === "var" && !bound.has(a.name) && sideBound(b)) return true;
        if (b.kind === "var" && !bound.has(b.name) && sideBound(a)) return true;
      }
      return [...literalVars(l)].every((v) => bound.has(v) || v.startsWith("_"));
    };
    const bind = (l: MLiteral) => {
      if (l.kind === "atom") for (const a of l.args) termVars(a, bound);
      else if (l.kind === "compare" && l.op === "=") {
        if (l.left.kind === "var") bound.add(l.left.name);
        if (l.right.kind === "var") bound.add(l.right.name);
      }
    };
    // The goal's value column of a lattice relation is left free: any value the rules give is looked at.
    const goalCells = lattice ? cells.subarray(0, cells.length - 1) : cells;
    const probe = lattice ? { ...rule, head: { ...rule.head, args: rule.head.args.slice(0, -1) } } : rule;
    const add = (l: MLiteral): { failsAt?: string; line?: number; column?: number } | undefined => {
      kept.push(l);
      bind(l);
      const f = this.finder(probe, -1, [...kept]);
      if (!f) return undefined;
      if (this.witnesses(f, probe, goalCells, undefined).size > 0) return undefined;
      const text = l.kind === "atom" ? printAtom(l) : printLiteral(l);
      const span = l.kind === "atom" ? l.span : l.span;
      return { failsAt: text, line: span.start.line, column: span.start.col };
    };
    for (const l of rule.body) {
      const order = [l, ...deferred];
      deferred = [];
      for (const m of order) {
        if (!ready(m)) {
          deferred.push(m);
          continue;
        }
        const failed = add(m);
        if (failed) return failed;
      }
    }
    return {};
  }
}
