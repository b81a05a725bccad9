// Helpers for the tests of changes between runs (handlers, retraction): random
// programs with lattice columns beside the property generator's, random
// sequences of inserts and retractions over their facts, and the difference
// between two relation contents as a handler must report it.

import { expect } from "vitest";
import type { Program, Tuple } from "../index.js";
import { compile } from "../index.js";
import { checkedOf, generate } from "./oracle/gen-program.js";
import { Rng } from "./oracle/gen-terms.js";
import { printProgram } from "./oracle/print.js";
import { keyOf } from "./oracle/values.js";

/** A program with the facts its inputs may receive. */
export interface ChangeCase {
  readonly program: Program;
  readonly text: string;
  /** The relations given facts, each with its pool of facts. */
  readonly facts: Record<string, Tuple[]>;
}

/** Programs with lattice columns (the property generator has none): recursion through min and max, with negation, aggregates and thresholds above. */
const LATTICE_PROGRAMS = [
  `.decl edge(x: number, y: number, w: number)
.decl start(x: number)
.decl dist(x: number, d: min<number>)
dist(x, 0) :- start(x).
dist(y, d + w) :- dist(x, d), edge(x, y, w).
.decl near(x: number)
near(x) :- dist(x, d), d <= 4.
.decl node(x: number)
node(x) :- edge(x, _, _).
node(y) :- edge(_, y, _).
.decl unreached(x: number)
unreached(x) :- node(x), !dist(x, _).
.decl reached(n: number)
reached(n) :- n = count : { dist(_, _) }.
.decl exact(x: number, d: number)
exact(x, d) :- dist(x, d), d < 100.`,
  `.decl edge(x: number, y: number, w: number)
.decl start(x: number)
.decl wide(x: number, c: max<number>)
wide(x, 1000) :- start(x).
wide(y, min(c, w)) :- wide(x, c), edge(x, y, w).
.decl good(x: number)
good(x) :- wide(x, c), c >= 3.
.decl best(m: number)
best(m) :- m = max c : { wide(_, c) }.`,
  `.decl edge(x: number, y: number, w: number)
.decl start(x: number)
.decl seen(x: number, b: or)
seen(x, 1) :- start(x).
seen(y, b) :- seen(x, b), edge(x, y, _).
.decl hops(x: number, n: max<number>)
hops(x, 0) :- start(x).
hops(y, min(n + 1, 6)) :- hops(x, n), edge(x, y, _).
.decl pathless(x: number)
pathless(x) :- edge(x, _, _), !seen(x, _).`,
];

/** A random lattice program with random weighted edges over six nodes. */
function latticeCase(seed: number): ChangeCase {
  const rng = new Rng(seed);
  const text = LATTICE_PROGRAMS[seed % LATTICE_PROGRAMS.length]!;
  const edge = Array.from({ length: rng.int(4, 14) }, () => [rng.int(0, 5), rng.int(0, 5), rng.int(1, 5)]);
  return { program: compile(text), text, facts: { edge, start: [[0], [rng.int(1, 5)]] } };
}

/**
 * Programs with an eqrel relation (the property generator has none): given
 * pairs and pairs derived from other relations, read through negation and an
 * aggregate, and an eqrel in a recursive stratum with the relation it feeds.
 */
const EQREL_PROGRAMS = [
  `.decl link(x: number, y: number)
.decl same(x: number, y: number) eqrel
same(x, y) :- link(x, y), x != 7.
.decl node(x: number)
node(x) :- link(x, _).
node(y) :- link(_, y).
.decl apart(x: number)
apart(x) :- node(x), !same(x, 0).
.decl size(x: number, n: number)
size(x, n) :- same(x, _), n = count : { same(x, _) }.
.decl classes(n: number)
classes(n) :- n = count : { same(x, _), !smaller(x) }.
.decl smaller(x: number)
smaller(x) :- same(x, y), y < x.`,
  `.decl link(x: number, y: number)
.decl same(x: number, y: number) eqrel
.decl reach(x: number, y: number)
reach(x, y) :- link(x, y).
reach(x, z) :- reach(x, y), same(y, w), link(w, z).
same(x, y) :- reach(x, y), reach(y, x).
.decl cyclic(x: number)
cyclic(x) :- same(x, y), x != y.`,
  `.decl link(x: symbol, y: symbol)
.decl same(x: symbol, y: symbol) eqrel
same(y, x) :- link(x, y).
.decl mate(x: symbol, y: symbol)
mate(x, y) :- same(x, y), link(y, _), x != y.
.decl alone(x: symbol)
alone(x) :- link(x, _), !mate(x, _).`,
];

/** A random program with an eqrel relation, given pairs of its own as well as links. */
export function eqrelCase(seed: number): ChangeCase {
  const rng = new Rng(seed);
  const k = seed % EQREL_PROGRAMS.length;
  const text = EQREL_PROGRAMS[k]!;
  const value = (): number | string => (k === 2 ? `s${rng.int(0, 7)}` : rng.int(0, 7));
  const pairs = (n: number) => Array.from({ length: n }, () => [value(), value()]);
  return { program: compile(text), text, facts: { link: pairs(rng.int(3, 10)), same: pairs(rng.int(1, 5)) } };
}

/** A random program (the property generator's, or one with lattice columns) and its facts. */
export function changeCase(seed: number): ChangeCase {
  if (seed % 4 === 0) return latticeCase(seed >>> 2);
  const c = generate(seed);
  const text = printProgram(checkedOf(c), true);
  return { program: compile(text), text, facts: c.facts as Record<string, Tuple[]> };
}

/** One step of a sequence: facts inserted into or retracted from a relation, then a run. */
export interface Step {
  readonly op: "insert" | "retract";
  readonly relation: string;
  readonly tuples: Tuple[];
}

/**
 * A random sequence of steps over the case's facts: each relation's facts in
 * random batches, with retractions (when `retract`) of facts inserted before,
 * and now and then of facts never inserted.
 */
export function steps(c: ChangeCase, seed: number, retract: boolean): Step[] {
  const rng = new Rng(seed);
  const out: Step[] = [];
  const given = new Map<string, Tuple[]>();
  const pending = Object.entries(c.facts).map(([relation, tuples]) => ({ relation, rest: [...tuples] }));
  for (let n = rng.int(2, 6); n > 0; n--) {
    for (const p of pending) {
      if (p.rest.length === 0 || !rng.chance(0.7)) continue;
      const k = rng.int(1, p.rest.length);
      const batch = p.rest.splice(0, k);
      out.push({ op: "insert", relation: p.relation, tuples: batch });
      given.set(p.relation, [...(given.get(p.relation) ?? []), ...batch]);
    }
    if (!retract) continue;
    for (const [relation, tuples] of given) {
      if (tuples.length === 0 || !rng.chance(0.6)) continue;
      const gone: Tuple[] = [];
      for (let k = rng.int(1, Math.min(3, tuples.length)); k > 0; k--) gone.push(tuples[rng.int(0, tuples.length - 1)]!);
      out.push({ op: "retract", relation, tuples: gone });
      // Put some back later: a retracted fact inserted again.
      if (rng.chance(0.3)) pending.push({ relation, rest: [gone[0]!] });
    }
  }
  for (const p of pending) if (p.rest.length > 0) out.push({ op: "insert", relation: p.relation, tuples: p.rest });
  return out;
}

/** The facts given to each relation after `done`: inserted and not retracted since (retraction removes every copy). */
export function remaining(done: readonly Step[]): Record<string, Tuple[]> {
  const facts = new Map<string, Map<string, Tuple>>();
  for (const s of done) {
    const set = facts.get(s.relation) ?? new Map<string, Tuple>();
    facts.set(s.relation, set);
    for (const t of s.tuples) {
      if (s.op === "insert") set.set(keyOf(t), t);
      else set.delete(keyOf(t));
    }
  }
  return Object.fromEntries([...facts].map(([r, set]) => [r, [...set.values()]]));
}

/** A relation's tuples as a sorted list of keys. */
export const keys = (ts: readonly Tuple[]): string[] => ts.map(keyOf).sort();

/**
 * The changes from `before` to `after` as a handler reports them, sorted:
 * removed facts, then added ones; for a lattice relation (`lattice`), a key
 * whose value changed only as added, with its new value.
 */
export function changes(before: readonly Tuple[], after: readonly Tuple[], lattice: boolean): string[] {
  const keyOfRow = (t: Tuple) => keyOf(lattice ? t.slice(0, -1) : t);
  const afterKeys = new Set(after.map(keyOfRow));
  const beforeTuples = new Set(before.map(keyOf));
  return [
    ...before.filter((t) => !afterKeys.has(keyOfRow(t))).map((t) => `removed ${keyOf(t)}`),
    ...after.filter((t) => !beforeTuples.has(keyOf(t))).map((t) => `added ${keyOf(t)}`),
  ].sort();
}

/** Whether a relation of the program has a lattice column. */
export function isLattice(p: Program, relation: string): boolean {
  return p.checked.relations.get(relation)!.columns.some((col) => col.lattice !== undefined);
}

/**
 * Runs `seq` step by step with a handler on every relation (one registered
 * before anything, one after the first run) and checks, after each run, that
 * each handler received exactly the difference since the last run.
 */
export function checkHandlers(c: ChangeCase, seq: readonly Step[]): void {
  const db = c.program.database();
  const names = [...c.program.checked.relations.keys()];
  const events = new Map<string, string[]>(names.map((n) => [n, []]));
  const late = new Map<string, string[]>(names.map((n) => [n, []]));
  const record = (into: Map<string, string[]>, n: string) => (t: Tuple, kind: string) => into.get(n)!.push(`${kind} ${keyOf(t)}`);
  const before = new Map<string, Tuple[]>(names.map((n) => [n, db.tuples(n)]));
  for (const n of names) {
    db.on(n, record(events, n));
    // Registered before any run: the contents so far (a program's constant facts), each as added.
    expect(events.get(n)!.sort()).toEqual(
      before
        .get(n)!
        .map((t) => `added ${keyOf(t)}`)
        .sort(),
    );
    events.set(n, []);
  }
  seq.forEach((s, i) => {
    if (s.op === "insert") db.insert(s.relation, s.tuples);
    else db.retract(s.relation, s.tuples);
    db.runSync();
    for (const n of names) {
      const after = db.tuples(n);
      const expected = changes(before.get(n)!, after, isLattice(c.program, n));
      expect(events.get(n)!.sort(), `${n} after step ${i}\n${c.text}`).toEqual(expected);
      events.set(n, []);
      if (i > 0) {
        expect(late.get(n)!.sort(), `late handler of ${n} after step ${i}`).toEqual(expected);
        late.set(n, []);
      }
      before.set(n, after);
    }
    if (i === 0) {
      for (const n of names) {
        db.on(n, record(late, n));
        // A handler registered now first receives the contents, each as added.
        expect(late.get(n)!.sort()).toEqual(
          before
            .get(n)!
            .map((t) => `added ${keyOf(t)}`)
            .sort(),
        );
        late.set(n, []);
      }
    }
  });
}
