// Strict steps (engine/eval/strict-steps.ts): which recursive strata of min and
// max relations retraction may update by delete and rederive, read from the
// rules' shape and checked against the rows.

import { describe, expect, it } from "vitest";
import { compile } from "../index.js";
import { stepsHold, strictSteps } from "../engine/eval/strict-steps.js";

/** The strict steps of the recursive stratum holding `relation`, for `src`, and its database after a run over `facts`. */
function stepsOf(src: string, relation: string, facts: Record<string, number[][]> = {}) {
  const program = compile(src);
  const db = program.database();
  for (const [r, ts] of Object.entries(facts)) db.insert(r, ts);
  db.runSync();
  const runner = db.runner;
  const stratum = program.checked.strata.find((s) => s.relations.includes(relation))!;
  expect(stratum.recursive).toBe(true);
  const rules = stratum.rules.map((id) => program.checked.rules[id]!);
  const steps = strictSteps(stratum, rules, (n) => runner.relation(n));
  const holds = () =>
    stepsHold(
      steps!,
      stratum.relations.map((n) => runner.relation(n)),
      (n) => runner.relation(n),
    );
  return { steps, holds };
}

const sssp = (value: string, lattice = "min") => `
  .decl edge(x: number, y: number, w: number)
  .decl source(x: number)
  .decl dist(x: number, d: ${lattice}<number>)
  dist(x, 0) :- source(x).
  dist(y, ${value}) :- dist(x, d), edge(x, y, w).`;

describe("strict steps", () => {
  it("reads the step a shortest-path rule adds: the weight column, to be checked against the rows", () => {
    expect(stepsOf(sssp("d + w"), "dist").steps).toEqual({ columns: [{ relation: "edge", column: 2 }], constant: 0 });
    expect(stepsOf(sssp("w + d"), "dist").steps).toEqual({ columns: [{ relation: "edge", column: 2 }], constant: 0 });
    expect(stepsOf(sssp("d + 3"), "dist").steps).toEqual({ columns: [], constant: 3 });
    // A threshold on the value read is no obstacle: a larger value passes it too.
    const capped = sssp("d + w").replace("edge(x, y, w).", "edge(x, y, w), d < 100.");
    expect(stepsOf(capped, "dist").steps).toEqual({ columns: [{ relation: "edge", column: 2 }], constant: 0 });
    expect(stepsOf(sssp("d - w", "max"), "dist").steps).toEqual({ columns: [{ relation: "edge", column: 2 }], constant: 0 });
  });

  it("refuses steps that can hold a value up: capped, zero, the wrong way, or the value read used elsewhere", () => {
    expect(stepsOf(sssp("min(d + 1, 6)"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("d + 0"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("d"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("d - w"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("d + w", "max"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("w"), "dist").steps).toBeUndefined();
    expect(stepsOf(sssp("d * 2"), "dist").steps).toBeUndefined();
    // Two atoms of the stratum in one rule.
    const twice = `
      .decl edge(x: number, y: number, w: number)
      .decl sp(x: number, y: number, d: min<number>)
      sp(x, y, w) :- edge(x, y, w).
      sp(x, z, d + e) :- sp(x, y, d), sp(y, z, e).`;
    expect(stepsOf(twice, "sp").steps).toBeUndefined();
    // A float lattice: a sum can round back to the value read.
    const float = `
      .decl edge(x: number, y: number, w: float)
      .decl source(x: number)
      .decl dist(x: number, d: min<float>)
      dist(x, 0.0) :- source(x).
      dist(y, d + w) :- dist(x, d), edge(x, y, w).`;
    expect(stepsOf(float, "dist").steps).toBeUndefined();
  });

  it("holds over the rows only where every weight is at least 1 and no sum can wrap around", () => {
    const src = sssp("d + w");
    expect(
      stepsOf(src, "dist", {
        source: [[0]],
        edge: [
          [0, 1, 5],
          [1, 2, 1],
        ],
      }).holds(),
    ).toBe(true);
    expect(
      stepsOf(src, "dist", {
        source: [[0]],
        edge: [
          [0, 1, 5],
          [1, 2, 0],
        ],
      }).holds(),
    ).toBe(false);
    expect(stepsOf(src, "dist", { source: [[0]], edge: [[0, 1, -2]] }).holds()).toBe(false);
    // Values near the top of the 32-bit range: the largest value plus the largest weight must stay in it.
    const high = `${src}
      .decl start(x: number, d: number)
      dist(x, d) :- start(x, d).`;
    expect(stepsOf(high, "dist", { start: [[0, 2147483630]], edge: [[0, 1, 5]] }).holds()).toBe(true);
    expect(stepsOf(high, "dist", { start: [[0, 2147483640]], edge: [[0, 1, 5]] }).holds()).toBe(false);
  });
});
