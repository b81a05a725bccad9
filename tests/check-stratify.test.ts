// Stratification: strata in evaluation order, recursion, negation and
// aggregation through recursion reported with their cycle, autoinc() in
// recursive rules; Tarjan on large graphs.

import { describe, expect, it } from "vitest";
import { tarjan } from "../lang/check/stratify.js";
import { brief, checkText, notes, okProgram } from "./check-helpers.js";

describe("strata", () => {
  it("orders strata so that each only reads itself and earlier ones", () => {
    const p = okProgram(
      ".decl unreachable(x:number, y:number)\n.decl path(x:number, y:number)\n.decl node(x:number)\n.decl edge(x:number, y:number) input\n.decl count_(n:number)\n" +
        "unreachable(x, y) :- node(x), node(y), !path(x, y).\n" +
        "path(x, y) :- edge(x, y).\n" +
        "path(x, z) :- path(x, y), edge(y, z).\n" +
        "node(x) :- edge(x, _) ; edge(_, x).\n" +
        "count_(n) :- n = count : { unreachable(_, _) }.\n",
    );
    expect(p.strata).toEqual([
      { relations: ["edge"], rules: [], recursive: false },
      { relations: ["node"], rules: [3, 4], recursive: false },
      { relations: ["path"], rules: [1, 2], recursive: true },
      { relations: ["unreachable"], rules: [0], recursive: false },
      { relations: ["count_"], rules: [5], recursive: false },
    ]);
    // Every relation is in exactly one stratum, after everything it reads.
    const position = new Map(p.strata.flatMap((s, i) => s.relations.map((r) => [r, i] as const)));
    expect([...position.keys()].sort()).toEqual([...p.relations.keys()].sort());
    for (const rule of p.rules) {
      const reads = [...JSON.stringify(rule.body).matchAll(/"relation":"(\w+)"/g)].map((m) => m[1]!);
      for (const r of reads) expect(position.get(r)!).toBeLessThanOrEqual(position.get(rule.head.relation)!);
    }
  });

  it("groups mutually recursive relations into one stratum", () => {
    const p = okProgram(
      ".decl e(x:number, y:number) input\n.decl odd(x:number)\n.decl even(x:number)\n" +
        "even(0).\neven(y) :- odd(x), e(x, y).\nodd(y) :- even(x), e(x, y).\n",
    );
    expect(p.strata).toEqual([
      { relations: ["e"], rules: [], recursive: false },
      { relations: ["odd", "even"], rules: [0, 1, 2], recursive: true },
    ]);
  });
});

describe("negation and aggregation through recursion", () => {
  it("reports negation inside a cycle with the whole cycle, one note per edge", () => {
    const r = checkText(
      ".decl a(x:number) input\n.decl p(x:number)\n.decl q(x:number)\n.decl s(x:number)\n" +
        "p(x) :- a(x), !q(x).\nq(x) :- s(x).\ns(x) :- p(x).\n",
    );
    expect(r.errors.map(brief)).toEqual([
      '5:15 negation-in-recursion: cannot stratify: "p" depends on the negation of "q", which in turn depends on "p" (cycle: p -> !q -> s -> p)',
    ]);
    expect(notes(r.errors[0]!)).toEqual([
      '5:15 "p" depends on the negation of "q" here',
      '6:9 "q" depends on "s" here',
      '7:9 "s" depends on "p" here',
    ]);
  });

  it("reports a relation negating itself", () => {
    const r = checkText(".decl a(x:number) input\n.decl p(x:number)\np(x) :- a(x), !p(x).\n");
    expect(r.errors.map(brief)).toEqual(['3:15 negation-in-recursion: cannot stratify: "p" depends on its own negation (cycle: p -> !p)']);
  });

  it("reports aggregation inside a cycle", () => {
    const r = checkText(".decl a(x:number) input\n.decl p(x:number)\np(x) :- a(x).\np(n) :- n = sum x : { p(x) }.\n");
    expect(r.errors.map(brief)).toEqual(['4:23 aggregate-in-recursion: cannot stratify: "p" aggregates over itself (cycle: p -> sum(p))']);
    expect(notes(r.errors[0]!)).toEqual(['4:23 "p" aggregates over "p" here (sum)']);
  });

  it("reports autoinc() in a recursive rule", () => {
    const r = checkText(".decl p(x:number)\np(0).\np(autoinc()) :- p(x), x < 10.\n");
    expect(r.errors.map(brief)).toEqual(["3:3 autoinc-in-recursion: autoinc() cannot be used in a recursive rule"]);
    expect(notes(r.errors[0]!)).toEqual(['3:17 the rule is recursive: it reads "p" here']);
    okProgram(".decl a(x:symbol) input\n.decl id(x:symbol, n:number)\nid(x, autoinc()) :- a(x).\n");
  });
});

describe("eqrel", () => {
  it("adds the closure rules of an equivalence relation to its (recursive) stratum", () => {
    const p = okProgram('.decl same(x:symbol, y:symbol) eqrel\nsame("a", "b").\n');
    expect(p.rules.length).toBe(5);
    expect(
      p.rules
        .slice(1)
        .map(
          (r) =>
            `${r.head.args.map((a) => (a.kind === "var" ? a.name : "_")).join(",")} :- ${r.body.map((l) => (l.kind === "atom" ? l.args.map((a) => (a.kind === "var" ? a.name : "_")).join(",") : "?")).join(" ; ")}`,
        ),
    ).toEqual(["x,x :- x,_", "x,x :- _,x", "y,x :- x,y", "x,z :- x,y ; y,z"]);
    expect(p.rules.slice(1).every((r) => r.head.args.every((a) => a.type === "symbol"))).toBe(true);
    expect(p.strata).toEqual([{ relations: ["same"], rules: [0, 1, 2, 3, 4], recursive: true }]);
  });
});

describe("tarjan", () => {
  it("handles long chains and big cycles without recursion", () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    const sccs = tarjan(n, chain);
    expect(sccs.length).toBe(n);
    expect(sccs[0]).toEqual([n - 1]); // what 0 depends on, transitively, comes first
    const cycle = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    expect(tarjan(n, cycle).map((c) => c.length)).toEqual([n]);
  });

  it("stratifies a program with thousands of relations", () => {
    const k = 3000;
    const lines = [".decl r0(x:number) input"];
    for (let i = 1; i < k; i++) lines.push(`.decl r${i}(x:number)`, `r${i}(x) :- r${i - 1}(x).`);
    lines.push(`r1(x) :- r${k - 1}(x), x > 0.`);
    const p = okProgram(lines.join("\n") + "\n");
    expect(p.strata.length).toBe(2);
    expect(p.strata[1]!.relations.length).toBe(k - 1);
    expect(p.strata[1]!.recursive).toBe(true);
  });
});
