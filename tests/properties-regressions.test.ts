// Minimal programs that the property tests found the engine getting wrong,
// with expected results worked out by hand (and checked against the oracle).

import { describe, it } from "vitest";
import { expectBoth } from "./oracle/harness.js";

describe("regressions found by the property tests", () => {
  // Soufflé evaluates substr with std::string::substr: a start past the end is
  // an error that it reports as a warning, yielding ""; the length is a size_t,
  // so a negative one means "to the end of the string".
  it("substr with a start past the end yields the empty string", () => {
    const src = `
      .decl s(x: symbol)
      .decl r(x: symbol, y: symbol)
      r(x, substr(x, 4, 1)) :- s(x).`;
    expectBoth(src, { s: [["abc"]] }, { r: [["abc", ""]] });
  });

  it("substr with a negative length takes the rest of the string", () => {
    const src = `
      .decl s(x: symbol)
      .decl r(x: symbol, y: symbol)
      r(x, substr(x, 1, -1)) :- s(x).`;
    expectBoth(src, { s: [["abc"]] }, { r: [["abc", "bc"]] });
  });

  // x = 1 has two b-tuples (count 2, min 1), x = 4 has one (count 1, min 1).
  // Equating the aggregate's result with a constant must keep the aggregate's
  // constraint; the engine bound n to the constant and dropped the aggregate.
  it("an aggregate with a shared variable, equated with a constant", () => {
    const src = `
      .decl a(x: number)
      .decl b(x: number, y: number)
      .decl two(x: number, n: number)
      .decl seven(x: number, n: number)
      .decl lowest(x: number, n: number)
      two(x, n) :- a(x), n = count : { b(x, _) }, n = 2.
      seven(x, n) :- a(x), n = 7, n = count : { b(x, _) }.
      lowest(x, n) :- a(x), n = min y : { b(x, y) }, 2 = n.`;
    expectBoth(
      src,
      {
        a: [[1], [4]],
        b: [
          [1, 1],
          [1, 2],
          [4, 1],
        ],
      },
      { two: [[1, 2]], seven: [], lowest: [] },
    );
  });
});
