// The golden suite: each program under tests/calm/ with its hand-written
// expected classification (NAME.calm): classes and reasons of every relation
// and rule, freeze points, outputs' verdicts, strata and barriers — or, for a
// program the checks reject, the errors with their cycle and notes.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../lang/calm/index.js";
import { errorsText, goldenText } from "./calm/golden.js";
import { loadCalm } from "./calm/load.js";

const root = join(import.meta.dirname, "calm");
const cases = readdirSync(root)
  .filter((f) => f.endsWith(".dl"))
  .map((f) => f.slice(0, -3))
  .sort();

describe("CALM golden programs", () => {
  it("has at least 30 programs, each with its expected classification", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const name of cases) expect(existsSync(join(root, `${name}.calm`)), name).toBe(true);
  });
  for (const name of cases) {
    it(name, () => {
      const file = relative(process.cwd(), join(root, `${name}.dl`));
      const loaded = loadCalm(readFileSync(file, "utf8"), file);
      const actual = loaded.checked ? goldenText(analyze(loaded.checked)) : errorsText(loaded.errors).join("\n") + "\n";
      expect(actual).toBe(readFileSync(join(root, `${name}.calm`), "utf8"));
    });
  }
});
