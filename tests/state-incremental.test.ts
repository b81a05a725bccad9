// `cairn run --state`: a run that continues from the state saved over fewer
// facts writes exactly what a run from scratch over all the facts writes —
// for plain recursion, lattices (min, max, set) with symbols, negation and
// aggregates, input relations that rules and program facts also fill, an
// eqrel relation — whether the facts files grew at their end, were rewritten
// in another order, or lost and changed facts (which are retracted).

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, outputs, random, shuffled, tempDir, writeFacts } from "./state-helpers.js";

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Facts = Record<string, string[]>;

interface Case {
  readonly name: string;
  readonly program: string;
  readonly facts: (rnd: (n: number) => number) => Facts;
}

const MIXED = `
// An input relation that rules and a program fact also fill, a lattice input,
// negation over a recursive relation.
.decl e(x: number, y: number)
.input e
e(100, 101).
e(x, y) :- back(y, x), x < y.
.decl back(x: number, y: number)
.input back
.decl cap(x: number, c: max<number>)
.input cap
.decl reach(x: number, y: number)
.output reach
reach(x, y) :- e(x, y).
reach(x, z) :- reach(x, y), e(y, z).
.decl best(y: number, c: max<number>)
.output best
best(y, c) :- reach(x, y), cap(x, c).
.decl lonely(x: number)
.output lonely
lonely(x) :- cap(x, _), !reach(x, _).
`;

const EQREL = `
// An eqrel relation given pairs of its own and fed by a rule, read through
// an aggregate and negation.
.decl link(x: symbol, y: symbol)
.input link
.decl same(x: symbol, y: symbol) eqrel
.input same
.output same
same(x, y) :- link(x, y).
.decl size(x: symbol, n: number)
.output size
size(x, n) :- same(x, _), n = count : { same(x, _) }.
.decl apart(x: symbol)
.output apart
apart(x) :- link(x, _), !same(x, "n0").
`;

const node = (rnd: (n: number) => number, n: number) => `n${rnd(n)}`;

const cases: Case[] = [
  {
    name: "transitive closure",
    program: "bench/programs/tc.dl",
    facts: (rnd) => ({ edge: Array.from({ length: 120 }, () => `${rnd(60)}\t${rnd(60)}`) }),
  },
  {
    name: "shortest paths (min lattice, symbols, threshold)",
    program: "programs/shortest-paths/shortest-paths.dl",
    facts: (rnd) => ({
      edge: Array.from({ length: 150 }, () => `${node(rnd, 50)}\t${node(rnd, 50)}\t${1 + rnd(9)}`),
      source: ["n0", "n1"],
    }),
  },
  {
    name: "reachability (negation, count aggregate, symbols)",
    program: "programs/reachability/reachability.dl",
    facts: (rnd) => ({ flight: Array.from({ length: 60 }, () => `${node(rnd, 30)}\t${node(rnd, 30)}`) }),
  },
  {
    name: "symbols beyond Latin-1 (negation, aggregate)",
    program: "programs/reachability/reachability.dl",
    facts: (rnd) => {
      const names = ["Zürich", "東京", "São Paulo", "Αθήνα", "🛫 Nowhere", "Reykjavík", "Kraków", "Đà Nẵng"];
      return { flight: Array.from({ length: 20 }, () => `${names[rnd(names.length)]}\t${names[rnd(names.length)]}`) };
    },
  },
  {
    name: "shopping cart (set lattice)",
    program: "programs/shopping-cart/shopping-cart.dl",
    facts: (rnd) => ({ added: Array.from({ length: 40 }, (_, i) => `r${rnd(4)}\t${i === 30 ? "Book" : `item ${rnd(25)}`}`) }),
  },
  {
    name: "rules and facts into an input relation, lattice input, negation",
    program: join(root, "mixed.dl"),
    facts: (rnd) => ({
      e: Array.from({ length: 50 }, () => `${rnd(40)}\t${rnd(40)}`),
      back: Array.from({ length: 30 }, () => `${rnd(40)}\t${rnd(40)}`),
      cap: Array.from({ length: 40 }, () => `${rnd(45)}\t${rnd(1000)}`),
    }),
  },
  {
    name: "an eqrel relation (classes split when pairs go)",
    program: join(root, "eqrel.dl"),
    facts: (rnd) => ({
      link: Array.from({ length: 25 }, () => `${node(rnd, 40)}\t${node(rnd, 40)}`),
      same: Array.from({ length: 12 }, () => `${node(rnd, 40)}\t${node(rnd, 40)}`),
    }),
  },
];
writeFileSync(join(root, "mixed.dl"), MIXED);
writeFileSync(join(root, "eqrel.dl"), EQREL);

/** The facts cut in three growing parts: 70%, 85%, all of each relation's lines. */
function parts(facts: Facts): Facts[] {
  return [0.7, 0.85, 1].map((f) => Object.fromEntries(Object.entries(facts).map(([r, ls]) => [r, ls.slice(0, Math.ceil(ls.length * f))])));
}

/** Runs every step with one state file, each against a run from scratch over the same facts. */
async function check(program: string, steps: readonly Facts[], extra: string[] = []): Promise<void> {
  const dir = tempDir();
  try {
    const state = join(dir, "run.state");
    for (const [i, facts] of steps.entries()) {
      const f = writeFacts(join(dir, `facts${i}`), facts);
      const scratch = await cli("run", program, "-F", f, "-D", join(dir, `scratch${i}`), ...extra);
      expect(scratch.err).toBe("");
      expect(scratch.code).toBe(0);
      const run = await cli("run", program, "-F", f, "-D", join(dir, `state${i}`), "--state", state, "--stats", ...extra);
      expect(run.code, run.err).toBe(0);
      expect(run.err).toMatch(
        i === 0 ? /^compile \d+ ms, load \d+ ms, evaluate/ : /^compile \d+ ms, load \d+ ms \(state read in \d+ ms\), evaluate/,
      );
      expect(outputs(join(dir, `state${i}`)), `step ${i}`).toEqual(outputs(join(dir, `scratch${i}`)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("cairn run --state equals a run from scratch", () => {
  for (const [k, c] of cases.entries()) {
    it(`${c.name}: facts files that grew at their end`, async () => {
      await check(c.program, parts(c.facts(random(k + 1))));
    });

    it(`${c.name}: facts removed, changed and added at random`, async () => {
      const rnd = random(200 + k);
      const all = c.facts(rnd);
      // Each step keeps a random 60 to 95% of each relation's lines.
      const steps = [0, 1, 2, 3].map(() =>
        Object.fromEntries(
          Object.entries(all).map(([r, ls]) => [
            r,
            shuffled(
              ls.filter(() => rnd(100) < 60 + rnd(36)),
              rnd,
            ),
          ]),
        ),
      );
      await check(c.program, steps);
    });

    it(`${c.name}: facts rewritten in another order`, async () => {
      const rnd = random(100 + k);
      const steps = parts(c.facts(rnd)).map((f) => Object.fromEntries(Object.entries(f).map(([r, ls]) => [r, shuffled(ls, rnd)])));
      await check(c.program, steps);
    });
  }

  it("with duplicate lines and facts the state already holds appended again", async () => {
    const edges = Array.from({ length: 80 }, (_, i) => `${i % 30}\t${(i * 7) % 30}`);
    await check("bench/programs/tc.dl", [
      { edge: edges.slice(0, 50) },
      { edge: [...edges.slice(0, 50), ...edges.slice(0, 10), ...edges.slice(50)] },
    ]);
  });

  it("over an input that did not change: the state file is left as it was", async () => {
    const dir = tempDir();
    try {
      const f = writeFacts(join(dir, "f"), { edge: ["1\t2", "2\t3"] });
      const state = join(dir, "s");
      expect((await cli("run", "bench/programs/tc.dl", "-F", f, "-D", join(dir, "o"), "--state", state)).code).toBe(0);
      const again = await cli("run", "bench/programs/tc.dl", "-F", f, "-D", join(dir, "o"), "--state", state, "--stats");
      expect(again.code).toBe(0);
      expect(again.err).toMatch(/, save state skipped \(unchanged\); peak rss/);
      expect(outputs(join(dir, "o"))).toEqual({ "path.csv": ["1\t2", "1\t3", "2\t3"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with worker threads", async () => {
    const before = { ...process.env };
    process.env.CAIRN_PARALLEL_THRESHOLD = "0";
    process.env.CAIRN_PARALLEL_AFTER_MS = "0";
    try {
      const mixed = cases.find((c) => c.program.endsWith("mixed.dl"))!;
      const [first, , all] = parts(mixed.facts(random(8)));
      await check(join(root, "mixed.dl"), [first!, all!], ["-j", "2"]);
    } finally {
      process.env.CAIRN_PARALLEL_THRESHOLD = before.CAIRN_PARALLEL_THRESHOLD;
      process.env.CAIRN_PARALLEL_AFTER_MS = before.CAIRN_PARALLEL_AFTER_MS;
      if (before.CAIRN_PARALLEL_THRESHOLD === undefined) delete process.env.CAIRN_PARALLEL_THRESHOLD;
      if (before.CAIRN_PARALLEL_AFTER_MS === undefined) delete process.env.CAIRN_PARALLEL_AFTER_MS;
    }
  });
});
