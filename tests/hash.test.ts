// The index hash of a one-cell key is a bijection of 32-bit integers, which
// lets one-column indexes compare hashes instead of keys (engine/storage/hash.ts):
// checked by inverting it step by step, for random cells and a few thousand
// consecutive ones around the edges of the integer range.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finish, HASH_SEED, mix } from "../engine/storage/hash.js";

/** The inverse of x ^ (x >>> s) on 32-bit integers. */
function unshift(y: number, s: number): number {
  let x = y;
  for (let i = 0; i < 32; i += s) x = y ^ (x >>> s);
  return x | 0;
}

/** The inverse of multiplying by the odd constant c modulo 2^32 (Newton's iteration). */
function inverseOf(c: number): number {
  let inv = c;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(c, inv));
  return inv;
}

/** The cell whose one-cell hash is h. */
function unhash(h: number): number {
  let x = unshift(h, 13);
  x = Math.imul(x, inverseOf(0x85ebca6b));
  x = unshift(x, 16);
  x = unshift(x, 15);
  x = Math.imul(x, inverseOf(0x9e3779b1));
  return x ^ HASH_SEED;
}

const hash1 = (v: number) => finish(mix(HASH_SEED, v));

describe("the one-cell hash", () => {
  it("is undone by its inverse for random cells", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => unhash(hash1(v)) === v),
      { numRuns: 5000 },
    );
  });
  it("is undone by its inverse around zero and the ends of the range", () => {
    for (const start of [-(2 ** 31), -2048, 2 ** 31 - 4096]) {
      for (let v = start; v < start + 4096; v++) expect(unhash(hash1(v))).toBe(v);
    }
  });
  it("gives distinct hashes to distinct consecutive cells", () => {
    const seen = new Set<number>();
    for (let v = 0; v < 100_000; v++) seen.add(hash1(v));
    expect(seen.size).toBe(100_000);
  });
});
