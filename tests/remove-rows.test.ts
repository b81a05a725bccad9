// Removing rows from a set relation in place (Relation.removeRows): the rows
// kept move up in order and every index is renumbered without hashing again
// (HashIndex.renumber); the result must be the relation a fresh one holding the
// kept rows in the same order would be, probe for probe and chain for chain. A
// lattice relation loses its superseded rows as well.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashIndex } from "../engine/storage/hash-index.js";
import { minLattice } from "../engine/lattices/min.js";
import { Relation } from "../engine/storage/relation.js";

/** A relation of two number columns with rows `rows`, indexed on each column. */
function relationOf(rows: readonly (readonly [number, number])[]): Relation {
  const r = new Relation("r", ["number", "number"]);
  r.index([0]);
  r.index([1]);
  for (const [a, b] of rows) {
    r.tmp[0] = a;
    r.tmp[1] = b;
    r.add();
  }
  r.settle();
  return r;
}

/** The rows an index lists for `value` of its column, newest first. */
function chain(r: Relation, column: number, value: number): number[] {
  const idx = r.index([column]);
  const out: number[] = [];
  for (let row = idx.find(r.data, [value]); row >= 0; row = idx.next[row]!) out.push(row);
  return out;
}

describe("removing rows in place", () => {
  it("leaves the relation a fresh one of the kept rows would be", () => {
    const value = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { maxLength: 400 }), fc.array(fc.boolean(), { maxLength: 400 }), (tuples, drops) => {
        const r = relationOf(tuples);
        const rows: [number, number][] = [];
        for (let i = 0; i < r.size; i++) rows.push([r.data[2 * i]!, r.data[2 * i + 1]!]);
        const drop = new Uint8Array(r.size);
        rows.forEach((_, i) => {
          drop[i] = drops[i] ? 1 : 0;
        });
        const kept = rows.filter((_, i) => drop[i] !== 1);
        const gone = rows.filter((_, i) => drop[i] === 1);
        expect(r.removeRows(drop)).toBe(gone.length);
        const fresh = relationOf(kept);
        expect(r.size).toBe(kept.length);
        expect(r.live).toBe(kept.length);
        expect(Array.from(r.data.subarray(0, 2 * r.size))).toEqual(Array.from(fresh.data.subarray(0, 2 * fresh.size)));
        kept.forEach((t, i) => expect(r.unique.find(r.data, t)).toBe(i));
        for (const t of gone) expect(r.unique.find(r.data, t)).toBe(-1);
        expect(r.unique.keyCount).toBe(fresh.unique.keyCount);
        for (const column of [0, 1]) {
          expect(r.index([column]).keyCount).toBe(fresh.index([column]).keyCount);
          for (let v = 0; v <= 40; v++) expect(chain(r, column, v)).toEqual(chain(fresh, column, v));
        }
        // Rows added afterwards are found and chained as usual.
        r.tmp[0] = 41;
        r.tmp[1] = 0;
        expect(r.add()).toBe(true);
        r.settle();
        expect(r.unique.find(r.data, [41, 0])).toBe(kept.length);
        expect(chain(r, 1, 0)[0]).toBe(kept.length);
      }),
      { numRuns: 300 },
    );
  });

  it("drops a lattice relation's superseded rows too, and keeps its chains whole", () => {
    const value = fc.integer({ min: 0, max: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, fc.integer({ min: 0, max: 50 })), { maxLength: 300 }),
        fc.array(fc.boolean(), { maxLength: 300 }),
        (tuples, drops) => {
          const fill = (ts: readonly (readonly number[])[]) => {
            const r = new Relation("d", ["number", "number", "number"], minLattice("number"));
            r.index([1]);
            for (const t of ts) {
              r.tmp.set(t);
              r.add();
            }
            r.settle();
            return r;
          };
          const r = fill(tuples);
          // Drop some live rows (keys); the dead ones go anyway.
          const drop = new Uint8Array(r.size);
          const live: number[][] = [];
          for (let i = 0; i < r.size; i++) {
            if (r.dead[i] === 1) continue;
            const row = Array.from(r.data.subarray(3 * i, 3 * i + 3));
            if (drops[i]) drop[i] = 1;
            else live.push(row);
          }
          r.removeRows(drop);
          expect(r.size).toBe(live.length);
          expect(r.live).toBe(live.length);
          const fresh = fill(live);
          expect(Array.from(r.data.subarray(0, 3 * r.size))).toEqual(Array.from(fresh.data.subarray(0, 3 * fresh.size)));
          // Every chain of either index, walked as generated code walks it, lists the rows of its key and ends.
          for (const [columns, idx] of [
            [[0, 1], r.unique],
            [[1], r.index([1])],
          ] as const) {
            const freshIdx = columns.length === 2 ? fresh.unique : fresh.index([1]);
            for (let a = 0; a <= 12; a++)
              for (let b = 0; b <= 12; b++) {
                const key = columns.length === 2 ? [a, b] : [b];
                const walk = (rel: Relation, index: HashIndex) => {
                  const out: number[] = [];
                  for (let row = index.find(rel.data, key); row >= 0; row = index.next[row]!) out.push(row);
                  return out;
                };
                expect(walk(r, idx)).toEqual(walk(fresh, freshIdx));
              }
          }
          // A key's value still joins: a better value supersedes the row, a worse one changes nothing.
          if (live.length > 0) {
            const [a, b, v] = live[0]!;
            r.tmp.set([a!, b!, v! + 1]);
            expect(r.add()).toBe(false);
            r.tmp.set([a!, b!, v! - 1]);
            expect(r.add()).toBe(true);
            expect(r.dead[0]).toBe(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps every key findable when the keys removed sit in a run of slots that wraps past the table's end", () => {
    // Values whose keys home on the last slots or the first of a relation's first table of slots: the run of occupied slots wraps around, and removing some shifts the others back across the end.
    const probe = new HashIndex([0], 1);
    const home = (v: number) => probe.hashRow(Int32Array.of(v), 0) & probe.mask;
    const near: number[] = [];
    for (let v = 0; near.length < 24; v++) if ([probe.mask - 2, probe.mask - 1, probe.mask, 0].includes(home(v))) near.push(v);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(near, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        (values, drops) => {
          const r = new Relation("r", ["number"]);
          for (const v of values) {
            r.tmp[0] = v;
            r.add();
          }
          r.settle();
          expect(r.unique.mask).toBe(probe.mask);
          const drop = Uint8Array.from(values, (_, i) => (drops[i] ? 1 : 0));
          r.removeRows(drop);
          const kept = values.filter((_, i) => !drops[i]);
          kept.forEach((v, i) => expect(r.unique.find(r.data, [v]), `${v} of ${values}`).toBe(i));
          values.filter((_, i) => drops[i]).forEach((v) => expect(r.unique.find(r.data, [v])).toBe(-1));
        },
      ),
      { numRuns: 500 },
    );
  });
});
