// `cairn explain` on the bundled programs: proof trees through recursion,
// negation and aggregates, lattice values (the derivation of the value a key
// holds), the depth limit, JSON, "why not", and facts that cannot be read.
// Each case's .args file holds the command's arguments, one a line; its
// .stdout and .stderr files what the command must print.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.js";
import { compile } from "../index.js";
import { scratchDir } from "./cli-helpers.js";

const root = join(import.meta.dirname, "explain");
const cases = readdirSync(root)
  .filter((f) => f.endsWith(".args"))
  .map((f) => f.slice(0, -5))
  .sort();
/** Set CAIRN_UPDATE_GOLDEN=1 to write the files from the current output (then read them). */
const update = process.env.CAIRN_UPDATE_GOLDEN === "1";

describe("cairn explain", () => {
  for (const name of cases) {
    it(name, async () => {
      const args = readFileSync(join(root, `${name}.args`), "utf8")
        .split("\n")
        .filter((l) => l.length > 0);
      let stdout = "";
      let stderr = "";
      const code = await main(["explain", ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
      const outFile = join(root, `${name}.stdout`);
      const errFile = join(root, `${name}.stderr`);
      if (update) {
        writeFileSync(outFile, stdout);
        if (stderr !== "") writeFileSync(errFile, stderr);
      }
      expect(stdout).toBe(readFileSync(outFile, "utf8"));
      expect(stderr).toBe(existsSync(errFile) ? readFileSync(errFile, "utf8") : "");
      expect(code).toBe(stderr === "" ? 0 : 2);
    });
  }
});

describe("db.explain", () => {
  const p = compile(
    `.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`,
    { file: "paths.dl" },
  );

  it("gives a proof whose every step is an instance of its rule, down to given facts", () => {
    const db = p.database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
      [3, 1],
      [3, 4],
    ]);
    db.runSync();
    const proof = db.explain("path", [1, 4]);
    if (proof.kind === "absent") throw new Error("path(1, 4) holds");
    // Checked independently of the explanation: each rule step joins facts that hold into its head.
    const holds = (rel: string, t: readonly unknown[]) => db.tuples(rel).some((u) => JSON.stringify(u) === JSON.stringify(t));
    const check = (n: typeof proof): number => {
      expect(holds(n.relation, n.tuple)).toBe(true);
      if (n.kind === "given") {
        expect(n.relation).toBe("edge");
        return 0;
      }
      const [a, b] = n.premises!.map((q) => q.tuple as number[]);
      if (n.rule!.line === 3) expect([n.premises!.length, a]).toEqual([1, n.tuple]);
      else expect([a![0], a![1], b![0], b![1]]).toEqual([n.tuple[0], b![0], a![1], n.tuple[1]]);
      return 1 + Math.max(...n.premises!.map(check));
    };
    expect(check(proof)).toBeGreaterThan(1);
  });

  it("is stale-proof: facts inserted or retracted after an explanation are explained anew", () => {
    const db = p.database();
    db.insert("edge", [[1, 2]]);
    expect(db.explain("path", [1, 3]).kind).toBe("absent");
    db.insert("edge", [[2, 3]]);
    expect(db.explain("path", [1, 3]).kind).toBe("rule");
    db.retract("edge", [[2, 3]]);
    expect(db.explain("path", [1, 3]).kind).toBe("absent");
  });
});

describe("cairn explain on records and ADTs", () => {
  const program = join(scratchDir("cairn-explain-records-"), "walks.dl");
  writeFileSync(
    program,
    `.type List = [head: number, tail: List]
.type End = Stop {} | Loop {at: number}
.decl edge(x: number, y: number)
edge(1, 2). edge(2, 3). edge(3, 3).
.decl walk(x: number, l: List)
walk(x, [x, nil]) :- edge(x, _).
walk(y, [y, l]) :- walk(x, l), edge(x, y), x != y.
.decl ends(x: number, e: End)
ends(x, $Loop(x)) :- edge(x, x).
`,
  );
  const explain = async (fact: string) => {
    let stdout = "";
    let stderr = "";
    const code = await main(["explain", program, fact], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };

  it("reads record and ADT arguments as written, and shows them as Soufflé writes them", async () => {
    const walk = await explain("walk(3, [3, [2, [1, nil]]])");
    expect(walk.stderr).toBe("");
    const facts = walk.stdout.split("\n").map((l) => /(?:^|─ )(\w+\([^⟸]*\))/.exec(l)?.[1]?.trim());
    expect(facts.slice(0, 3)).toEqual(["walk(3, [3, [2, [1, nil]]])", "walk(2, [2, [1, nil]])", "walk(1, [1, nil])"]);
    // The rules as written: nil and $Loop(x), not the numbers and records the checks lower them to.
    expect(walk.stdout).toContain("walk(x, [x, nil]) :- edge(x, _).");
    const loop = await explain("ends(3, $Loop(3))");
    expect(loop.stdout.split("\n")[0]).toBe(`ends(3, $Loop(3))  ⟸ ${program}:9  ends(x, $Loop(x)) :- edge(x, x).`);
    expect((await explain("ends(2, $Loop(2))")).stdout.split("\n")[0]).toBe("ends(2, $Loop(2)) does not hold");
  });
});
