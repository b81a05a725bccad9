// The join planner (engine/plan/): the cost model's estimates against hand-
// worked figures, sampled distinct counts, the order chosen for a skewed join
// whatever order its atoms are written in, re-planning as a relation grows,
// and — with the planner replaced by one that picks random orders — the same
// results as the naive oracle on random programs.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CheckedProgram, compile } from "../index.js";
import { Database } from "../engine/database.js";
import { sampleDistinct } from "../engine/eval/relation-statistics.js";
import type { Planner } from "../engine/eval/program-runner.js";
import { Version } from "../engine/eval/version.js";
import { readsOf } from "../engine/plan/reads.js";
import { layOut } from "../engine/plan/build-rule.js";
import { type AtomItem, prepareVersion } from "../engine/plan/normalise.js";
import { fixedOrder } from "../engine/plan/orders.js";
import { pipelineCost } from "../engine/plan/cost.js";
import { planVersion } from "../engine/plan/join-order.js";
import type { Range, RulePlan } from "../engine/plan/ir.js";
import type { Statistics } from "../engine/plan/statistics.js";
import { Relation } from "../engine/storage/relation.js";
import { differences } from "./oracle/compare.js";
import { checkedOf, generate } from "./oracle/gen-program.js";
import { evaluateNaive, OracleBudgetError } from "./oracle/naive.js";
import { printProgram } from "./oracle/print.js";

/** Statistics given by hand: rows per relation (`name#delta` for a delta range) and distinct counts per column set. */
function fakeStats(rows: Record<string, number>, distinct: Record<string, number> = {}, indexed: string[] = []): Statistics {
  return {
    rows: (r: string, range: Range) => rows[range === "full" ? r : `${r}#${range}`] ?? 0,
    distinct: (r: string, cols: readonly number[]) => distinct[`${r}/${cols.join(",")}`] ?? rows[r] ?? 0,
    indexed: (r: string, cols: readonly number[]) => indexed.includes(`${r}/${cols.join(",")}`),
  };
}

/** The relations a plan reads, in order, each with the columns it probes by ([] for a scan) and its range. */
const readSequence = (p: RulePlan) =>
  readsOf(p.ops).map((r) => `${r.relation}[${r.index.join(",")}]${r.range === "full" ? "" : ` ${r.range}`}`);

/** The plans a database ran with (base and step versions of every stratum). */
const plansOf = (db: Database) => db.runner.stratumPlans().flatMap((s) => [...s.base, ...s.step]);

const SKEWED_DECLS = `
.decl reach(c: number, t: number)
.decl op(c: number, x: number)
.decl store(x: number, t: number, l: number)
.decl callee(c: number, l: number)
.output callee
`;

/** reach and store share their t column, always 0; op ties each call to one variable. */
function skewedFacts(n: number) {
  return {
    reach: Array.from({ length: n }, (_, c) => [c, 0]),
    op: Array.from({ length: n }, (_, c) => [c, n + c]),
    store: Array.from({ length: n }, (_, i) => [n + i, 0, 7 * i]),
  };
}

const permutations = <T>(xs: readonly T[]): T[][] =>
  xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

describe("the cost model", () => {
  const program = compile(`${SKEWED_DECLS}callee(c, l) :- store(x, t, l), reach(c, t), op(c, x).`);
  // The order as written: store, then reach probed by t, the skewed column, then op by both its columns.
  const prepared = prepareVersion({ rule: program.checked.rules[0]!, version: { kind: "base" } });
  const written = [0, 1, 2].map((i) => prepared.atoms.get(i)!);
  const plan = layOut(prepared, { arity: (r) => (r === "store" ? 3 : 2), isLattice: () => false }, fixedOrder(written), "plan");

  it("charges a probe on a column with one distinct value with the whole relation, per binding", () => {
    expect(readSequence(plan)).toEqual(["store[]", "reach[1]", "op[0,1]"]);
    const stats = fakeStats({ store: 1000, reach: 1000, op: 1000 }, { "reach/1": 1, "store/1": 1 }, ["reach/1", "op/0,1"]);
    const cost = pipelineCost(plan.ops, stats);
    const [, reach, op] = readsOf(plan.ops);
    // t is 0 in every row of store and of reach: 1000 bindings each walk all 1000 rows of reach.
    expect(cost.estimates.get(reach!)).toEqual({ rows: 1000, inputs: 1000, perInput: 1000 });
    // 10^6 bindings probe op by (c, x): op has 1000 keys, the bindings up to 10^6 (c from reach, x from store).
    expect(cost.estimates.get(op!)).toEqual({ rows: 1000, inputs: 1_000_000, perInput: 1000 / 1_000_000 });
    // A scanned row costs 1, a lookup 4, each further row of a chain 3: scan store, 1000 probes of reach walking
    // 999 more rows each, 10^6 probes of op finding no more than one row, 1000 inserts.
    expect(cost.total).toBeCloseTo(1000 + 1000 * (4 + 999 * 3) + 1_000_000 * 4 + 1000, 3);
  });

  it("charges an index the plan lacks once, shared by the runs of a version unless its relation is still growing", () => {
    const rows = { store: 1000, reach: 1000, op: 1000 };
    const built = pipelineCost(plan.ops, fakeStats(rows, { "reach/1": 1, "store/1": 1 }, ["reach/1", "op/0,1"])).total;
    const stats = fakeStats(rows, { "reach/1": 1, "store/1": 1 });
    // reach(1) and op(0, 1): 1000 rows each, two units a row.
    expect(pipelineCost(plan.ops, stats).total - built).toBeCloseTo(4000, 6);
    expect(pipelineCost(plan.ops, stats, 8).total - built).toBeCloseTo(500, 6);
    // An index on a relation being derived is paid in full, and again for the rows still to come.
    expect(pipelineCost(plan.ops, stats, 8, (r) => r === "reach").total - built).toBeCloseTo(4000 + 250, 6);
  });

  it("counts no more distinct keys in a delta than it has rows", () => {
    const checked = compile(
      ".decl e(x: number, y: number)\n.decl p(x: number, y: number)\np(x, y) :- e(x, y).\np(x, z) :- e(x, y), p(y, z).",
    ).checked;
    const rule = checked.rules[1]!;
    const prepared = prepareVersion({ rule, version: { kind: "delta", k: 0, atom: 1 }, ranges: new Map([[1, "delta" as const]]) });
    const shapes = { arity: () => 2, isLattice: () => false };
    // e first, then the delta of p probed by y.
    const laid = layOut(prepared, shapes, fixedOrder([prepared.atoms.get(0)!]), "plan");
    expect(readSequence(laid)).toEqual(["e[]", "p[0] delta"]);
    const delta = readsOf(laid.ops)[1]!;
    const stats = fakeStats({ e: 10_000, p: 1_000_000, "p#delta": 10 }, { "p/0": 100_000 });
    // 10 rows hold at most 10 keys: 10,000 bindings find 10 / 10,000 rows each, not 10 / 100,000.
    expect(pipelineCost(laid.ops, stats).estimates.get(delta)!.perInput).toBeCloseTo(10 / 10_000, 9);
  });
});

describe("distinct counts from a sample", () => {
  const relation = (rows: number[][]) => {
    const r = new Relation("r", ["number", "number"]);
    for (const row of rows) {
      r.tmp[0] = row[0]!;
      r.tmp[1] = row[1]!;
      r.add();
    }
    return r;
  };

  it("are exact for a relation no bigger than the sample", () => {
    const r = relation(Array.from({ length: 1000 }, (_, i) => [i % 37, i]));
    expect(sampleDistinct(r, [0])).toBe(37);
    expect(sampleDistinct(r, [1])).toBe(1000);
    expect(sampleDistinct(r, [0, 1])).toBe(1000);
  });

  it("stay near the truth for a large relation, skewed or not", () => {
    const n = 200_000;
    const r = relation(Array.from({ length: n }, (_, i) => [i % 3 === 0 ? 0 : i % 500, i]));
    expect(sampleDistinct(r, [0])).toBeLessThanOrEqual(500);
    expect(sampleDistinct(r, [0])).toBeGreaterThanOrEqual(400);
    // Every value distinct: the estimate scales up to the relation's size.
    expect(sampleDistinct(r, [1])).toBeGreaterThan(n / 4);
    expect(sampleDistinct(r, [1])).toBeLessThanOrEqual(n);
    const zeros = relation(Array.from({ length: n }, (_, i) => [0, i]));
    expect(sampleDistinct(zeros, [0])).toBe(1);
  });
});

describe("a skewed join", () => {
  const atoms = ["store(x, t, l)", "reach(c, t)", "op(c, x)"];
  const facts = skewedFacts(3000);
  const orders = permutations(atoms);
  const expected = new Set(facts.op.map(([c, x]) => JSON.stringify([c, 7 * (x! - 3000)])));

  it("is never read through its skewed column, in any of the 6 orders the atoms can be written in", () => {
    const sequences = new Set<string>();
    for (const order of orders) {
      const program = compile(`${SKEWED_DECLS}callee(c, l) :- ${order.join(", ")}.`);
      const db = program.database();
      for (const [rel, rows] of Object.entries(facts)) db.insert(rel, rows);
      db.runSync();
      expect(new Set(db.tuples("callee").map((t) => JSON.stringify(t)))).toEqual(expected);
      const [plan] = plansOf(db);
      const sequence = readSequence(plan!);
      // Probing reach by t alone, or store by t alone, walks every row for every binding.
      expect(sequence, order.join(", ")).not.toContain("reach[1]");
      expect(sequence, order.join(", ")).not.toContain("store[1]");
      sequences.add(sequence.join(" "));
    }
    // The plan depends on the data, not on the order written.
    expect(sequences.size).toBe(1);
  });

  it("in a recursive stratum, keeps away from the skewed column as the delta grows", () => {
    // callee and store feed each other: each call reached gives its variable's successor the closure.
    const src = `${SKEWED_DECLS}
      .decl next(c: number, y: number)
      callee(c, l) :- reach(c, t), op(c, x), store(x, t, l).
      store(y, 0, l) :- callee(c, l), next(c, y).`;
    const n = 3000;
    const facts = skewedFacts(n);
    const db = compile(src).database();
    db.insert("reach", facts.reach);
    db.insert("op", facts.op);
    // Ten closures at the first variable; every call passes them to two variables further on.
    db.insert(
      "store",
      Array.from({ length: 10 }, (_, l) => [n, 0, l]),
    );
    db.insert(
      "next",
      Array.from({ length: n }, (_, c) => [c, n + Math.min(n - 1, 2 * c + 1)]).concat(
        Array.from({ length: n }, (_, c) => [c, n + Math.min(n - 1, 2 * c + 2)]),
      ),
    );
    db.runSync();
    expect(db.size("callee")).toBe(n * 10);
    const versions = plansOf(db).filter((p) => p.rule.head.relation === "callee");
    expect(versions).toHaveLength(1);
    expect(readSequence(versions[0]!)).not.toContain("reach[1]");
    expect(readSequence(versions[0]!)[0]).toBe("store[] delta");
  });
});

describe("re-planning", () => {
  const program = compile(
    ".decl e(x: number, y: number)\n.decl p(x: number, y: number)\np(x, y) :- e(x, y).\np(x, z) :- p(x, y), e(y, z).",
  );
  const rule = program.checked.rules[1]!;
  const version = () =>
    new Version(
      prepareVersion({ rule, version: { kind: "delta", k: 0, atom: 0 }, ranges: new Map([[0, "delta" as const]]) }),
      // The delta is never empty here: an empty one would make the version idle, and never stale.
      () => ({ stableEnd: 0, deltaEnd: 1 }),
    );
  const shapes = { arity: () => 2, isLattice: () => false };

  it("plans again when a range moves to another size bucket, and reuses the plan chosen for a bucket seen before", () => {
    const v = version();
    let chosen = 0;
    const choose = (stats: Statistics) => () => {
      chosen++;
      return planVersion(v.prepared, shapes, stats);
    };
    const small = fakeStats({ e: 1000, p: 1000, "p#delta": 10 });
    const big = fakeStats({ e: 1000, p: 100_000, "p#delta": 50_000 });
    v.replan(small, choose(small));
    expect(chosen).toBe(1);
    const first = v.plan;
    // 10 → 12 delta rows: the same power-of-four bucket; 10 → 400: another one.
    expect(v.stale(fakeStats({ e: 1000, p: 1000, "p#delta": 12 }))).toBe(false);
    expect(v.stale(fakeStats({ e: 1000, p: 1000, "p#delta": 400 }))).toBe(true);
    expect(v.stale(big)).toBe(true);
    v.replan(big, choose(big));
    expect(chosen).toBe(2);
    expect(v.stale(big)).toBe(false);
    // Back to the small sizes: the plan chosen for them is taken again, not costed anew.
    expect(v.stale(small)).toBe(true);
    v.replan(small, choose(small));
    expect(chosen).toBe(2);
    expect(v.plan).toBe(first);
  });
});

/** A planner that lays every version out in a random order of its atoms (seeded), as if the user had written them so. */
function shuffling(seed: number): Planner {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return (prepared, shapes) => {
    const atoms: AtomItem[] = [...prepared.atoms.values()];
    for (let i = atoms.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [atoms[i], atoms[j]] = [atoms[j]!, atoms[i]!];
    }
    return layOut(prepared, shapes, fixedOrder(atoms), "plan");
  };
}

describe("any join order gives the oracle's result", () => {
  const RUNS = Number(process.env.CAIRN_PROPERTY_RUNS ?? 150);
  it(`on ${RUNS} random programs, each planned in random orders`, () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 1, max: 0x7fffffff }), (seed, orderSeed) => {
        const c = generate(seed);
        const program = checkedOf(c);
        let expected: ReturnType<typeof evaluateNaive>;
        try {
          expected = evaluateNaive(program, c.facts, 1_000_000);
        } catch (e) {
          if (e instanceof OracleBudgetError) return;
          throw e;
        }
        // The engine runs the program as the frontend checks it from its text, as the properties test does.
        let checkedText: CheckedProgram;
        try {
          checkedText = compile(printProgram(program, true)).checked;
        } catch {
          return; // the generator's rare rejected case is the properties test's business
        }
        const db = new Database(checkedText, { planner: shuffling(orderSeed) });
        for (const [rel, rows] of Object.entries(c.facts)) db.insert(rel, rows);
        db.runSync();
        const actual = Object.fromEntries([...program.relations.keys()].map((r) => [r, db.tuples(r)]));
        expect(differences(expected, actual), `generate(${seed}), orders from ${orderSeed}`).toEqual([]);
        checked++;
      }),
      { numRuns: RUNS, seed: 20261206, endOnFailure: true },
    );
    expect(checked).toBeGreaterThan(RUNS * 0.9);
  });
});
