// Golden plans: `cairn run --emit plan` on every example under programs/ with
// its facts must print exactly the text in tests/plans/NAME.plan (strata,
// freeze points, join orders, indexes and the planner's estimates), and
// `--emit code` must put each rule's text above its code. After a change to
// the planner, review the differences and regenerate the files with
// CAIRN_UPDATE_GOLDEN=1 npx vitest run tests/plan-golden.test.ts.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cliSync } from "./cli-helpers.js";

const programs = join(import.meta.dirname, "..", "programs");
const goldens = join(import.meta.dirname, "plans");
const examples = readdirSync(programs, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(programs, d.name, "facts")))
  .map((d) => d.name)
  .sort();
const update = process.env.CAIRN_UPDATE_GOLDEN === "1";

describe("--emit plan on the bundled programs", () => {
  it("covers every example with facts", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(readdirSync(goldens).sort()).toEqual(examples.map((n) => `${n}.plan`));
  });
  for (const name of examples) {
    it(name, () => {
      const dir = relative(process.cwd(), join(programs, name));
      const r = cliSync("run", join(dir, `${name}.dl`), "-F", join(dir, "facts"), "--emit", "plan");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const file = join(goldens, `${name}.plan`);
      if (update) writeFileSync(file, r.out);
      expect(r.out).toBe(readFileSync(file, "utf8"));
    });
  }
});

describe("--emit code", () => {
  it("puts each rule version's text above its code, with the Datalog variables' names", () => {
    const dir = relative(process.cwd(), join(programs, "reachability"));
    const r = cliSync("run", join(dir, "reachability.dl"), "-F", join(dir, "facts"), "--emit", "code");
    expect(r.code).toBe(0);
    const versions = r.out.split(/\n(?=\/\/ rule )/);
    expect(versions.map((v) => v.split("\n")[0])).toEqual([
      "// rule 0 (base): airport(a) :- flight(a, _).",
      "// rule 1 (base): airport(a) :- flight(_, a).",
      "// rule 2 (base): reachable(x, y) :- flight(x, y).",
      "// rule 3 (delta 0): reachable(x, z) :- reachable(x, y), flight(y, z).",
      "// rule 4 (base): unreachable(x, y) :- airport(x), airport(y), x != y, !reachable(x, y).",
      "// rule 5 (base): destinations(a, n) :- airport(a), n = count : { reachable(a, _) }.",
    ]);
    const step = versions[3]!;
    expect(step).toMatch(/\nconst x = \$d\d+\[\$b\d+ \+ 0\];\nconst y = \$d\d+\[\$b\d+ \+ 1\];\n/);
    expect(step).toMatch(/\nconst z = \$d\d+\[\$b\d+ \+ 1\];\n/);
  });
});

describe("cairn graph --operators", () => {
  it("draws each version's pipeline, fed by the relations it reads, with freeze edges into negations and aggregates", () => {
    const dir = relative(process.cwd(), join(programs, "reachability"));
    const r = cliSync("graph", join(dir, "reachability.dl"), "--operators", "--format", "mermaid");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").map((l) => l.trim());
    // The delta version of the recursive rule: scan the delta of reachable, probe flight by y, insert.
    expect(lines).toContain('o3_0_0(["scan reachable<br/><small>Δ · rule 3 Δ0</small>"])');
    expect(lines).toContain('o3_0_1(["probe flight<br/><small>by y · rule 3 Δ0</small>"])');
    expect(lines).toContain("o3_0_0 --> o3_0_1");
    expect(lines).toContain("o3_0_2 --> r2");
    // The negation of rule 4 and the count of rule 5 wait for reachable (r2): freeze edges.
    expect(lines).toContain('r2 -.->|"freeze"| o4_b_3');
    expect(lines).toContain('r2 -.->|"freeze"| o5_b_1');
    // Reads of finished relations by monotone operators are plain edges.
    expect(lines).toContain("r1 --> o4_b_0");
    const plain = cliSync("graph", join(dir, "reachability.dl"), "--format", "mermaid");
    expect(plain.out).not.toContain("probe flight");
  });
});
