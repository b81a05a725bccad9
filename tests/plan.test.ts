// `.plan`: parsed into the AST, checked as Soufflé checks it (a version the
// rule has, every atom once, a recursive rule), and followed: the planned
// version joins its atoms in the order given, with the same result as
// Cairn's own order on random graphs.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";
import { parse } from "../lang/parse/parse.js";
import type { Clause } from "../lang/ast.js";
import { brief, checkText } from "./check-helpers.js";

const errorsOf = (text: string) => checkText(text).errors.map(brief);

const decls = ".decl e(x: number, y: number)\n.decl p(x: number, y: number)\n.input e\n";
const sorted = (ts: readonly Tuple[]) => ts.map((t) => JSON.stringify(t)).sort();

describe(".plan", () => {
  it("is read into the clause, one entry per version", () => {
    const c = parse("p(x, z) :- p(x, y), e(y, z). .plan 0: (2, 1), 1:(1,2)", "t.dl").program.items[0] as Clause;
    expect(c.plan?.map((e) => [e.version, e.order, e.span.start.col])).toEqual([
      [0, [2, 1], 36],
      [1, [1, 2], 47],
    ]);
  });

  it("is checked against the rule's versions and atoms", () => {
    const rule = (plan: string) => errorsOf(`${decls}p(x, y) :- e(x, y).\np(x, z) :- p(x, y), e(y, z), x != z. .plan ${plan}`);
    expect(rule("0:(2,1)")).toEqual([]);
    expect(rule("1:(2,1)")).toEqual(["5:44 bad-plan: this rule has version 0 only (one per atom of its recursive stratum), not 1"]);
    expect(rule("0:(1)")).toEqual(["5:44 bad-plan: the rule's body has 2 atoms, and a plan orders all of them, not 1"]);
    expect(rule("0:(1,1)")).toEqual(["5:44 bad-plan: atom 1 is listed twice"]);
    expect(rule("0:(1,3)")).toEqual(["5:44 bad-plan: there is no atom 3: atoms are numbered 1 to 2"]);
    expect(rule("0:(2,1), 0:(1,2)")).toEqual(["5:53 bad-plan: version 0 is planned twice"]);
    expect(errorsOf(`${decls}p(x, y) :- e(x, y), e(y, x). .plan 0:(2,1)`)).toEqual([
      "4:36 bad-plan: a .plan is for a rule of a recursive stratum; this rule runs once, in the order Cairn chooses",
    ]);
    expect(errorsOf(`${decls}p(x, y) :- e(x, y).\np(x, z) :- p(x, y), (e(y, z) ; e(z, y)). .plan 0:(2,1)`)).toEqual([
      "5:48 bad-plan: a .plan on a clause with alternatives (;) is not supported: write one clause per alternative",
    ]);
  });

  it("orders the planned version's joins, with the same result", () => {
    const base = `${decls}.output p\np(x, y) :- e(x, y).\np(x, z) :- p(x, y), e(y, z).`;
    const planned = compile(`${base} .plan 0:(2,1)`);
    const free = compile(base);
    // The delta version of rule 1, as planned before any data is known, and its generated code.
    const version = (p: typeof planned) => {
      const runner = p.database().runner;
      const plan = runner
        .stratumPlans()
        .flatMap((s) => s.step)
        .find((v) => v.rule.id === 1 && v.version.kind === "delta")!;
      const compiled = runner.generate(plan);
      return { plan, code: compiled.source, relations: compiled.relations };
    };
    // Cairn's own order reads the delta of p first; the plan puts e first, and says so.
    expect(version(free).plan.order).toEqual([0, 1]);
    expect(version(planned).plan.order).toEqual([1, 0]);
    expect(version(planned).plan.orderedBy).toBe("plan");
    // The outermost loop of the code reads p's delta, or all of e ($R0 is the relation read first).
    const outermost = (code: string) => /for \(let \$r\d+ = (\S+); \$r\d+ < (\S+);/.exec(code)!.slice(1);
    expect(outermost(version(free).code)).toEqual(["$R0lo", "$R0hi"]);
    expect(version(free).relations[0]).toBe("p");
    expect(outermost(version(planned).code)).toEqual(["0", "$R0hi"]);
    expect(version(planned).relations[0]).toBe("e");
    expect(version(planned).code).toMatch(/^\/\/ rule 1 \(delta 0\): p\(x, z\) :- p\(x, y\), e\(y, z\)\.\n/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 25 }), (edges) => {
        expect(sorted(planned.run({ e: edges }).p!)).toEqual(sorted(free.run({ e: edges }).p!));
      }),
      { numRuns: 100 },
    );
  });
});
