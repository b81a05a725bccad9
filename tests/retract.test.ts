// Retraction: after db.retract() and a run, every relation holds what a run
// from scratch over the remaining facts gives — for random programs
// (recursion, negation, aggregates; lattice columns; eqrel relations, whose
// classes split when the pairs joining them go) and random sequences of
// inserts and retractions, with handlers told exactly what changed; with
// relations frozen, a change is refused exactly when a frozen one would change.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, Database, FrozenRelationError } from "../index.js";
import { changeCase, checkHandlers, eqrelCase, keys, remaining, type Step, steps } from "./change-helpers.js";
import { Rng } from "./oracle/gen-terms.js";

const RUNS = Number(process.env.CAIRN_PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.CAIRN_PROPERTY_SEED ?? 20240601);

const paths = compile(`
  .decl edge(x: number, y: number)
  .decl path(x: number, y: number)
  path(x, y) :- edge(x, y).
  path(x, z) :- path(x, y), edge(y, z).
  .decl node(x: number)
  node(x) :- edge(x, _).
  node(x) :- edge(_, x).
  .decl cut(x: number, y: number)
  cut(x, y) :- node(x), node(y), !path(x, y).
  .decl fan(x: number, n: number)
  fan(x, n) :- node(x), n = count : { path(x, _) }.`);

describe("retraction", () => {
  it("takes a fact back through recursion, negation and an aggregate", () => {
    const db = paths.database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
      [1, 3],
    ]);
    db.runSync();
    db.retract("edge", [[2, 3]]);
    db.runSync();
    // path(1, 3) stays: it has another derivation (edge(1, 3)).
    expect(keys(db.tuples("path"))).toEqual(
      keys([
        [1, 2],
        [1, 3],
      ]),
    );
    expect(keys(db.tuples("fan"))).toEqual(
      keys([
        [1, 2],
        [2, 0],
        [3, 0],
      ]),
    );
    expect(db.tuples("cut")).toContainEqual([2, 3]);
  });

  it("keeps the program's own facts and a fact given to a derived relation until it is retracted", () => {
    const p = compile(`
      .decl e(x: number)
      .decl r(x: number)
      r(7).
      r(x) :- e(x).`);
    const db = p.database();
    db.insert("e", [[1]]);
    db.insert("r", [[1], [2]]);
    db.runSync();
    db.retract("r", [[7], [1]]);
    db.runSync();
    // 7 is the program's fact; 1 is still derived from e(1).
    expect(keys(db.tuples("r"))).toEqual(keys([[1], [2], [7]]));
    db.retract("e", [[1]]);
    db.runSync();
    expect(keys(db.tuples("r"))).toEqual(keys([[2], [7]]));
  });

  it("recomputes a lattice key whose supporting facts went", () => {
    const p = compile(`
      .decl edge(x: number, y: number, w: number)
      .decl dist(x: number, d: min<number>)
      dist(1, 0).
      dist(y, d + w) :- dist(x, d), edge(x, y, w).
      .decl cost(x: number, c: min<number>)`);
    const db = p.database();
    db.insert("edge", [
      [1, 2, 5],
      [1, 3, 1],
      [3, 2, 1],
    ]);
    db.insert("cost", [
      [1, 4],
      [1, 9],
    ]);
    db.runSync();
    expect(keys(db.tuples("dist"))).toEqual(
      keys([
        [1, 0],
        [2, 2],
        [3, 1],
      ]),
    );
    db.retract("edge", [[3, 2, 1]]);
    db.retract("cost", [[1, 4]]);
    db.runSync();
    expect(keys(db.tuples("dist"))).toEqual(
      keys([
        [1, 0],
        [2, 5],
        [3, 1],
      ]),
    );
    expect(db.tuples("cost")).toEqual([[1, 9]]);
  });

  it("drops a lattice value that only held itself up through a cycle", () => {
    // hops(1) grows 0, 1, …, 6 around the self-loop and stays at 6 through it: with start(1) gone,
    // nothing supports it (a run from scratch derives no hops at all).
    const program = compile(`
      .decl start(x: number)
      .decl edge(x: number, y: number)
      .decl hops(x: number, n: max<number>)
      hops(x, 0) :- start(x).
      hops(y, min(n + 1, 6)) :- hops(x, n), edge(x, y).
    `);
    const db = program.database();
    db.insert("start", [[1]]);
    db.insert("edge", [[1, 1]]);
    db.runSync();
    expect(db.tuples("hops")).toEqual([[1, 6]]);
    db.retract("start", [[1]]);
    db.runSync();
    expect(db.tuples("hops")).toEqual([]);
  });

  it("derives again only what lost its support in a stratum of min and max keys that is not recursive (random facts)", () => {
    // best and worst read score and bonus, from the stratum below: retraction derives the keys
    // whose value a lost fact attained again, and leaves the others (engine/eval/rederive.ts).
    const source = `
      .decl score(x: number, v: number)
      .decl bonus(x: number, v: number)
      .decl best(x: number, v: max<number>)
      .decl worst(x: number, v: min<number>)
      best(x, v) :- score(x, v).
      best(x, v + b) :- score(x, v), bonus(x, b).
      worst(x, v) :- score(x, v).
    `;
    const program = compile(source);
    const fact = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(
        fc.array(fact, { maxLength: 20 }),
        fc.array(fact, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (scores, bonuses, gone) => {
          const db = program.database();
          db.insert("score", scores);
          db.insert("bonus", bonuses);
          db.runSync();
          const lost = gone.map((i) => scores[i % Math.max(1, scores.length)]).filter((t) => t !== undefined);
          db.retract("score", lost);
          db.runSync();
          const left = scores.filter((t) => !lost.some((l) => l[0] === t[0] && l[1] === t[1]));
          const fresh = program.database();
          fresh.insert("score", left);
          fresh.insert("bonus", bonuses);
          fresh.runSync();
          for (const r of ["best", "worst"]) expect(db.tuples(r).sort(), r).toEqual(fresh.tuples(r).sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("derives again only what lost its support in a recursive stratum of strict steps (random weighted graphs)", () => {
    // dist and budget take strict steps while every weight is at least 1 (engine/eval/strict-steps.ts):
    // retraction then derives again only the keys a lost edge's derivation attained; a weight of 0
    // makes them recompute. Edges are taken back and given again with other weights, cycles included.
    const program = compile(`
      .decl edge(x: number, y: number, w: number)
      .decl source(x: number)
      .decl dist(x: number, d: min<number>)
      dist(x, 0) :- source(x).
      dist(y, d + w) :- dist(x, d), edge(x, y, w).
      .decl budget(x: number, b: max<number>)
      budget(x, 20) :- source(x).
      budget(y, b - w) :- budget(x, b), edge(x, y, w), b > 0.
      .decl near(x: number)
      near(x) :- dist(x, d), d <= 3.
    `);
    const edge = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 }));
    const step = fc.record({ gone: fc.array(fc.nat(), { maxLength: 4 }), added: fc.array(edge, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 16 }), fc.array(step, { minLength: 1, maxLength: 4 }), (edges, updates) => {
        const db = program.database();
        db.insert("source", [[0]]);
        db.insert("edge", edges);
        db.runSync();
        let now = [...edges];
        for (const u of updates) {
          const lost = u.gone.map((i) => now[i % Math.max(1, now.length)]).filter((t) => t !== undefined);
          db.retract("edge", lost);
          db.insert("edge", u.added);
          db.runSync();
          now = [...now.filter((t) => !lost.some((l) => l.every((c, i) => c === t[i]))), ...u.added];
          const fresh = program.database();
          fresh.insert("source", [[0]]);
          fresh.insert("edge", now);
          fresh.runSync();
          for (const r of ["dist", "budget", "near"]) expect(keys(db.tuples(r)), r).toEqual(keys(fresh.tuples(r)));
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("is refused where it would change a frozen relation, and changes nothing then", () => {
    const db = paths.database();
    db.insert("edge", [[1, 2]]);
    db.runSync();
    db.freeze("path");
    expect(() => db.retract("edge", [[1, 2]])).toThrow(FrozenRelationError);
    // Taking back a fact never given changes nothing: not an error.
    expect(() => db.retract("edge", [[5, 6]])).not.toThrow();
    db.runSync();
    expect(db.tuples("path")).toEqual([[1, 2]]);
    expect(db.tuples("edge")).toEqual([[1, 2]]);
  });

  it(`equals a run from scratch over the remaining facts on ${RUNS} random programs and sequences`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const c = changeCase(seed);
        const seq = steps(c, seed, true);
        const db = c.program.database();
        const done: Step[] = [];
        seq.forEach((s, i) => {
          if (s.op === "insert") db.insert(s.relation, s.tuples);
          else db.retract(s.relation, s.tuples);
          done.push(s);
          if (i % 2 === 1 && i < seq.length - 1) return; // sometimes two steps before a run
          db.runSync();
          const scratch = c.program.run(remaining(done));
          for (const name of c.program.checked.relations.keys()) {
            expect(keys(db.tuples(name)), `${name} after step ${i}\n${c.text}\n${JSON.stringify(seq)}`).toEqual(keys(scratch[name]!));
          }
        });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it("splits an eqrel's class when the pair joining it goes, and keeps one another path still joins", () => {
    const p = compile(`
      .decl link(x: number, y: number)
      .decl same(x: number, y: number) eqrel
      same(x, y) :- link(x, y).
      .decl size(x: number, n: number)
      size(x, n) :- same(x, _), n = count : { same(x, _) }.`);
    // Every pair within each class, and each element with its class's size.
    const pairs = (classes: number[][]) => classes.flatMap((c) => c.flatMap((x) => c.map((y) => [x, y])));
    const sizes = (classes: number[][]) => classes.flatMap((c) => c.map((x) => [x, c.length]));
    const expectClasses = (db: Database, classes: number[][]) => {
      expect(keys(db.tuples("same"))).toEqual(keys(pairs(classes)));
      expect(keys(db.tuples("size"))).toEqual(keys(sizes(classes)));
    };
    const db = p.database();
    db.insert("same", [
      [1, 2],
      [2, 3],
      [4, 5],
    ]);
    db.insert("link", [[3, 4]]);
    db.runSync();
    expectClasses(db, [[1, 2, 3, 4, 5]]);
    // 2 ~ 3 was the only tie between {1, 2} and {3, 4, 5}.
    db.retract("same", [[2, 3]]);
    db.runSync();
    expectClasses(db, [
      [1, 2],
      [3, 4, 5],
    ]);
    db.insert("same", [
      [2, 5],
      [1, 3],
    ]);
    db.runSync();
    expectClasses(db, [[1, 2, 3, 4, 5]]);
    // 1 ~ 3 still joins the two halves without 2 ~ 5.
    db.retract("same", [[2, 5]]);
    db.runSync();
    expectClasses(db, [[1, 2, 3, 4, 5]]);
    // A pair given and derived (from link(3, 4)) stays when the given one goes; with the link, 4 and 5 go off.
    db.insert("same", [[3, 4]]);
    db.retract("same", [[3, 4]]);
    db.runSync();
    expectClasses(db, [[1, 2, 3, 4, 5]]);
    db.retract("link", [[3, 4]]);
    db.runSync();
    expectClasses(db, [
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it(`equals a run from scratch over the remaining facts on ${RUNS} random programs with an eqrel relation`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const c = eqrelCase(seed);
        const seq = steps(c, seed, true);
        const db = c.program.database();
        const done: Step[] = [];
        seq.forEach((s, i) => {
          if (s.op === "insert") db.insert(s.relation, s.tuples);
          else db.retract(s.relation, s.tuples);
          done.push(s);
          if (i % 2 === 1 && i < seq.length - 1) return;
          db.runSync();
          const scratch = c.program.run(remaining(done));
          for (const name of c.program.checked.relations.keys()) {
            expect(keys(db.tuples(name)), `${name} after step ${i}\n${c.text}\n${JSON.stringify(seq)}`).toEqual(keys(scratch[name]!));
          }
        });
        checkHandlers(c, steps(c, seed + 1, true));
      }),
      { numRuns: RUNS, seed: SEED + 3, endOnFailure: true },
    );
  });

  it(`with relations frozen, is refused exactly when a frozen relation would change, on ${RUNS} random programs and sequences`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const c = seed % 3 === 0 ? eqrelCase(seed) : changeCase(seed);
        const rng = new Rng(seed ^ 0xf00d);
        const names = [...c.program.checked.relations.keys()];
        const db = c.program.database();
        const done: Step[] = [];
        const frozen = new Set<string>();
        for (const [i, s] of steps(c, seed, true).entries()) {
          const what = `step ${i}\n${c.text}\n${JSON.stringify(done)}\n${JSON.stringify(s)}\nfrozen: ${[...frozen]}`;
          // What a run from scratch over the facts after the step holds, against the frozen contents.
          const after = c.program.run(remaining([...done, s]));
          const differs = [...frozen].some((n) => keys(after[n]!).join(";") !== keys(db.tuples(n)).join(";"));
          // Taking a given fact back from a frozen relation itself is refused whatever the rules derive.
          const given = new Set(keys(remaining(done)[s.relation] ?? []));
          const fromFrozen = s.op === "retract" && frozen.has(s.relation) && keys(s.tuples).some((k) => given.has(k));
          let refused = false;
          try {
            if (s.op === "insert") db.insert(s.relation, s.tuples);
            else db.retract(s.relation, s.tuples);
          } catch (e) {
            expect(e, what).toBeInstanceOf(FrozenRelationError);
            refused = true;
          }
          expect(refused, what).toBe(differs || fromFrozen);
          if (!refused) done.push(s);
          db.runSync();
          const scratch = c.program.run(remaining(done));
          for (const n of names) expect(keys(db.tuples(n)), `${n} after ${what}`).toEqual(keys(scratch[n]!));
          if (rng.chance(0.3)) {
            const n = names[rng.int(0, names.length - 1)]!;
            db.freeze(n);
            frozen.add(n);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED + 4, endOnFailure: true },
    );
  });

  it("on worker threads, every round sent to the workers, as on one thread", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), async (seed) => {
        const c = changeCase(seed);
        const one = c.program.database();
        const many = new Database(c.program.checked, { workers: 2, parallelThreshold: 0 });
        for (const s of steps(c, seed, true)) {
          for (const db of [one, many]) {
            if (s.op === "insert") db.insert(s.relation, s.tuples);
            else db.retract(s.relation, s.tuples);
          }
          one.runSync();
          await many.run();
          for (const name of c.program.checked.relations.keys())
            expect(keys(many.tuples(name)), `${name}\n${c.text}`).toEqual(keys(one.tuples(name)));
        }
      }),
      { numRuns: 20, seed: SEED + 2, endOnFailure: true },
    );
  }, 300_000);

  it(`tells handlers exactly what changed on ${RUNS} random programs and sequences`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const c = changeCase(seed);
        checkHandlers(c, steps(c, seed, true));
      }),
      { numRuns: RUNS, seed: SEED + 1, endOnFailure: true },
    );
  });
});
