// The operator-level graph (`cairn graph --operators`, the playground's
// operators view) of a program with user functors: planning runs no rule, so
// it is drawn without their implementations, as the rule-level graph is.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, scratchDir } from "./cli-helpers.js";

describe("cairn graph --operators", () => {
  const dir = scratchDir("cairn-operator-graph-");

  it("draws a program with user functors", async () => {
    const file = join(dir, "f.dl");
    writeFileSync(
      file,
      ".functor twice(x: number): number\n.decl e(x: number)\n.input e\n.decl n(x: number)\n.output n\nn(@twice(x)) :- e(x).\n",
    );
    const r = await cli("graph", "--operators", file);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    // The rule's pipeline: the scan of e, then the insert into n, which the functor computes.
    expect(r.out).toMatch(/\[label="scan e\\n.*rule 0"/);
    expect(r.out).toMatch(/\[label="insert n\\n.*rule 0"/);
  });
});
