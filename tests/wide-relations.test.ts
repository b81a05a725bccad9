// Relations with many columns: facts in the program and in a facts file are
// kept (the rows given directly used to outgrow their buffer past 64 columns),
// joined and written back.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliSync, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-wide-");

describe("a relation of 300 columns", () => {
  it("takes facts from the program and from a file, and writes them", () => {
    const n = 300;
    const cols = Array.from({ length: n }, (_, i) => `c${i}: number`).join(", ");
    const row = (k: number) => Array.from({ length: n }, (_, i) => i * k);
    const program = join(dir, "wide.dl");
    writeFileSync(
      program,
      `.decl w(${cols})\n.input w\n.decl out(${cols})\n.output out\nw(${row(1).join(", ")}).\nout(${row(0)
        .map((_, i) => `x${i}`)
        .join(", ")}) :- w(${row(0)
        .map((_, i) => `x${i}`)
        .join(", ")}).\n`,
    );
    writeFileSync(join(dir, "w.facts"), `${row(2).join("\t")}\n${row(3).join("\t")}\n`);
    const r = cliSync("run", program, "-F", dir, "-D", join(dir, "out"));
    expect(r).toEqual({ code: 0, out: "", err: "" });
    const lines = readFileSync(join(dir, "out", "out.csv"), "utf8")
      .trim()
      .split("\n")
      .sort();
    expect(lines).toEqual([1, 2, 3].map((k) => row(k).join("\t")).sort());
  });
});
