// A cluster gives the single-process answer, whatever the network does within
// the protocol's allowance: on a seeded simulated network (frames between
// nodes delayed, reordered and duplicated), for hand-written programs with
// recursion, negation, aggregates and lattices (set, pair and user ones
// included), for random programs and facts from the oracle's generator, and
// for random set, pair and user lattice programs (gen-lattice.ts) under
// faults; and a coordination-free program crosses no barrier.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CheckedProgram, compile } from "../../index.js";
import { clusterLimits } from "../../distributed/shard-plan.js";
import { checkedOf, generate } from "../oracle/gen-program.js";
import { printProgram } from "../oracle/print.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rulesDir, rulesFile } from "../../programs/kcfa/analysis.js";
import { cpsFacts } from "../../programs/kcfa/facts.js";
import { loadCps } from "../../programs/kcfa/program.js";
import { type Facts, loaded, simulated, simulatedProgram, single, sourceOf } from "./cluster-util.js";
import { contents } from "../parallel-util.js";
import { fromGivenFacts, recordRun } from "../../distributed/cluster-state.js";
import { FUNCTORS, latticeCase } from "./gen-lattice.js";
import { autoincCase, renamed } from "./gen-autoinc.js";
import { recordCase } from "./gen-records.js";
import { loadShippedFunctors } from "../../distributed/functor-module.js";
import { type Fault, HEARTBEAT, simulateCluster } from "./sim-network.js";

const RUNS = Number(process.env.CAIRN_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.CAIRN_PROPERTY_SEED ?? 20240601);

const graph = (n: number, m: number, seed: number, weights = false) => {
  let s = seed;
  const rand = (k: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % k;
  return Array.from({ length: m }, () => (weights ? [rand(n), rand(n), 1 + rand(9)] : [rand(n), rand(n)]));
};

const PROGRAMS: Record<string, { text: string; facts: Facts; barriers: number }> = {
  "transitive closure": {
    text: `.decl edge(x: number, y: number)
.input edge
.decl path(x: number, y: number)
.output path
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`,
    facts: { edge: graph(60, 90, 3) },
    barriers: 0,
  },
  "same generation, joins on other columns": {
    text: `.decl edge(x: number, y: number)
.decl sg(x: number, y: number)
sg(x, y) :- edge(p, x), edge(p, y), x != y.
sg(x, y) :- edge(a, x), sg(a, b), edge(b, y).`,
    facts: { edge: graph(40, 60, 5) },
    barriers: 0,
  },
  "negation and a count above recursion": {
    text: `.decl edge(x: number, y: number)
.decl node(x: number)
.decl reach(x: number, y: number)
.decl unreach(x: number, y: number)
.decl fanout(x: number, n: number)
.decl most(n: number)
node(x) :- edge(x, _).
node(y) :- edge(_, y).
reach(x, y) :- edge(x, y).
reach(x, z) :- reach(x, y), edge(y, z).
unreach(x, y) :- node(x), node(y), !reach(x, y).
fanout(x, n) :- node(x), n = count : { reach(x, _) }.
most(m) :- m = max n : { fanout(_, n) }.`,
    facts: { edge: graph(25, 30, 11) },
    barriers: 2,
  },
  "negation of a derived relation, over stated facts": {
    text: `.decl a(x: number)
${Array.from({ length: 24 }, (_, i) => `a(${i}).`).join(" ")}
.decl e(x: number, y: number)
.decl b(x: number)
.decl r(x: number)
b(y) :- e(_, y).
r(x) :- a(x), !b(x).`,
    facts: { e: graph(24, 14, 17) },
    barriers: 1,
  },
  "symbols made during the run: contexts as strings, as the k-CFA rules build them": {
    text: `.decl call(c: number, f: number)
.decl label(c: number, s: symbol)
.decl ctx(f: number, t: symbol)
.decl seen(t: symbol, n: number)
.decl short(t: symbol)
label(c, to_string(c)) :- call(c, _).
ctx(0, "").
ctx(f, cat(s, substr(t, 0, 6))) :- ctx(g, t), call(g, f), label(g, s), strlen(t) < 12.
seen(t, n) :- ctx(_, t), n = strlen(t).
short(t) :- seen(t, n), n < 4, !ctx(0, t).`,
    facts: { call: graph(12, 20, 23) },
    barriers: 1,
  },
  "shortest paths in a min lattice": {
    text: `.decl e(x: number, y: number, w: number)
.decl d(x: number, v: min<number>)
.decl ap(x: number, y: number, v: min<number>)
d(0, 0).
d(y, v + w) :- d(x, v), e(x, y, w).
ap(x, y, w) :- e(x, y, w).
ap(x, z, v + w) :- ap(x, y, v), e(y, z, w).`,
    facts: { e: graph(40, 120, 7, true) },
    barriers: 0,
  },
  "symbols, a max lattice and a threshold on it": {
    text: `.decl link(a: symbol, b: symbol, w: number)
.decl widest(a: symbol, b: symbol, v: max<number>)
.decl strong(a: symbol, b: symbol)
widest(a, b, w) :- link(a, b, w).
widest(a, c, min(v, w)) :- widest(a, b, v), link(b, c, w).
strong(a, b) :- widest(a, b, v), v >= 5.`,
    facts: { link: graph(20, 50, 13, true).map(([a, b, w]) => [`n${a}`, `n${b}`, w!]) },
    barriers: 0,
  },
  "a set lattice: reachable sets joined by union through recursion, their sizes read behind a barrier": {
    text: `.decl e(x: number, y: number)
.decl reach(x: number, s: set<number>)
.decl big(x: number, n: number)
reach(x, singleton(y)) :- e(x, y).
reach(x, s) :- e(x, y), reach(y, s).
big(x, n) :- reach(x, s), n = size(s), n > 3.`,
    facts: { e: graph(30, 40, 19) },
    barriers: 1,
  },
  "sets of symbols made during the run, in a pair with a min": {
    text: `.decl e(x: symbol, y: symbol)
.decl lab(x: symbol, s: set<symbol>)
.decl pp(x: symbol, v: pair<min<number>, set<symbol>>)
lab(x, singleton(cat(y, "!"))) :- e(x, y).
lab(y, s) :- lab(x, s), e(x, y).
pp(x, pair(strlen(x), s)) :- lab(x, s).
pp(y, pair(first(v) + 1, second(v))) :- pp(x, v), e(x, y), first(v) < 20.`,
    facts: { e: graph(25, 35, 29).map(([a, b]) => [`n${a}`, `n${b}`]) },
    barriers: 0,
  },
  "a user lattice (bit sets joined by bor) and an exact read of it": {
    text: `.type Sign <: number
.lattice Sign<> { Bottom -> 0, Top -> 7, Lub -> _ bor _, Glb -> _ band _ }
.decl e(x: number, y: number)
.decl sign(x: number, s: Sign<>)
.decl zero(x: number)
sign(x, 1 bshl (y % 3)) :- e(x, y), x < y.
sign(y, s) :- sign(x, s), e(x, y).
zero(x) :- sign(x, s), s band 2 = 2.`,
    facts: { e: graph(30, 45, 31) },
    barriers: 1,
  },
  "an aggregate whose result is unused over a derived relation: no freeze point, but a barrier all the same": {
    text: `.decl in2(c0: symbol, c1: number, c2: symbol)
.decl r0(c0: float, c1: float, c2: number)
.decl r1(c0: symbol)
r0(-1.5, 0.0, z3) :- in2(x0, x1, _), z3 = x1 % -2 * (0 * x1), n5 = count : { in2(x0, _, _) }.
r1(x1) :- in2(_, _, x1), n4 = count : { r0(_, 2.25, z2) }, z2 = strlen(x1), match("abc|b", x1).
r1(x0) :- r1(x0), r1(x1), x1 < "ab".`,
    facts: {
      in2: [
        ["abc", 3, "ba"],
        ["abc", 2, "ba"],
        ["ab", 0, "abc"],
        ["a", 2, "a"],
        ["ba", 2, "ba"],
        ["a", 1, "ba"],
      ],
      r1: [["b"], ["ab"]],
    },
    barriers: 1,
  },
  "lists built by recursion: walks as records, joined on the record, a given one read under negation": {
    text: `.type Walk = [at: number, back: Walk]
.decl e(x: number, y: number)
.decl walk(x: number, w: Walk, n: number)
.decl tail(w: Walk, t: Walk)
.decl known(w: Walk)
.decl fresh(w: Walk, x: number)
.decl loops(w: Walk)
walk(x, [x, nil], 0) :- e(x, _).
walk(y, [y, w], n + 1) :- walk(x, w, n), e(x, y), n < 3.
tail(w, t) :- walk(_, w, _), w = [_, t], t != nil.
fresh(w, x) :- walk(x, w, _), !known(w).
loops(w) :- tail(w, t), tail(t, u), u = [a, _], w = [a, _].`,
    facts: {
      e: graph(12, 18, 37),
      known: ["[0, nil]", "[3, nil]", "[5, [3, nil]]", "[7, [1, [4, nil]]]", "[2, [2, [2, nil]]]", "nil"].map((w) => [w]),
    },
    barriers: 0,
  },
  "an ADT of several branches (a made symbol in one), expressions built and evaluated by recursion": {
    text: `.type Expr = Num {n: number} | Var {name: symbol} | Add {a: Expr, b: Expr} | Neg {e: Expr} | Zero {}
.decl leaf(x: number)
.decl expr(e: Expr, d: number)
.decl val(e: Expr, v: number)
.decl open(e: Expr)
.decl sums(v: number, e: Expr)
expr($Num(x), 0) :- leaf(x).
expr($Var(cat("v", to_string(x))), 0) :- leaf(x), x < 2.
expr($Zero(), 0).
expr($Neg(a), d + 1) :- expr(a, d), d < 2.
expr($Add(a, b), d + 1) :- expr(a, d), expr(b, d2), d2 <= d, d < 1.
val(e, n) :- expr(e, _), e = $Num(n).
val($Zero(), 0).
val(e, -v) :- expr(e, _), e = $Neg(a), val(a, v).
val(e, v + w) :- expr(e, _), e = $Add(a, b), val(a, v), val(b, w).
open(e) :- expr(e, _), !val(e, _).
sums(v, e) :- val(e, v), e = $Add(_, _).`,
    facts: { leaf: [[1], [2], [5]] },
    barriers: 1,
  },
};

/** The oracle generator's case for `seed`, printed and compiled, when a cluster can run it (the rare case the generator gets wrong is the properties test's business). */
function clusterCase(seed: number): { text: string; program: CheckedProgram; facts: Facts } | undefined {
  const c = generate(seed);
  let text: string;
  let program: CheckedProgram;
  try {
    text = printProgram(checkedOf(c), true);
    program = compile(text, { file: "p.dl" }).checked;
  } catch {
    return undefined;
  }
  if (clusterLimits(program).length > 0) return undefined;
  return { text, program, facts: c.facts };
}

describe("a simulated cluster gives the single-process answer", () => {
  for (const [name, { text, facts, barriers }] of Object.entries(PROGRAMS)) {
    it(name, async () => {
      const program = compile(text, { file: "p.dl" }).checked;
      const one = single(program, facts);
      expect(one.ok).toBe(true);
      for (const nodes of [1, 2, 3, 5]) {
        for (const seed of [1, 2]) {
          const faults = seed === 1 ? undefined : { duplicate: 0.3, delay: 12 };
          const { outcome, stats } = await simulated(text, facts, nodes, seed, faults);
          expect(outcome, `${nodes} nodes, seed ${seed}`).toEqual(one);
          expect(stats!.barriers, "global barriers").toBe(barriers);
          expect(stats!.nodes).toHaveLength(nodes);
        }
      }
    });
  }

  it("fails as one process fails: an evaluation error on a node is the same located error", async () => {
    const text = `.decl a(x: number, y: number)
.decl q(z: number)
q(x / y) :- a(x, y).`;
    const facts = {
      a: [
        [4, 2],
        [3, 0],
        [9, 3],
      ],
    };
    const one = single(compile(text, { file: "p.dl" }).checked, facts);
    expect(one.ok).toBe(false);
    for (const nodes of [1, 3]) expect((await simulated(text, facts, nodes, 5)).outcome).toEqual(one);
  });

  for (const [variant, plain] of [
    ["flat", true],
    ["env", true],
    ["flat", false],
  ] as const) {
    it(`the bundled k-CFA rules (${variant}, k = 2${plain ? ", plain Datalog" : ", with the pair-lattice summary"}) on the LVish example`, async () => {
      const files = new Map<string, string>();
      const read = (path: string) => {
        try {
          const text = readFileSync(path, "utf8");
          files.set(path, text);
          return text;
        } catch {
          return undefined;
        }
      };
      const entry = rulesFile(variant);
      const defines: Record<string, string> = plain ? { PLAIN_DATALOG: "1" } : {};
      const program = compile(read(entry)!, { file: entry, readFile: read, defines }).checked;
      const cps = loadCps(readFileSync(join(rulesDir(), "examples/lvish.cps"), "utf8"));
      const facts = cpsFacts(cps, 2);
      const one = single(program, facts);
      expect(one.ok).toBe(true);
      const source = { entry, files: [...files], includeDirs: [], defines };
      for (const nodes of [2, 3]) {
        const { outcome } = await simulatedProgram(program, source, facts, nodes, nodes, { duplicate: 0.2, delay: 6 });
        expect(outcome, `${nodes} nodes`).toEqual(one);
      }
    });
  }

  it("shards the data: with three nodes, split relations hold disjoint parts that add up", async () => {
    const { text, facts } = PROGRAMS["transitive closure"]!;
    const { stats } = await simulated(text, facts, 3, 1);
    const one = single(compile(text, { file: "p.dl" }).checked, facts);
    const paths = one.ok ? one.relations.path!.length : -1;
    const held = stats!.nodes.map((n) => n.rows.path!);
    // Either path is split (parts sum to the whole, none holds it all) or replicated (each holds it all).
    const split = held.reduce((a, b) => a + b, 0) === paths && held.every((h) => h < paths);
    const replicated = held.every((h) => h === paths);
    expect(split || replicated, `rows per node ${held} of ${paths}`).toBe(true);
    expect(split, "transitive closure over a spread graph is split").toBe(true);
  });

  it(`on ${RUNS} random programs (the oracle's generator), under duplication and reordering`, async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        async (seed, nodes, duplicate, delay) => {
          const c = clusterCase(seed);
          if (!c) return;
          ran++;
          const { text, facts } = c;
          const one = single(c.program, facts);
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate, delay });
          if (!one.ok) expect(outcome.ok, `generate(${seed}) fails on one process: ${one.error}`).toBe(false);
          else expect(outcome, `generate(${seed}), ${nodes} nodes`).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(ran, "cases a cluster can run").toBeGreaterThan(RUNS / 4);
  }, 300_000);

  /** Up to two faults at random steps: crashes (some restarting), pauses (some longer than a heartbeat), cut links. */
  const faultList = (nodes: number) =>
    fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant("crash" as const),
          at: fc.integer({ min: 1, max: 120 }),
          node: fc.integer({ min: 0, max: nodes - 1 }),
          restart: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        }),
        fc.record({
          kind: fc.constant("pause" as const),
          at: fc.integer({ min: 1, max: 120 }),
          node: fc.integer({ min: 0, max: nodes - 1 }),
          steps: fc.integer({ min: 5, max: 3 * HEARTBEAT }),
        }),
        fc.record({
          kind: fc.constant("partition" as const),
          at: fc.integer({ min: 1, max: 120 }),
          node: fc.integer({ min: 0, max: nodes - 1 }),
          other: fc.integer({ min: 0, max: nodes - 1 }),
        }),
      ) as fc.Arbitrary<Fault>,
      { minLength: 1, maxLength: 2 },
    );

  it(`survives crashes, restarts, pauses and cut links: the single-process answer, or a failure only when no node is left`, async () => {
    const cases = Object.values(PROGRAMS);
    let faulted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: cases.length - 1 }),
        fc.integer({ min: 2, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), faultList(nodes))),
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 12 }),
        async (which, [nodes, events], seed, delay) => {
          const { text, facts } = cases[which]!;
          const one = single(compile(text, { file: "p.dl" }).checked, facts);
          const { outcome, stats } = await simulated(text, facts, nodes, seed, { duplicate: 0.2, delay, events });
          const crashed = new Set(events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node));
          if (crashed.size === nodes) {
            // Every node crashed for good (if before the end): the answer, or a failure naming a node.
            if (!outcome.ok) {
              expect(outcome.error).toMatch(/cannot reach node sim-\d|was lost/);
              return;
            }
          }
          expect(outcome, JSON.stringify({ nodes, events, seed })).toEqual(one);
          if (stats!.restarts > 0) faulted++;
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(faulted, "runs that lost a node and started again").toBeGreaterThan(RUNS / 4);
  }, 300_000);

  it(`on ${RUNS} random programs (the oracle's generator) with crashes, pauses and cut links, while one node stays`, async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 2, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), faultList(nodes))),
        async (seed, [nodes, events]) => {
          const lasting = events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node);
          fc.pre(new Set(lasting).size < nodes);
          const c = clusterCase(seed);
          if (!c) return;
          ran++;
          const { text, facts } = c;
          const one = single(c.program, facts);
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate: 0.2, delay: 8, events });
          if (!one.ok) expect(outcome.ok, `generate(${seed}) fails on one process: ${one.error}`).toBe(false);
          else expect(outcome, JSON.stringify({ seed, nodes, events })).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(ran, "cases a cluster can run").toBeGreaterThan(RUNS / 4);
  }, 300_000);

  it(`on ${RUNS} random programs over set, pair and user lattices, under duplication, reordering, crashes, pauses and cut links`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), nodes > 1 ? faultList(nodes) : fc.constant([]))),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        async (seed, [nodes, events], duplicate, delay) => {
          const lasting = events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node);
          fc.pre(new Set(lasting).size < nodes);
          const { text, facts } = latticeCase(seed);
          const one = single(compile(text, { file: "p.dl" }).checked, facts);
          expect(one.ok, text).toBe(true);
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate, delay, events });
          expect(outcome, `${text}\n${JSON.stringify({ seed, nodes, events })}`).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it(`on ${RUNS} random programs over records and ADTs, under duplication, reordering, crashes, pauses and cut links`, async () => {
    let derived = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), nodes > 1 ? faultList(nodes) : fc.constant([]))),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        async (seed, [nodes, events], duplicate, delay) => {
          const lasting = events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node);
          fc.pre(new Set(lasting).size < nodes);
          const { text, facts } = recordCase(seed);
          const one = single(compile(text, { file: "p.dl" }).checked, facts);
          expect(one.ok, text).toBe(true);
          if (one.ok && Object.entries(one.relations).some(([r, rows]) => !["e", "name", "given"].includes(r) && rows.length > 0))
            derived++;
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate, delay, events });
          expect(outcome, `${text}\n${JSON.stringify({ seed, nodes, events })}`).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(derived, "programs that derive something").toBeGreaterThan(RUNS / 2);
  }, 300_000);

  /** The pool's functors module, as the coordinator ships it and as a node's import gives it. */
  const shipped = async (source = FUNCTORS) => {
    const module = { name: "functors.mjs", format: "module" as const, source };
    return { module, loaded: await loadShippedFunctors(module) };
  };

  it(`on ${RUNS} random programs calling user functors from a shipped module, with faults`, async () => {
    const functors = await shipped();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), nodes > 1 ? faultList(nodes) : fc.constant([]))),
        async (seed, [nodes, events]) => {
          const lasting = events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node);
          fc.pre(new Set(lasting).size < nodes);
          const { text, facts } = latticeCase(seed, { functors: true });
          const one = single(compile(text, { file: "p.dl", functors: functors.loaded }).checked, facts, functors);
          expect(one.ok, text).toBe(true);
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate: 0.2, delay: 8, events }, functors);
          expect(outcome, `${text}\n${JSON.stringify({ seed, nodes, events })}`).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it("fails as one process fails when a shipped functor throws on a node: the same located error", async () => {
    const functors = await shipped('export function half(x) { if (x === 7) throw new Error("seven"); return x >> 1; }\n');
    const text = `.functor half(x: number): number
.decl a(x: number)
.decl h(x: number, y: number)
h(x, @half(x)) :- a(x).`;
    const facts = { a: Array.from({ length: 12 }, (_, i) => [i]) };
    const program = compile(text, { file: "p.dl", functors: functors.loaded }).checked;
    const one = single(program, facts, functors);
    expect(one).toMatchObject({ ok: false, error: expect.stringContaining("functor @half threw: seven") });
    for (const nodes of [1, 3]) expect((await simulated(text, facts, nodes, 3, undefined, functors)).outcome).toEqual(one);
  });

  it("refuses user functors with no module to ship, located at the call", () => {
    const text = `.functor tag(s: symbol): symbol
.decl n(s: symbol)
.decl t(s: symbol)
t(@tag(s)) :- n(s).`;
    const program = compile(text, { file: "p.dl", functors: { tag: (s) => `${s}#` } }).checked;
    const limits = clusterLimits(program);
    expect(limits.map((d) => [d.message, d.span?.start.line, d.span?.start.col])).toEqual([
      [
        "the user functor @tag runs on a cluster only from a module the nodes load: give it with --functors FILE (the functorsModule option of runCluster)",
        4,
        3,
      ],
    ]);
    expect(clusterLimits(program, { functors: true })).toEqual([]);
  });

  it(`on ${RUNS} random programs numbering tuples with autoinc(), with faults: one process's answer up to a renaming of the numbers`, async () => {
    let numbered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 4 }).chain((nodes) => fc.tuple(fc.constant(nodes), nodes > 1 ? faultList(nodes) : fc.constant([]))),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (seed, [nodes, events], duplicate) => {
          const lasting = events.filter((e) => e.kind === "crash" && e.restart === undefined).map((e) => e.node);
          fc.pre(new Set(lasting).size < nodes);
          const { text, facts } = autoincCase(seed);
          const one = single(compile(text, { file: "p.dl" }).checked, facts);
          expect(one.ok, text).toBe(true);
          if (one.ok && Object.values(one.relations).some((r) => r.length > 0)) numbered++;
          const { outcome } = await simulated(text, facts, nodes, seed, { duplicate, delay: 10, events });
          expect(renamed(one, outcome), `${text}\n${JSON.stringify({ seed, nodes, events })}`).toEqual(one);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(numbered, "cases that number something").toBeGreaterThan(RUNS / 2);
  }, 300_000);

  it("numbers each tuple once across the nodes: split, replicated, and rules node 0 alone runs", async () => {
    const text = `.decl e(x: number, y: number)
.decl name(x: number, s: symbol)
.decl id(x: number, i: number)
.decl tag(s: symbol, i: number)
.decl slot(k: number, i: number)
id(x, autoinc()) :- e(x, _), !e(_, x).
tag(s, autoinc()) :- name(_, s).
slot(k, autoinc()) :- k = range(0, 10).`;
    const facts = { e: graph(40, 50, 37), name: Array.from({ length: 12 }, (_, i) => [i, `n${i}`]) };
    const program = compile(text, { file: "p.dl" }).checked;
    const one = single(program, facts);
    for (const nodes of [2, 3]) {
      const { outcome } = await simulated(text, facts, nodes, 7, { duplicate: 0.2, delay: 6 });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok || !one.ok) continue;
      for (const rel of ["id", "tag", "slot"]) expect(outcome.relations[rel]!.length, rel).toBe(one.relations[rel]!.length);
      const numbers = ["id", "tag", "slot"].flatMap((rel) => outcome.relations[rel]!.map((t) => JSON.parse(t).at(-1) as number));
      expect(new Set(numbers).size, "no number given twice").toBe(numbers.length);
      // Node 0 alone numbers slot (its rule reads no relation): its numbers are node 0's, 0 mod the nodes.
      expect(outcome.relations.slot!.map((t) => (JSON.parse(t)[1] as number) % nodes)).toEqual(new Array(10).fill(0));
    }
  });

  it(`continues from a previous run's relations as --state does, on ${RUNS} random programs: from the given facts, facts gone and new, then one process continues`, async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 1, max: 4 }), async (seed, nodes) => {
        const c = clusterCase(seed);
        if (!c) return;
        // The facts of the last run: every other fact of each input relation, then the rest.
        const half = (keep: number) =>
          Object.fromEntries(Object.entries(c.facts).map(([r, ts]) => [r, ts.filter((_, i) => i % 2 === keep)])) as Facts;
        const [before, after] = [half(0), half(1)];
        const db = loaded(c.program, before);
        try {
          db.runSync();
        } catch {
          return;
        }
        for (const [r, ts] of Object.entries(before))
          db.retract(
            r,
            ts.filter((_, i) => i % 3 === 0),
          );
        for (const [r, ts] of Object.entries(after)) db.insert(r, ts);
        // A retraction takes every copy of a fact; what comes after may bring it back.
        const now = Object.fromEntries(
          Object.keys(c.facts).map((r) => {
            const gone = new Set((before[r] ?? []).filter((_, i) => i % 3 === 0).map((t) => JSON.stringify(t)));
            return [r, [...(before[r] ?? []).filter((t) => !gone.has(JSON.stringify(t))), ...(after[r] ?? [])]];
          }),
        ) as Facts;
        const one = single(c.program, now);
        if (!one.ok) return;
        ran++;
        fromGivenFacts(db.runner);
        await simulateCluster({
          program: c.program,
          source: sourceOf(c.text),
          runner: db.runner,
          nodes,
          seed,
          collect: [...c.program.relations.keys()],
        });
        recordRun(db.runner);
        expect(contents(db, c.program), `generate(${seed}), ${nodes} nodes`).toEqual(one.relations);
        // One process goes on from there, as from a saved state.
        for (const [r, ts] of Object.entries(before))
          db.insert(
            r,
            ts.filter((_, i) => i % 3 === 0),
          );
        db.runSync();
        expect(contents(db, c.program), `generate(${seed}), one process after the cluster`).toEqual(
          (single(c.program, c.facts) as { relations: unknown }).relations,
        );
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(ran, "cases a cluster can run").toBeGreaterThan(RUNS / 4);
  }, 300_000);
});
