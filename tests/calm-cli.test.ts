// `cairn analyze` and `cairn graph`: the text report, the JSON document of
// schema cairn.analysis/1, the DOT and Mermaid graphs, SVG through Graphviz
// when `dot` is on PATH and a clear message when it is not.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NO_DOT, onPath } from "../cli/graph.js";
import { main } from "../cli/main.js";
import { cliSync as cli } from "./cli-helpers.js";

const CHECKOUT = "tests/calm/cart-checkout.dl";

describe("cairn analyze", () => {
  it("prints every relation, rule, output, stratum and freeze point, located", () => {
    const r = cli("analyze", CHECKOUT);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`tests/calm/cart-checkout.dl: 4 relations, 1 rule, 1 freeze point, 1 barrier

Relations
  add       monotone          tests/calm/cart-checkout.dl:3:1 (input)
    tests/calm/cart-checkout.dl:6:1: input relation
  remove    monotone          tests/calm/cart-checkout.dl:4:1 (input)
    tests/calm/cart-checkout.dl:7:1: input relation
  checkout  monotone          tests/calm/cart-checkout.dl:5:1 (input)
    tests/calm/cart-checkout.dl:8:1: input relation
  summary   non-monotone      tests/calm/cart-checkout.dl:9:1 (output)
    tests/calm/cart-checkout.dl:11:42: rule 0: negation of "remove": only the complete "remove" shows that a fact is absent

Rules
  rule 0  non-monotone      tests/calm/cart-checkout.dl:11:1  summary(s, i) :- checkout(s), add(s, i), !remove(s, i).
    tests/calm/cart-checkout.dl:11:42: negation of "remove": only the complete "remove" shows that a fact is absent

Outputs
  summary  needs coordination: it waits for "remove" (rule 0, negation) to be frozen

Strata
  0  add
  ── no coordination
  1  remove
  ── no coordination
  2  checkout
  ── barrier: "remove" must be frozen first (a coordination point)
  3  summary

Freeze points
  tests/calm/cart-checkout.dl:11:42: "remove" frozen for rule 0 (negation): negation of "remove": only the complete "remove" shows that a fact is absent
`);
  });

  it("colours classes like the diagnostics when asked to", () => {
    const before = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = "1";
    try {
      let out = "";
      main(["analyze", CHECKOUT], { stdout: (s) => (out += s), stderr: () => {}, tty: { isTTY: false } as NodeJS.WriteStream });
      expect(out).toContain("\x1b[31m");
    } finally {
      if (before === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = before;
    }
  });

  it("gives the same as JSON with schema cairn.analysis/1", () => {
    const r = cli("analyze", "tests/calm/gcounter-read.dl", "--format", "json");
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out);
    expect(Object.keys(a).slice(0, 2)).toEqual(["schema", "program"]);
    expect(a.schema).toBe("cairn.analysis/1");
    expect(a.program).toBe("tests/calm/gcounter-read.dl");
    expect(a.relations.map((x: { name: string; class: string }) => [x.name, x.class])).toEqual([
      ["incr", "monotone"],
      ["counter", "lattice-monotone"],
      ["count_a", "non-monotone"],
      ["ten_a", "threshold"],
    ]);
    expect(a.relations[3].reasons).toEqual([
      {
        message: 'rule 2: n >= 10 is a threshold on the max<number> value of "counter": once true it stays true',
        span: { file: "tests/calm/gcounter-read.dl", start: { line: 12, col: 29, offset: 375 }, end: { line: 12, col: 36, offset: 382 } },
      },
    ]);
    expect(
      a.rules.map((x: { id: number; class: string; span: { start: { line: number } } }) => [x.id, x.class, x.span.start.line]),
    ).toEqual([
      [0, "lattice-monotone", 6],
      [1, "non-monotone", 11],
      [2, "threshold", 12],
    ]);
    expect(a.freezePoints).toEqual([
      expect.objectContaining({
        relation: "counter",
        rule: 1,
        kind: "exact-read",
        span: expect.objectContaining({ start: expect.objectContaining({ line: 11, col: 15 }) }),
      }),
    ]);
    expect(a.freezePoints[0].reason).toBe(
      'the max<number> value of "counter" is bound into the ordinary column "n" of "count_a": an exact read of a value that may still grow',
    );
    expect(a.strata).toEqual([["incr"], ["counter"], ["count_a"], ["ten_a"]]);
    expect(a.outputs.map((o: { relation: string; coordinationFree: boolean }) => [o.relation, o.coordinationFree])).toEqual([
      ["count_a", false],
      ["ten_a", true],
    ]);
  });

  it("stops at the checks' errors", () => {
    const r = cli("analyze", "tests/calm/min-aggregate-recursion.dl");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[aggregate-in-recursion]");
    expect(r.err).toContain("min<number>");
  });

  it("rejects an unknown format", () => {
    expect(cli("analyze", CHECKOUT, "--format", "yaml").code).toBe(2);
  });
});

describe("cairn graph", () => {
  it("draws DOT: strata as clusters, freeze edges red and dashed", () => {
    const r = cli("graph", CHECKOUT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^digraph "tests\/calm\/cart-checkout\.dl" \{\n {2}rankdir=LR;/);
    expect(r.out).toContain('  subgraph cluster_3 {\n    label="stratum 3: barrier first";');
    expect(r.out).toContain('    u0 [label="rule 0\\njoin, negation", color="#cf222e"');
    expect(r.out).toContain('  r1 -> u0 [color="#cf222e", style=dashed, penwidth=2, label="freeze: negation", fontsize=9];');
    expect(r.out).toContain("  r0 -> u0;\n");
    expect(r.out).toContain("  u0 -> r3;\n");
  });

  it("draws Mermaid, with thresholds labelled", () => {
    const r = cli("graph", "tests/calm/vote-threshold.dl", "--format", "mermaid");
    expect(r.code).toBe(0);
    expect(r.out).toBe(`flowchart LR
  subgraph s0["stratum 0"]
    r0[/"vote<br/><small>monotone</small>"/]
  end
  subgraph s1["stratum 1"]
    r1["votes<br/><small>lattice-monotone, max#lt;number#gt;</small>"]
    u0(["rule 0<br/><small>count, lattice join</small>"])
  end
  subgraph s2["stratum 2"]
    r2[["popular<br/><small>threshold</small>"]]
    u1(["rule 1<br/><small>filter</small>"])
  end
  r0 --> u0
  u0 --> r1
  r1 -->|"threshold"| u1
  u1 --> r2
  classDef monotone stroke:#1a7f37,color:#1a7f37
  classDef threshold stroke:#8250df,color:#8250df
  classDef latticeMonotone stroke:#0969da,color:#0969da
  classDef nonMonotone stroke:#cf222e,color:#cf222e
  class r0 monotone
  class r2,u1 threshold
  class r1,u0 latticeMonotone
  linkStyle 2 stroke:#8250df
`);
  });

  it("explains what to do when Graphviz is missing", () => {
    const empty = mkdtempSync(join(tmpdir(), "cairn-nodot-"));
    const before = process.env.PATH;
    process.env.PATH = empty;
    try {
      const r = cli("graph", CHECKOUT, "--format", "svg");
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toBe(NO_DOT);
    } finally {
      process.env.PATH = before;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.skipIf(!onPath("dot"))("renders SVG with Graphviz", () => {
    const r = cli("graph", CHECKOUT, "--format", "svg");
    expect(r.code).toBe(0);
    expect(r.out).toContain("<svg");
    expect(r.out).toContain("freeze: negation");
  });
});
