// `.limitsize r(n=N)`: r's stratum stops its rounds once r holds N tuples, as
// Soufflé stops it; on worker threads too (such a stratum stays on the
// calling thread), and the strata after it read what was reached.

import { describe, expect, it } from "vitest";
import { compile, type CompileOptions } from "../index.js";

const counter = (limit: string, options: CompileOptions = {}) =>
  compile(
    `
.decl A(x: number)
A(1).
A(x + 1) :- A(x), x < 1000.
.decl top(x: number)
top(m) :- m = max x : A(x).
${limit}`,
    options,
  );

describe(".limitsize", () => {
  it("stops a recursive relation at N tuples, one tuple a round", async () => {
    const limited = counter(".limitsize A(n=47)");
    expect(limited.run({}).A).toHaveLength(47);
    expect(limited.run({}).top).toEqual([[47]]);
    const db = counter(".limitsize A(n=47)", { workers: 2 }).database();
    await db.run();
    expect(db.size("A")).toBe(47);
    expect(counter("").run({}).A).toHaveLength(1000);
  });

  it("lets a round finish: a relation growing by many tuples a round may pass N", () => {
    const p = compile(
      ".decl e(x: number, y: number)\n.decl p(x: number, y: number)\np(x, y) :- e(x, y).\np(x, z) :- p(x, y), e(y, z).\n.limitsize p(n=4)",
    );
    const edges = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ];
    const size = p.run({ e: edges }).p!.length;
    // Round 0 adds the 5 edges (already past 4): no further round runs.
    expect(size).toBe(5);
  });
});
