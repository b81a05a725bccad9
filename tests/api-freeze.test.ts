// Freeze without traps: once a relation is frozen, an insert upstream of it
// that would change it is rejected at insert() and changes nothing, so run()
// never fails on a frozen relation; an upstream insert that leaves it as it is
// goes in. Checked by hand on small programs and, for random graphs, against a
// transitive closure computed here.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, FrozenRelationError, FrozenUpstreamError } from "../index.js";

const thresholds = compile(`
.decl val(x: number)
.decl big(x: number)
.decl other(x: number)
big(x) :- val(x), x > 10.
`);

const paths = compile(`
.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`);

describe("freeze without traps", () => {
  it("rejects an upstream insert that would change the frozen relation, and keeps one that would not", async () => {
    const db = thresholds.database();
    db.insert("val", [[20], [3]]);
    await db.run();
    expect(db.freeze("big")).toEqual([[20]]);
    db.insert("val", [[5], [20]]); // big stays [[20]]
    let e: unknown;
    try {
      db.insert("val", [[7], [11]]);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(FrozenUpstreamError);
    expect(e).toBeInstanceOf(FrozenRelationError);
    expect((e as FrozenUpstreamError).relation).toBe("big");
    expect((e as FrozenUpstreamError).inserted).toBe("val");
    expect((e as Error).message).toBe(
      'inserting these facts into "val" would change relation "big", which is frozen; nothing was inserted',
    );
    db.insert("other", [[99]]); // not upstream of big
    await db.run();
    expect(
      db
        .tuples("val")
        .map((t) => t[0])
        .sort(),
    ).toEqual([20, 3, 5]);
    expect(db.tuples("big")).toEqual([[20]]);
    await db.run(); // and again: nothing is left that would fail
  });

  it("keeps a frozen relation without columns that an upstream insert derives again", () => {
    const db = compile(".decl a(x: number)\n.decl some()\nsome() :- a(_).").database();
    db.insert("a", [[1]]);
    db.runSync();
    db.freeze("some");
    db.insert("a", [[2]]);
    db.runSync();
    expect(db.tuples("some")).toEqual([[]]);
    expect(db.tuples("a")).toHaveLength(2);
  });

  it("applies to load() as to insert(): a folder whose facts would change a frozen relation loads nothing", async () => {
    const loads = compile(`
      .decl val(x: number)
      .input val
      .decl note(x: number)
      .input note
      .decl big(x: number)
      big(x) :- val(x), x > 10.`);
    const tmp = mkdtempSync(join(tmpdir(), "cairn-freeze-"));
    try {
      const folder = (name: string, val: string, note: string) => {
        const d = join(tmp, name);
        mkdirSync(d);
        writeFileSync(join(d, "val.facts"), val);
        writeFileSync(join(d, "note.facts"), note);
        return d;
      };
      const db = loads.database();
      db.insert("val", [[20]]);
      await db.run();
      db.freeze("big");
      expect(() => db.load(folder("changes", "11\n", "5\n"))).toThrow(FrozenUpstreamError);
      expect(db.size("note")).toBe(0);
      expect(db.size("val")).toBe(1);
      db.load(folder("keeps", "3\n20\n", "5\n"));
      await db.run();
      expect(db.tuples("note")).toEqual([[5]]);
      expect(db.tuples("big")).toEqual([[20]]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("never lets run() fail on a frozen relation, for random graphs (against a closure computed here)", () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
    const closure = (edges: readonly (readonly [number, number])[]) => {
      const reach = new Set(edges.map(([a, b]) => `${a},${b}`));
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of [...reach]) {
          const [a, b] = p.split(",").map(Number) as [number, number];
          for (const [c, d] of edges) {
            if (c === b && !reach.has(`${a},${d}`)) {
              reach.add(`${a},${d}`);
              grew = true;
            }
          }
        }
      }
      return reach;
    };
    fc.assert(
      fc.property(
        fc.array(edge, { maxLength: 8 }),
        fc.array(fc.array(edge, { minLength: 1, maxLength: 3 }), { maxLength: 5 }),
        (first, later) => {
          const db = paths.database();
          db.insert("edge", first);
          db.runSync();
          const frozen = closure(first);
          db.freeze("path");
          let edges = [...first];
          for (const batch of later) {
            const would = closure([...edges, ...batch]);
            const changes = [...would].some((p) => !frozen.has(p));
            let e: unknown;
            try {
              db.insert("edge", batch);
            } catch (err) {
              e = err;
            }
            if (changes) expect(e).toBeInstanceOf(FrozenUpstreamError);
            else {
              expect(e).toBeUndefined();
              edges = [...edges, ...batch];
            }
            db.runSync(); // never throws
            expect(new Set(db.tuples("edge").map((t) => t.join(",")))).toEqual(new Set(edges.map((t) => t.join(","))));
            expect(new Set(db.tuples("path").map((t) => t.join(",")))).toEqual(frozen);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
