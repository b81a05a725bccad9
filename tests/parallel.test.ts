// Determinism of parallel evaluation: on random programs and facts, every
// worker count gives what one thread gives (relation by relation, as sets),
// lattice programs included, whether the work goes to co-partitioned
// workers, to parallel rounds, or stays on the coordinator.

import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CheckedProgram } from "../index.js";
import { Database } from "../engine/database.js";
import { closeWorkers } from "../engine/parallel/errors.js";
import { ParallelExecutor } from "../engine/parallel/executor.js";
import { checkedOf, generate } from "./oracle/gen-program.js";
import { printProgram } from "./oracle/print.js";
import { MODE_SETS, runOne, runWorkers, type Facts } from "./parallel-util.js";

const RUNS = Number(process.env.CAIRN_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.CAIRN_PROPERTY_SEED ?? 20240601);

afterAll(() => closeWorkers());

describe("any worker count gives the one-thread result", () => {
  it(`on ${RUNS} random programs (the oracle's generator)`, async () => {
    const before = { ...ParallelExecutor.counts };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), fc.constantFrom(0, 1, 8), async (seed, threshold) => {
        const c = generate(seed);
        let program: CheckedProgram;
        try {
          program = compile(printProgram(checkedOf(c), true)).checked;
        } catch {
          return; // the generator's rare rejected case is the properties test's business
        }
        const one = runOne(program, c.facts);
        for (const workers of [2, 3]) {
          for (const modes of MODE_SETS) {
            const many = await runWorkers(program, c.facts, workers, threshold, modes);
            expect(many, `generate(${seed}), ${workers} workers, threshold ${threshold}, modes ${modes}`).toEqual(one);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expectUsed(before);
  }, 600_000);

  it(`on ${RUNS} random lattice programs`, async () => {
    const before = { ...ParallelExecutor.counts };
    await fc.assert(
      fc.asyncProperty(latticeCase, fc.constantFrom(0, 1, 16), async ({ source, facts }, threshold) => {
        const program = compile(source).checked;
        const one = runOne(program, facts);
        expect(one.ok, source).toBe(true);
        for (const workers of [2, 3]) {
          for (const modes of MODE_SETS) {
            const many = await runWorkers(program, facts, workers, threshold, modes);
            expect(many, `${source}\n${workers} workers, threshold ${threshold}, modes ${modes}`).toEqual(one);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expectUsed(before);
  }, 600_000);

  it("across later runs: facts inserted after a parallel run, threshold reads", async () => {
    await fc.assert(
      fc.asyncProperty(latticeCase, fc.nat(50), async ({ source, facts }, cut) => {
        const program = compile(source).checked;
        const e = facts.e ?? [];
        const first: Facts = { ...facts, e: e.slice(0, cut) };
        const one = new Database(program);
        const many = new Database(program, { workers: 2, parallelThreshold: 0 });
        for (const db of [one, many]) for (const [rel, rows] of Object.entries(first)) db.insert(rel, rows);
        one.runSync();
        await many.run();
        for (const db of [one, many]) db.insert("e", e.slice(cut));
        one.runSync();
        await many.run();
        for (const name of program.relations.keys()) {
          const a = one
            .tuples(name)
            .map((t) => JSON.stringify(t))
            .sort();
          expect(
            many
              .tuples(name)
              .map((t) => JSON.stringify(t))
              .sort(),
            `${source}\n${name}`,
          ).toEqual(a);
          // Every tuple holds (the relation's indexes were caught up), and a threshold read resolves.
          for (const t of one.tuples(name).slice(0, 3)) await many.when(name, t);
        }
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED, endOnFailure: true },
    );
  }, 600_000);

  it("on bigger graphs, through the default thresholds", async () => {
    const program = compile(`
      .decl edge(x: number, y: number, w: number)
      .decl path(x: number, y: number)
      .decl sg(x: number, y: number)
      .decl sp(x: number, y: number, d: min<number>)
      .decl from0(y: number, d: min<number>)
      path(x, y) :- edge(x, y, _).
      path(x, z) :- path(x, y), edge(y, z, _).
      sg(x, y) :- edge(p, x, _), edge(p, y, _), x != y.
      sg(x, y) :- edge(a, x, _), sg(a, b), edge(b, y, _).
      sp(x, y, w) :- edge(x, y, w).
      sp(x, z, d + w) :- sp(x, y, d), edge(y, z, w).
      from0(0, 0).
      from0(y, d + w) :- from0(x, d), edge(x, y, w).`).checked;
    let s = 7;
    const rand = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const edge = Array.from({ length: 600 }, () => [rand(300), rand(300), 1 + rand(20)]);
    const one = runOne(program, { edge });
    const before = { ...ParallelExecutor.counts };
    for (const workers of [2, 4])
      for (const modes of MODE_SETS) expect(await runWorkers(program, { edge }, workers, 1024, modes)).toEqual(one);
    expectUsed(before);
  }, 120_000);
});

/** The cases went through both parallel paths, and through rounds kept on the coordinator. */
function expectUsed(before: typeof ParallelExecutor.counts): void {
  const c = ParallelExecutor.counts;
  expect(c.local - before.local, "co-partitioned strata").toBeGreaterThan(0);
  expect(c.exchange - before.exchange, "strata exchanging deltas").toBeGreaterThan(0);
  expect(c.parallelRounds - before.parallelRounds, "parallel rounds").toBeGreaterThan(0);
  expect(c.serialRounds - before.serialRounds, "rounds on the coordinator").toBeGreaterThan(0);
}

/** Rule groups over an edge relation, each adding lattice or plain relations; a case takes a few of them. */
const GROUPS: readonly { decls: string; rules: string }[] = [
  { decls: ".decl d(x: number, v: min<number>)", rules: "d(x, 0) :- src(x).\nd(y, v + w) :- d(x, v), e(x, y, w)." },
  {
    decls: ".decl ap(x: number, y: number, v: min<number>)",
    rules: "ap(x, y, w) :- e(x, y, w).\nap(x, z, v + w) :- ap(x, y, v), e(y, z, w).",
  },
  {
    decls: ".decl nl(x: number, y: number, v: min<number>)",
    rules: "nl(x, y, w) :- e(x, y, w).\nnl(x, z, v + u) :- nl(x, y, v), nl(y, z, u).",
  },
  { decls: ".decl wd(x: number, v: max<number>)", rules: "wd(x, 1000) :- src(x).\nwd(y, min(v, w)) :- wd(x, v), e(x, y, w)." },
  {
    decls: ".decl hops(x: number, y: number, v: max<number>)",
    rules: "hops(x, y, 0) :- e(x, y, _).\nhops(x, z, min(v + 1, 5)) :- hops(x, y, v), e(y, z, _).",
  },
  { decls: ".decl r(x: number, b: or)", rules: "r(x, 1) :- src(x).\nr(y, b) :- r(x, b), e(x, y, _)." },
  { decls: ".decl reach(x: number, y: number)", rules: "reach(x, y) :- e(x, y, _).\nreach(x, z) :- reach(x, y), e(y, z, _)." },
  {
    decls: ".decl both(x: number, v: min<number>)",
    rules: "both(x, v) :- src(x), e(x, _, v).\nboth(y, v + w) :- both(x, v), e(x, y, w), r(y, 1).\nboth(z, v) :- both(x, v), reach(x, z).",
  },
  { decls: ".decl near(x: number)", rules: "near(y) :- d(y, v), v <= 12." },
  // Mutually recursive with a self-join: tt must be replicated while rr is split (exchange mode).
  {
    decls: ".decl tt(x: number, y: number)\n.decl rr(x: number, y: number)",
    rules: "tt(x, z) :- tt(x, y), tt(y, z).\ntt(x, y) :- rr(x, y).\nrr(x, y) :- e(x, y, _).\nrr(x, z) :- rr(x, y), tt(y, z).",
  },
  {
    decls: ".decl m(x: number, y: number, v: min<number>)\n.decl q(x: number, v: min<number>)",
    rules:
      "m(x, y, w) :- e(x, y, w).\nm(x, z, v + u) :- m(x, y, v), m(y, z, u).\nq(x, 0) :- src(x).\nq(y, v + w) :- q(x, v), m(x, y, w).\nm(x, y, v) :- q(x, v), e(x, y, _).",
  },
];
/** What a group needs from others. */
const NEEDS: Record<number, number[]> = { 7: [5, 6], 8: [0] };

const latticeCase = fc
  .record({
    groups: fc.uniqueArray(fc.integer({ min: 0, max: GROUPS.length - 1 }), { minLength: 1, maxLength: 4 }),
    edges: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 9 })), {
      maxLength: 50,
    }),
    sources: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { maxLength: 3 }),
  })
  .map(({ groups, edges, sources }) => {
    const chosen = new Set(groups);
    for (const g of groups) for (const n of NEEDS[g] ?? []) chosen.add(n);
    const parts = [...chosen].sort().map((g) => GROUPS[g]!);
    const source = [
      ".decl e(x: number, y: number, w: number)",
      ".decl src(x: number)",
      ...parts.map((p) => p.decls),
      ...parts.map((p) => p.rules),
    ].join("\n");
    const facts: Facts = { e: edges, src: sources.map((x) => [x]) };
    return { source, facts };
  });
