// Golden tests: every example under programs/ runs through the same file path
// as the CLI (facts folder in, .csv files out), and each output must equal the
// hand-written file in its expected/ folder, as a set of lines.

import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { frontend } from "../lang/compile.js";
import { ProgramRunner } from "../engine/eval/program-runner.js";
import { loadInputs, writeOutputs } from "../engine/io/file-io.js";

const root = join(import.meta.dirname, "..", "programs");
const examples = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "expected")))
  .map((d) => d.name);

const lines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.length > 0)
    .sort();

describe("programs/ golden outputs", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  for (const name of examples) {
    it(name, () => {
      const dir = join(root, name);
      const entry = join(dir, `${name}.dl`);
      const fe = frontend(entry, (p) => (existsSync(p) ? readFileSync(p, "utf8") : undefined));
      expect(fe.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const runner = new ProgramRunner(fe.checked!);
      const out = mkdtempSync(join(tmpdir(), "cairn-golden-"));
      try {
        loadInputs(fe.checked!, runner, fe.sources, { factDir: join(dir, "facts") });
        runner.run();
        writeOutputs(fe.checked!, runner, { outDir: out, writeStdout: () => {} });
        const expected = readdirSync(join(dir, "expected")).sort();
        expect(readdirSync(out).sort()).toEqual(expected);
        for (const f of expected) {
          expect(lines(readFileSync(join(out, f), "utf8")), f).toEqual(lines(readFileSync(join(dir, "expected", f), "utf8")));
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
