// Lattice values that never stop growing: a max counter counting up and a
// negative cycle under min end with GrowthLimitError once a relation has taken
// `growthLimit` updates, the run stops there, and a chain that does end is
// untouched by a limit it stays under.

import { describe, expect, it } from "vitest";
import { compile, GrowthLimitError } from "../index.js";

const COUNTER = `.decl c(x: number, v: max<number>)
c(1, 0).
c(x, v + 1) :- c(x, v).
`;

const NEGATIVE_CYCLE = `.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(1, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w).
`;

describe("growth limit", () => {
  it("stops a max counter with GrowthLimitError naming the relation", () => {
    const db = compile(COUNTER, { growthLimit: 1000 }).database();
    let error: unknown;
    try {
      db.runSync();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GrowthLimitError);
    expect(error).toMatchObject({ relation: "c", rows: 1000 });
    expect((error as Error).message).toBe(
      'lattice relation "c" kept growing: 1000 updates without reaching a fixpoint (a value that never stops increasing, such as a counter in a max lattice or a negative cycle under min?)',
    );
  });

  it("stops a negative cycle under min", async () => {
    const db = compile(NEGATIVE_CYCLE, { growthLimit: 500 }).database();
    db.insert("edge", [
      [1, 2, 1],
      [2, 3, -2],
      [3, 1, 0],
    ]);
    await expect(db.run()).rejects.toThrow(GrowthLimitError);
  });

  it("leaves a chain that ends alone when it stays under the limit", () => {
    const db = compile(NEGATIVE_CYCLE, { growthLimit: 50 }).database();
    db.insert("edge", [
      [1, 2, 5],
      [2, 3, -2],
      [1, 3, 4],
      [3, 4, 1],
    ]);
    db.runSync();
    expect(db.tuples("dist").sort()).toEqual([
      [1, 0],
      [2, 5],
      [3, 3],
      [4, 4],
    ]);
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => compile(COUNTER, { growthLimit: 0 }).database()).toThrow(RangeError);
    expect(() => compile(COUNTER, { growthLimit: 2.5 }).database()).toThrow(/growthLimit must be a positive integer, got 2.5/);
  });
});
