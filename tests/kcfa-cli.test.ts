// `cairn kcfa` on the command line: outputs to a folder or standard output,
// --emit-facts, --stats, and the exit codes and messages for bad input.

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INPUT_RELATIONS } from "../programs/kcfa/facts.js";
import { cliSync as cli, scratchDir } from "./cli-helpers.js";

const lvish = join(import.meta.dirname, "..", "programs", "kcfa", "examples", "lvish.cps");
const scratch = scratchDir("cairn-kcfa-cli-");

describe("cairn kcfa", () => {
  it("prints the three outputs with -D -", () => {
    const r = cli("kcfa", lvish, "-k", "1", "-D", "-");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "---------------\nflows\n===============\na\t4\nb\t8\nid\t12\nk\t6\nk\t10\nx\t4\nx\t8\n===============\n" +
        "---------------\ncalls\n===============\n1\t2\n3\t12\n7\t12\n11\t0\n13\t6\n13\t10\n===============\n" +
        "---------------\nhalts\n===============\n8\n===============\n" +
        "---------------\nmonomorphic\n===============\n1\t2\n3\t12\n7\t12\n11\t0\n===============\n",
    );
  });

  it("defaults to k = 0 and flat closures", () => {
    const r = cli("kcfa", lvish, "-D", "-");
    expect(r.out).toContain("halts\n===============\n4\n8\n");
  });

  it("writes only the facts with --emit-facts alone, and says how to run the rules", () => {
    const dir = join(scratch, "facts");
    const r = cli("kcfa", lvish, "-k", "2", "--emit-facts", dir);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(INPUT_RELATIONS.map((n) => `${n}.facts`).sort());
    expect(r.err).toMatch(/^wrote the input facts to .*; run the rules with: cairn run .*flat\.dl -F .* -D OUT\n$/);
    expect(r.out).toBe("");
  });

  it("writes the facts and the outputs with --emit-facts and -D", () => {
    const facts = join(scratch, "facts2");
    const out = join(scratch, "out2");
    expect(cli("kcfa", lvish, "--emit-facts", facts, "-D", out).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["calls.csv", "flows.csv", "halts.csv", "monomorphic.csv"]);
    expect(existsSync(join(facts, "k.facts"))).toBe(true);
  });

  it("prints statistics with --stats", () => {
    const r = cli("kcfa", lvish, "-k", "1", "--variant", "env", "-D", join(scratch, "stats"), "--stats");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^7 calls, 6 lambdas; k = 1, env; parse \d+ ms, analyse \d+ ms; reach 6, value 14, enter 5, store 7; peak rss \d+ MiB\n$/,
    );
  });

  it("reports errors in the CPS program with exit code 1", () => {
    const bad = join(scratch, "bad.cps");
    writeFileSync(bad, "(let ((f (lambda (x) (g x))))\n  (f y))\n");
    const r = cli("kcfa", bad, "-D", join(scratch, "never"));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:1:23: error[unbound-variable]: variable "g" is not bound here`);
    expect(r.err).toContain(`${bad}:2:6: error[unbound-variable]: variable "y" is not bound here`);
    expect(r.err.endsWith(`cairn: 2 errors in ${bad}\n`)).toBe(true);
    expect(existsSync(join(scratch, "never"))).toBe(false);
  });

  it("rejects a bad command line with exit code 2", () => {
    expect(cli("kcfa", lvish, "-k", "x").code).toBe(2);
    expect(cli("kcfa", lvish, "-k", "-1").code).toBe(2);
    expect(cli("kcfa", lvish, "--variant", "deep").code).toBe(2);
    const missing = cli("kcfa", join(scratch, "missing.cps"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read");
  });

  it("exits with 4 when the outputs cannot be written", () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const r = cli("kcfa", lvish, "-D", join(file, "sub"));
    expect(r.code).toBe(4);
    expect(r.err).toContain("error[output]");
  });
});
