// autoinc(): every evaluation gives the next number, in a head or bound in
// the body, so each derived tuple gets its own.

import { describe, expect, it } from "vitest";
import { compile } from "../index.js";

describe("autoinc()", () => {
  it("numbers each binding when bound in the body, as in the head", () => {
    const db = compile(`
      .decl n(x: number)
      n(1). n(2). n(3).
      .decl body(x: number, i: number)
      body(x, i) :- n(x), i = autoinc().
      .decl head(x: number, i: number)
      head(x, autoinc()) :- n(x).
      .decl after(x: number, i: number)
      after(x, i) :- n(x), i = autoinc(), x > 1.
    `).database();
    db.runSync();
    const numbers = (r: string) => db.tuples(r).map((t) => t[1] as number);
    const all = [...numbers("body"), ...numbers("head"), ...numbers("after")];
    expect(new Set(all).size).toBe(all.length);
    expect(
      db
        .tuples("body")
        .map((t) => t[0])
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(
      db
        .tuples("head")
        .map((t) => t[0])
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(
      db
        .tuples("after")
        .map((t) => t[0])
        .sort(),
    ).toEqual([2, 3]);
    // Nine numbers at most were given (one per binding of n), from 0.
    for (const i of all) expect(i).toBeLessThan(9);
  });
});
