// Soufflé's explain interface: commands read from standard input after the
// run (`cairn explain PROG.dl` without a fact, `cairn run -t explain`), each
// proof drawn as Soufflé draws it. The expected output in
// tests/explain-souffle/ was checked by hand against Soufflé's layout: widths
// in bytes (✓ is three), each rule step centred over its premises, a line of
// dashes ending in the rule's number among its relation's clauses (facts
// included), the default depth of 4 cutting the proof into numbered
// subproofs, bindings (`n = 1`) left out, negations and constraints as leaves.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drawTree } from "../cli/souffle-explain.js";
import { cliProcess } from "./cli-helpers.js";

const dir = join(import.meta.dirname, "explain-souffle");
const read = (f: string) => readFileSync(join(dir, f), "utf8");

describe("Soufflé's explain interface", () => {
  it("answers explain, subproof, setdepth, explainnegation and exit; reports other commands", () => {
    const r = cliProcess(["explain", join(dir, "chain.dl")], { input: read("chain.in") });
    expect(r.stdout).toBe(read("chain.stdout"));
    expect(r.stderr).toBe(read("chain.stderr"));
    expect(r.status).toBe(0);
  });

  it("answers query: true. or false. for atoms without variables, else each answer in Soufflé's order, ; for the next, . to stop", () => {
    const r = cliProcess(["explain", join(dir, "query.dl")], { input: read("query.in") });
    expect(r.stdout).toBe(read("query.stdout"));
    expect(r.stderr).toBe(read("query.stderr"));
    expect(r.status).toBe(0);
  });

  it("proves through an eqrel's closure with Soufflé's implicit rules: transitive, then symmetric", () => {
    const r = cliProcess(["explain", join(dir, "eqrel.dl")], { input: read("eqrel.in") });
    expect(r.stdout).toBe(read("eqrel.stdout"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it('reads the commands after a run of a program with .pragma "provenance" "explain", as Soufflé does', () => {
    const out = mkdtempSync(join(tmpdir(), "cairn-explain-"));
    try {
      const program = join(out, "p.dl");
      writeFileSync(program, `.pragma "provenance" "explain"\n${read("chain.dl")}`);
      const r = cliProcess(["run", program, "-D", out], { input: 'query reach("q", x)\n;\n;\nexit\n' });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(["x = r", "x = s", "x = t.", ""].join("\n"));
      expect(r.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("follows a run with -t explain, after writing the outputs", () => {
    const out = mkdtempSync(join(tmpdir(), "cairn-explain-"));
    try {
      const r = cliProcess(["run", join(dir, "chain.dl"), "-D", out, "-t", "explain"], { input: 'explain reach("q", "s")\nexit\n' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(
        [
          '               link("r", "s")  ',
          "               -----------(R1) ",
          'link("q", "r") reach("r", "s") ',
          "---------------------------(R2)",
          '        reach("q", "s")        ',
          "",
        ].join("\n"),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("lays a tree out as Soufflé does: the box as wide as its premises (one space after each) or its text", () => {
    const leaf = (text: string) => ({ text, children: [] });
    expect(drawTree({ text: "conclusion(1)", label: "(R1)", children: [leaf("a"), leaf("b")] })).toBe(
      ["a b          ", "---------(R1)", "conclusion(1)", ""].join("\n"),
    );
    expect(drawTree({ text: "c", label: "(R2)", children: [leaf("a(1)"), leaf("b(22)")] })).toBe(
      ["a(1) b(22) ", "-------(R2)", "     c     ", ""].join("\n"),
    );
  });
});
