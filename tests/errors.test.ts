// The bad-input corpus: each broken program (and each broken facts folder)
// under tests/errors/ must fail with exactly the message in its .stderr file
// and a non-zero exit code, without a stack trace and without writing outputs.
// A case's .args file holds more command-line arguments for its run, and its
// .env file environment variables (NAME=value, one a line) set during it. A
// run-time failure exits with 3, a bad program or facts file with 1.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.js";

const root = join(import.meta.dirname, "errors");
const cases = readdirSync(root)
  .filter((f) => f.endsWith(".dl"))
  .map((f) => f.slice(0, -3))
  .sort();

describe("bad input gives the exact located message", () => {
  it("has a corpus", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of cases) {
    it(name, async () => {
      const program = relative(process.cwd(), join(root, `${name}.dl`));
      const facts = relative(process.cwd(), join(root, `${name}.facts`));
      const argsFile = join(root, `${name}.args`);
      const extra = existsSync(argsFile) ? readFileSync(argsFile, "utf8").trim().split(/\s+/) : [];
      const envFile = join(root, `${name}.env`);
      const env = existsSync(envFile) ? readFileSync(envFile, "utf8").trim().split("\n") : [];
      const saved = new Map(env.map((line) => [line.split("=")[0]!, process.env[line.split("=")[0]!]]));
      for (const line of env) process.env[line.split("=")[0]!] = line.slice(line.indexOf("=") + 1);
      const out = mkdtempSync(join(tmpdir(), "cairn-err-"));
      let stderr = "";
      let stdout = "";
      try {
        const code = await main(["run", program, "-F", existsSync(facts) ? facts : relative(process.cwd(), root), "-D", out, ...extra], {
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
        });
        const expected = readFileSync(join(root, `${name}.stderr`), "utf8");
        expect(stderr).toBe(expected);
        expect(code).toBe(expected.includes("error[runtime]") ? 3 : 1);
        expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
        expect(readdirSync(out)).toEqual([]);
      } finally {
        for (const [key, value] of saved) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
