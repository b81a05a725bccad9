// The index hash of a one-cell key is a bijection of 32-bit integers, which
// lets one-column indexes compare hashes instead of keys (engine/storage/hash.ts):
// checked by inverting it step by step, for random cells and a few thousand
// consecutive ones around the edges of the integer range. Keys of more cells
// can share a hash: two three-cell keys that do are told apart by every index
// operation and by the compiled probes.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finish, HASH_SEED, mix } from "../engine/storage/hash.js";
import { HashIndex } from "../engine/storage/hash-index.js";
import { compile } from "../index.js";

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

/** The hash of a key of any number of cells, as every index folds it. */
const hashOf = (key: readonly number[]) => finish(key.reduce(mix, HASH_SEED));

/** Two three-cell keys with one 32-bit hash; they differ in their second and third cells only. */
const KEY_A = [0, 1, 5];
const KEY_B = [0, 2, 1520839611];

describe("two three-cell keys with the same hash", () => {
  it("do share a hash", () => {
    expect(hashOf(KEY_A)).toBe(hashOf(KEY_B));
  });

  it("are two keys to an index: added, found and chained apart", () => {
    const data = Int32Array.from([...KEY_A, ...KEY_B, ...KEY_A]);
    const unique = new HashIndex([0, 1, 2], 3);
    expect(unique.addUnique(data, 0)).toBe(-1);
    expect(unique.addUnique(data, 1)).toBe(-1);
    expect(unique.addUnique(data, 2)).toBe(0);
    expect(unique.keyCount).toBe(2);
    expect(unique.find(data, KEY_A)).toBe(0);
    expect(unique.find(data, KEY_B)).toBe(1);
    const chained = new HashIndex([0, 1, 2], 3);
    chained.addRange(data, 0, 3);
    expect(chained.keyCount).toBe(2);
    expect(chained.find(data, KEY_A)).toBe(2);
    expect(chained.next[2]).toBe(0);
    expect(chained.next[1]).toBe(-1);
  });

  it("are two tuples to a program: stored, copied, joined and negated apart", () => {
    const program = compile(`
      .decl a(x: number, y: number, z: number)
      .decl b(x: number, y: number, z: number)
      .decl copy(x: number, y: number, z: number)
      copy(x, y, z) :- a(x, y, z).
      copy(x, y, z) :- b(x, y, z).
      .decl both(x: number, y: number, z: number)
      both(x, y, z) :- a(x, y, z), b(x, y, z).
      .decl onlyA(x: number, y: number, z: number)
      onlyA(x, y, z) :- a(x, y, z), !b(x, y, z).`);
    const out = program.run({ a: [KEY_A], b: [KEY_B] });
    expect(out.copy).toEqual([KEY_A, KEY_B]);
    expect(out.both).toEqual([]);
    expect(out.onlyA).toEqual([KEY_A]);
    const db = program.database();
    db.insert("a", [KEY_A, KEY_B, KEY_A]);
    expect(db.tuples("a")).toEqual([KEY_A, KEY_B]);
  });
});
