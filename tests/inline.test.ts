// Inlining (lang/check/inline-expand.ts): a positive atom of an inline relation
// is replaced by the relation's rule bodies, so a rule of an inline relation
// may leave to its users what it needs bound; the results equal those of the
// same program with the relation computed; Soufflé's restrictions hold
// (lang/check/inline.ts); `no_inline` and `.pragma "inline-exclude"` turn it off.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";

const sorted = (rows: readonly Tuple[]) => [...rows].map((r) => [...r]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("inline relations", () => {
  it("take what their rules need bound from where they are used", () => {
    const p = compile(`
      .decl a(x: number)
      .decl near(x: number, y: number) inline
      near(x, y) :- y = x + 1.
      near(x, y) :- y = x - 1.
      .type P = [x: number, y: number]
      .decl cross(p: P, q: P, v: number) inline
      cross([a0, a1], [b0, b1], v) :- v = a0 * b1 - a1 * b0.
      .decl n(x: number, y: number)
      n(x, y) :- a(x), near(x, y), a(y).
      .decl c(x: number, y: number, v: number)
      c(x, y, v) :- a(x), a(y), cross([x, y], [y, x], v).
    `);
    const out = p.run({ a: [[1], [2], [3]] });
    expect(sorted(out.n!)).toEqual(
      sorted([
        [1, 2],
        [2, 1],
        [2, 3],
        [3, 2],
      ]),
    );
    expect(sorted(out.c!)).toEqual(sorted([1, 2, 3].flatMap((x) => [1, 2, 3].map((y) => [x, y, x * x - y * y]))));
  });

  it("give the results of the same relations computed, on any input", () => {
    const text = (q: string) => `
      .decl e(x: number, y: number)
      .decl two(x: number, z: number) ${q}
      two(x, z) :- e(x, y), e(y, z).
      two(x, x) :- e(x, x).
      .decl r(x: number, z: number)
      r(x, z) :- two(x, z), x < z.
      r(x, z) :- r(x, y), two(y, z).
      .decl loop(x: number) ${q}
      loop(x) :- e(x, x).
      .decl s(x: number)
      s(x) :- e(x, _), !loop(x).`;
    const inlined = compile(text("inline"));
    const computed = compile(text(""));
    const excluded = compile(`.pragma "inline-exclude" "two"\n${text("inline")}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 25 }), (edges) => {
        const want = computed.run({ e: edges });
        for (const p of [inlined, excluded]) {
          const got = p.run({ e: edges });
          expect(sorted(got.r!)).toEqual(sorted(want.r!));
          expect(sorted(got.s!)).toEqual(sorted(want.s!));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("are left alone with no_inline, whose rules must then be grounded", () => {
    expect(() =>
      compile(`.decl a(x: number)
        .decl b(x: number, y: number) inline no_inline
        b(x, y) :- x != y.
        .decl c(x: number, y: number)
        c(x, y) :- a(x), a(y), b(x, y).`),
    ).toThrow(/variable "x" is not grounded/);
  });
});
