// The correctness oracle: a naive Datalog evaluator. Strata run in order; each
// re-runs all its rules over the full relations until nothing changes (no
// deltas), and rule bodies are solved by plain backtracking over every tuple.

import type { BaseType, CheckedProgram, MAtom, MLiteral, MTerm, Rule } from "../../lang/model.js";
import { checkStrata } from "./strata.js";
import { literalArgs, operands, RuleVars } from "./vars.js";
import { rangeOf } from "./range.js";
import {
  arith,
  compare,
  functor,
  inDomain,
  keyOf,
  normalize,
  OracleError,
  reinterpret,
  sameCell,
  test,
  unary,
  type Value,
} from "./values.js";

export type { Value } from "./values.js";

type Env = ReadonlyMap<string, Value>;
type Aggregate = MTerm & { kind: "aggregate" };

/** The aggregates with witnesses in a literal's terms. */
function witnessAggregates(lit: MLiteral): Aggregate[] {
  const out: Aggregate[] = [];
  const walk = (t: MTerm): void => {
    if (t.kind !== "aggregate") operands(t).forEach(walk);
    else if (t.witnesses && t.witnesses.length > 0) out.push(t);
  };
  literalArgs(lit).forEach(walk);
  return out;
}

/** Whether a count, sum or mean counts the distinct values of its body's named variables (see `aggregate`). */
function overNamedVariables(agg: Aggregate): boolean {
  if (agg.fn === "min" || agg.fn === "max") return false;
  const atoms = agg.body.filter((l) => l.kind === "atom");
  if (atoms.length > 1) return true;
  let nested = false;
  const names: string[] = [];
  const term = (t: MTerm, inAtom: boolean): void => {
    if (t.kind === "aggregate") nested = true;
    else if (t.kind === "var") {
      if (inAtom) names.push(t.name);
    } else for (const s of operands(t)) term(s, inAtom);
  };
  const literal = (l: MLiteral): void => {
    for (const a of literalArgs(l)) term(a, l.kind === "atom");
  };
  agg.body.forEach(literal);
  if (agg.target) term(agg.target, false);
  return nested || new Set(names).size < names.length;
}

/** Thrown when evaluation takes more backtracking steps than allowed. */
export class OracleBudgetError extends OracleError {}

interface Budget {
  steps: number;
}

/** A relation: its tuples, and their JSON keys for set semantics. */
interface Rel {
  readonly keys: Set<string>;
  readonly tuples: Value[][];
}

function insert(rel: Rel, tuple: Value[]): boolean {
  const key = keyOf(tuple);
  if (rel.keys.has(key)) return false;
  rel.keys.add(key);
  rel.tuples.push(tuple);
  return true;
}

/** Evaluates `program` over `facts` and returns every relation's tuples. */
export function evaluateNaive(
  program: CheckedProgram,
  facts: Readonly<Record<string, readonly (readonly Value[])[]>>,
  /** At most this many backtracking steps in all (then OracleBudgetError). */
  maxSteps = Infinity,
): Record<string, Value[][]> {
  const budget: Budget = { steps: maxSteps };
  checkStrata(program);
  for (const rel of program.relations.values()) {
    if (rel.columns.some((c) => c.lattice)) throw new OracleError(`${rel.name} has a lattice column, which the oracle does not model`);
  }
  const rels = new Map<string, Rel>();
  for (const name of program.relations.keys()) rels.set(name, { keys: new Set(), tuples: [] });
  for (const [name, tuples] of Object.entries(facts)) {
    const info = program.relations.get(name);
    if (!info) throw new OracleError(`facts for undeclared relation ${name}`);
    for (const t of tuples)
      insert(
        rels.get(name)!,
        t.map((v, i) => normalize(info.columns[i]!.type, v)),
      );
  }
  for (const stratum of program.strata) {
    for (;;) {
      // Derive everything from the relations as they stand, then add it all.
      const derived: [Rel, Value[]][] = [];
      for (const id of stratum.rules) {
        const rule = program.rules[id]!;
        const target = rels.get(rule.head.relation)!;
        const types = program.relations.get(rule.head.relation)!.columns.map((c) => c.type);
        for (const t of new RuleSolver(rule, rels, types, budget).heads()) derived.push([target, t]);
      }
      let changed = false;
      for (const [rel, t] of derived) if (insert(rel, t)) changed = true;
      if (!changed) break;
    }
  }
  const out: Record<string, Value[][]> = {};
  for (const [name, rel] of rels) out[name] = rel.tuples;
  return out;
}

/** Whether every rule of `program` can be grounded (a static check used when shrinking). */
export function groundable(program: CheckedProgram): boolean {
  return program.rules.every((r) => new RuleSolver(r, new Map(), []).groundable());
}

/** Solves one rule's body by backtracking and evaluates its head. */
class RuleSolver {
  private readonly vars: RuleVars;

  constructor(
    readonly rule: Rule,
    private readonly rels: ReadonlyMap<string, Rel>,
    /** The head relation's column types. */
    private readonly headTypes: readonly BaseType[],
    private readonly budget: Budget = { steps: Infinity },
  ) {
    this.vars = new RuleVars(rule);
  }

  /** The head tuples the body supports (with repeats). */
  heads(): Value[][] {
    const out: Value[][] = [];
    this.solve(this.rule.body, new Map(), (env) => {
      const t = this.rule.head.args.map((a) => this.eval(a, env));
      if (t.some((v) => v === undefined)) return; // e.g. min over nothing
      t.forEach((v, i) => {
        const type = this.headTypes[i]!;
        if (!inDomain(type, v!)) throw new OracleError(`rule ${this.rule.id}: head value ${String(v)} is not a ${type}`);
      });
      out.push(t as Value[]);
    });
    return out;
  }

  /** Whether some order of the body binds every variable that it and the head need. */
  groundable(): boolean {
    const env = new Map<string, Value>();
    const todo = this.rule.body.map((_, i) => i);
    while (todo.length > 0) {
      const i = todo.findIndex((j) => this.ready(this.rule.body[j]!, env));
      if (i < 0) return false;
      const lit = this.rule.body[todo[i]!]!;
      if (lit.kind === "atom") for (const a of lit.args) if (a.kind === "var") env.set(a.name, 0);
      if (lit.kind === "compare") {
        const binder = this.binder(lit, env);
        if (binder) env.set(binder.name, 0);
      }
      for (const a of witnessAggregates(lit)) for (const w of a.witnesses ?? []) env.set(w, 0);
      todo.splice(i, 1);
    }
    return this.rule.head.args.every((a) => this.vars.ready(a, env));
  }

  /** Calls `emit` with every extension of `env` that satisfies all of `body`. */
  solve(body: readonly MLiteral[], env: Env, emit: (env: Env) => void): void {
    this.step(
      body,
      body.map((_, i) => i),
      env,
      emit,
    );
  }

  private step(body: readonly MLiteral[], todo: number[], env: Env, emit: (env: Env) => void): void {
    if (--this.budget.steps < 0) throw new OracleBudgetError("the oracle's step budget ran out");
    if (todo.length === 0) return emit(env);
    // Any literal may come next: prefer a ready filter or binding, then a ready atom.
    const ready = (i: number) => this.ready(body[i]!, env);
    const next = todo.find((i) => body[i]!.kind !== "atom" && ready(i)) ?? todo.find(ready);
    if (next === undefined) throw new OracleError(`rule ${this.rule.id}: no literal of the body can be grounded`);
    const rest = todo.filter((i) => i !== next);
    const lit = body[next]!;
    const witnessing = witnessAggregates(lit);
    if (witnessing.length > 0) return this.withWitnesses(witnessing, env, (e) => this.take(lit, next, body, rest, e, emit));
    this.take(lit, next, body, rest, env, emit);
  }

  /**
   * Extends `env` with each combination of witness values of the aggregates: the values the witnesses
   * have in a binding of the body whose target equals the aggregate's value (agreeing with `env`).
   */
  private withWitnesses(aggs: readonly Aggregate[], env: Env, k: (env: Env) => void): void {
    const [agg, ...more] = aggs;
    if (!agg) return k(env);
    const value = this.aggregate(agg, env);
    if (value === undefined) return;
    const inner = new Map<string, Value>();
    for (const v of this.vars.shared(agg)) inner.set(v, env.get(v)!);
    const names = agg.witnesses ?? [];
    const seen = new Set<string>();
    this.solve(agg.body, inner, (e) => {
      const t = this.eval(agg.target!, e);
      if (t === undefined || !compare("=", t, value)) return;
      const values = names.map((n) => e.get(n)!);
      if (names.some((n, i) => env.has(n) && !sameCell(env.get(n)!, values[i]!))) return;
      const key = keyOf(values);
      if (seen.has(key)) return;
      seen.add(key);
      const out = new Map(env);
      names.forEach((n, i) => out.set(n, values[i]!));
      this.withWitnesses(more, out, k);
    });
  }

  /** Continues with literal `lit` (body index `index`) under `env`. */
  private take(lit: MLiteral, index: number, body: readonly MLiteral[], rest: number[], env: Env, emit: (env: Env) => void): void {
    const next = index;
    switch (lit.kind) {
      case "atom":
        for (const t of this.rels.get(lit.relation)!.tuples) {
          const bound = this.match(lit, t, env, `#${next}.`);
          if (bound) this.step(body, rest, bound, emit);
        }
        return;
      case "negation": {
        const found = this.rels.get(lit.atom.relation)!.tuples.some((t) => this.match(lit.atom, t, env, "#") !== undefined);
        if (!found) this.step(body, rest, env, emit);
        return;
      }
      case "test": {
        const args = lit.args.map((a) => this.eval(a, env));
        if (args.some((v) => v === undefined)) return;
        if (test(lit.name, args as Value[]) !== lit.negated) this.step(body, rest, env, emit);
        return;
      }
      case "compare": {
        if (lit.right.kind === "call" && lit.right.name === "range") {
          const args = lit.right.args.map((a) => this.eval(a, env));
          if (args.some((v) => v === undefined)) return;
          const left = lit.left;
          for (const value of rangeOf(lit.right.type, args as number[])) {
            if (left.kind === "var" && !env.has(left.name)) this.step(body, rest, new Map(env).set(left.name, value), emit);
            else {
              const l = this.eval(left, env);
              if (l !== undefined && compare("=", l, value)) this.step(body, rest, env, emit);
            }
          }
          return;
        }
        const binder = this.binder(lit, env);
        if (binder) {
          const v = this.eval(binder.value, env);
          if (v !== undefined) this.step(body, rest, new Map(env).set(binder.name, v), emit);
          return;
        }
        const l = this.eval(lit.left, env);
        const r = this.eval(lit.right, env);
        if (l !== undefined && r !== undefined && compare(lit.op, l, r)) this.step(body, rest, env, emit);
        return;
      }
    }
  }

  /** For `x = t` (or `t = x`) with x unbound and t evaluable: the variable and the term. */
  private binder(lit: MLiteral & { kind: "compare" }, env: Env): { name: string; value: MTerm } | undefined {
    if (lit.op !== "=") return undefined;
    for (const [a, b] of [
      [lit.left, lit.right],
      [lit.right, lit.left],
    ] as const) {
      if (a.kind === "var" && !env.has(a.name) && this.vars.ready(b, env)) return { name: a.name, value: b };
    }
    return undefined;
  }

  private ready(lit: MLiteral, env: Env): boolean {
    switch (lit.kind) {
      case "atom": {
        // Plain variables are bound by the scan; every other argument must be evaluable.
        const plain = new Set(lit.args.flatMap((a) => (a.kind === "var" ? [a.name] : [])));
        return lit.args.every((a) => a.kind === "var" || this.vars.ready(a, env, plain));
      }
      case "negation":
        return lit.atom.args.every((a) => this.vars.ready(a, env));
      case "test":
        return lit.args.every((a) => this.vars.ready(a, env));
      case "compare":
        return this.binder(lit, env) !== undefined || (this.vars.ready(lit.left, env) && this.vars.ready(lit.right, env));
    }
  }

  /**
   * `env` extended so that `atom` matches tuple `t`, or undefined. Wildcards are
   * recorded under `${tag}${column}` so aggregates count bindings that differ only there.
   */
  private match(atom: MAtom, t: readonly Value[], env: Env, tag: string): Env | undefined {
    // Check the plain variables before copying anything: most tuples do not match.
    let fresh: [string, Value][] | undefined;
    for (let i = 0; i < atom.args.length; i++) {
      const a = atom.args[i]!;
      if (a.kind !== "var") continue;
      const have = env.get(a.name) ?? fresh?.find(([n]) => n === a.name)?.[1];
      if (have === undefined) (fresh ??= []).push([a.name, t[i]!]);
      else if (!sameCell(have, t[i]!)) return undefined;
    }
    const out = new Map(env);
    for (const [n, value] of fresh ?? []) out.set(n, value);
    for (let i = 0; i < atom.args.length; i++) {
      const a = atom.args[i]!;
      if (a.kind === "wildcard") out.set(`${tag}${i}`, t[i]!);
      else if (a.kind !== "var") {
        const value = this.eval(a, out);
        if (value === undefined || !sameCell(value, t[i]!)) return undefined;
      }
    }
    return out;
  }

  /** The value of `term` under `env`; undefined when an aggregate has no result. */
  eval(term: MTerm, env: Env): Value | undefined {
    switch (term.kind) {
      case "const":
        return term.value;
      case "var": {
        const v = env.get(term.name);
        if (v === undefined) throw new OracleError(`rule ${this.rule.id}: ${term.name} is unbound`);
        return v;
      }
      case "wildcard":
        throw new OracleError(`rule ${this.rule.id}: a wildcard cannot be evaluated`);
      case "binary": {
        const l = this.eval(term.left, env);
        const r = this.eval(term.right, env);
        return l === undefined || r === undefined ? undefined : arith(term.op, term.type, l, r);
      }
      case "unary": {
        const v = this.eval(term.operand, env);
        return v === undefined ? undefined : unary(term.op, term.type, v);
      }
      case "cast": {
        const v = this.eval(term.term, env);
        return v === undefined ? undefined : reinterpret(term.term.type, term.type, v);
      }
      case "call": {
        const args = term.args.map((a) => this.eval(a, env));
        if (args.some((v) => v === undefined)) return undefined;
        return functor(
          term.name,
          term.type,
          args as Value[],
          term.args.map((a) => a.type),
        );
      }
      case "aggregate":
        return this.aggregate(term, env);
    }
  }

  /**
   * An aggregate over the distinct bindings of its body, the shared variables fixed by `env`. A binding
   * is the body's variables and the values under its wildcards (one per matching tuple), except for a
   * count, sum or mean over several atoms, a nested aggregate or an atom repeating a variable: Soufflé
   * turns that body into a relation of its named variables, so there a binding is its named variables.
   */
  private aggregate(agg: Aggregate, env: Env): Value | undefined {
    const inner = new Map<string, Value>();
    for (const v of this.vars.shared(agg)) {
      if (!env.has(v)) throw new OracleError(`rule ${this.rule.id}: ${v} is unbound at an aggregate`);
      inner.set(v, env.get(v)!);
    }
    const named = overNamedVariables(agg);
    const seen = new Set<string>();
    const values: Value[] = [];
    this.solve(agg.body, inner, (e) => {
      const sorted = [...e].filter(([k]) => !named || !k.startsWith("#")).sort(([a], [b]) => (a < b ? -1 : 1));
      const key = JSON.stringify(sorted.map(([k]) => k)) + keyOf(sorted.map(([, value]) => value));
      if (seen.has(key)) return;
      seen.add(key);
      if (agg.target) {
        const v = this.eval(agg.target, e);
        if (v !== undefined) values.push(v);
      } else values.push(0);
    });
    const t = agg.target?.type ?? "number";
    switch (agg.fn) {
      case "count":
        return values.length;
      case "sum":
        return values.reduce((acc, v) => arith("+", agg.type, acc, v), 0);
      case "min":
        return values.length === 0 ? undefined : values.reduce((a, b) => (b < a ? b : a));
      case "max":
        return values.length === 0 ? undefined : values.reduce((a, b) => (b > a ? b : a));
      case "mean": {
        if (values.length === 0) return undefined;
        if (t === "symbol") throw new OracleError("mean of symbols");
        const total = (values as number[]).reduce((a, b) => a + b, 0);
        return Math.fround(total / values.length);
      }
    }
  }
}
