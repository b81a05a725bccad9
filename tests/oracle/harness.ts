// Helpers shared by the oracle tests: run a program through both the engine
// and the naive oracle, and assert both give the expected relations.

import { expect } from "vitest";
import { compile } from "../../index.js";
import { asSet } from "./compare.js";
import { evaluateNaive, type Value } from "./naive.js";

export { asSet, differences, type Result } from "./compare.js";

export type Facts = Record<string, Value[][]>;

/** Runs `source` over `facts` with the engine and with the oracle (on the same checked program). */
export function runBoth(source: string, facts: Facts = {}): { engine: Facts; oracle: Facts } {
  const program = compile(source);
  const engine = program.run(facts) as Facts;
  const oracle = evaluateNaive(program.checked, facts);
  return { engine, oracle };
}

/** Asserts that both evaluators produce exactly `expected` for each relation it names. */
export function expectBoth(source: string, facts: Facts, expected: Facts): void {
  const { engine, oracle } = runBoth(source, facts);
  for (const [rel, tuples] of Object.entries(expected)) {
    expect(asSet(oracle[rel]), `oracle: ${rel}`).toEqual(asSet(tuples));
    expect(asSet(engine[rel]), `engine: ${rel}`).toEqual(asSet(tuples));
  }
}
