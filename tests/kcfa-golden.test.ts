// Golden outputs of programs/kcfa/examples/NAME.cps, in NAME/kK (both variants) or
// NAME/kK-VARIANT: through `cairn kcfa`, and through `cairn run` on the emitted
// facts with and without the lattice part.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rulesFile, VARIANTS } from "../programs/kcfa/analysis.js";
import { cliSync as cli, scratchDir } from "./cli-helpers.js";

const examples = join(import.meta.dirname, "..", "programs", "kcfa", "examples");
const scratch = scratchDir("cairn-kcfa-golden-");

const OUTPUTS = ["calls.csv", "flows.csv", "halts.csv", "monomorphic.csv"];
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const sortedLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .sort();

interface Case {
  readonly name: string;
  readonly k: number;
  readonly variant: (typeof VARIANTS)[number];
  readonly expected: string;
}

const cases: Case[] = [];
for (const file of readdirSync(examples).filter((f) => f.endsWith(".cps"))) {
  const name = file.slice(0, -4);
  const dirs = readdirSync(join(examples, name));
  for (const d of dirs) {
    const m = /^k(\d+)(?:-(flat|env))?$/.exec(d);
    if (!m) continue;
    const variants = m[2] ? [m[2] as Case["variant"]] : VARIANTS;
    for (const variant of variants) cases.push({ name, k: Number(m[1]), variant, expected: join(examples, name, d) });
  }
}

describe("k-CFA golden examples", () => {
  it("has the LVish example with k = 0 and k = 1", () => {
    expect(cases.filter((c) => c.name === "lvish").map((c) => c.k)).toEqual(expect.arrayContaining([0, 1]));
  });

  for (const c of cases) {
    it(`${c.name} with k = ${c.k}, ${c.variant}: cairn kcfa`, () => {
      const out = join(scratch, `${c.name}-${c.k}-${c.variant}`);
      const r = cli("kcfa", join(examples, `${c.name}.cps`), "-k", String(c.k), "--variant", c.variant, "-D", out);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual(OUTPUTS);
      for (const f of OUTPUTS) expect(read(out, f), f).toBe(read(c.expected, f));
    });

    it(`${c.name} with k = ${c.k}, ${c.variant}: cairn run on the emitted facts`, () => {
      const facts = join(scratch, `${c.name}-${c.k}-${c.variant}-facts`);
      const out = join(scratch, `${c.name}-${c.k}-${c.variant}-run`);
      const emitted = cli("kcfa", join(examples, `${c.name}.cps`), "-k", String(c.k), "--emit-facts", facts);
      expect(emitted.code).toBe(0);
      const r = cli("run", rulesFile(c.variant), "-F", facts, "-D", out);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      for (const f of OUTPUTS) expect(sortedLines(read(out, f)), f).toEqual(sortedLines(read(c.expected, f)));
      // Without the lattice part, as Soufflé runs the rules: the same three results.
      const plain = join(scratch, `${c.name}-${c.k}-${c.variant}-plain`);
      expect(cli("run", rulesFile(c.variant), "-M", "PLAIN_DATALOG", "-F", facts, "-D", plain).code).toBe(0);
      expect(readdirSync(plain).sort()).toEqual(OUTPUTS.filter((f) => f !== "monomorphic.csv"));
      for (const f of readdirSync(plain)) expect(sortedLines(read(plain, f)), f).toEqual(sortedLines(read(c.expected, f)));
    });
  }
});
