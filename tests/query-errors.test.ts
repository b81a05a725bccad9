// The query diagnostics corpus: each tests/errors/query/NAME.query, asked of
// tests/errors/query/program.dl through Database.query(), must fail with a
// CairnError whose rendering is exactly NAME.stderr, located in the query.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CairnError, compile, renderDiagnostics } from "../index.js";

const root = join(import.meta.dirname, "errors", "query");
const program = compile(readFileSync(join(root, "program.dl"), "utf8"), { file: "tests/errors/query/program.dl" });
const cases = readdirSync(root)
  .filter((f) => f.endsWith(".query"))
  .map((f) => f.slice(0, -".query".length))
  .sort();

describe("a bad query gives the exact located message", () => {
  it("has a corpus", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(root, `${name}.query`), "utf8").replace(/\n$/, "");
      const db = program.database();
      let rendered: string | undefined;
      try {
        db.query(text);
      } catch (e) {
        if (!(e instanceof CairnError)) throw e;
        rendered = `${renderDiagnostics(e.diagnostics, e.sources)}\n`;
      }
      expect(rendered).toBe(readFileSync(join(root, `${name}.stderr`), "utf8"));
    });
  }
});
