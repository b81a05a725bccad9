// Records and algebraic data types (lang/check/records.ts, lang/check/unpack.ts,
// engine/storage/records.ts, engine/storage/record-text.ts) and choice domains:
// hand-worked programs, properties against independent computations in
// TypeScript, and the text form read and written back unchanged.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Tuple } from "../index.js";
import { RecordTable } from "../engine/storage/records.js";
import { cli, scratchDir } from "./cli-helpers.js";

const sorted = (rows: readonly Tuple[]) => [...rows].map((r) => [...r]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("the record table", () => {
  it("gives equal fields one id, nil 0, and reads fields back", () => {
    const t = new RecordTable();
    const a = t.pack2(1, 2);
    expect(a).toBeGreaterThan(0);
    expect(t.pack2(1, 2)).toBe(a);
    expect(t.pack2(2, 1)).not.toBe(a);
    expect(t.pack(3, [1, 2, 3])).toBe(t.pack3(1, 2, 3));
    expect(t.field(a, 2, 1)).toBe(2);
    expect(t.field(0, 2, 0)).toBe(0);
    expect(t.field(999, 2, 0)).toBe(0);
    expect(t.has(a, 2)).toBe(true);
    expect(t.has(a, 5)).toBe(false);
  });

  it("interns many records through growth, each once", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer(), fc.integer(), fc.integer()), { maxLength: 3000 }), (rows) => {
        const t = new RecordTable();
        const ids = new Map<string, number>();
        for (const [a, b, c] of rows) {
          const id = t.pack3(a, b, c);
          const key = `${a},${b},${c}`;
          if (ids.has(key)) expect(id).toBe(ids.get(key));
          else {
            expect([...ids.values()]).not.toContain(id);
            ids.set(key, id);
          }
          expect([t.field(id, 3, 0), t.field(id, 3, 1), t.field(id, 3, 2)]).toEqual([a | 0, b | 0, c | 0]);
        }
        expect(t.size).toBe(ids.size);
      }),
      { numRuns: 30 },
    );
  });

  it("saves and restores ids", () => {
    const t = new RecordTable();
    const ids = [t.pack2(5, 6), t.pack3(1, 2, 3), t.pack2(7, 8)];
    const copy = new RecordTable();
    expect(copy.restore(t.dump())).toBe(true);
    expect([copy.pack2(5, 6), copy.pack3(1, 2, 3), copy.pack2(7, 8)]).toEqual(ids);
  });
});

describe("records in programs", () => {
  it("builds lists with nil, unpacks them and compares records", () => {
    const p = compile(`
      .type List = [head: number, tail: List]
      .decl l(x: List)
      l([1, nil]).
      l([n + 1, x]) :- l(x), x = [n, _], n < 4.
      .decl len(n: number, first: number)
      len(1, h) :- l([h, nil]).
      len(k + 1, h) :- len(k, h2), l([h, t]), t = [h2, _].
      .decl same(n: number)
      same(n) :- l(x), l(y), x = y, x = [n, _].
      .decl nonNil(n: number)
      nonNil(1) :- l(x), x != nil, x = [1, nil].
    `);
    const out = p.run({});
    expect(sorted(out.len!)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(sorted(out.same!)).toEqual([[1], [2], [3], [4]]);
    expect(out.nonNil).toEqual([[1]]);
  });

  it("matches algebraic data types by unification, enumerations included", () => {
    const p = compile(`
      .type Expr = Num {n: number} | Add {a: Expr, b: Expr} | Neg {e: Expr}
      .type Day = Mon {} | Tue {} | Wed {}
      .decl e(x: Expr)
      e($Add($Num(1), $Neg($Num(2)))).
      e(a) :- e($Add(a, _)).
      e(b) :- e($Add(_, b)).
      e(x) :- e($Neg(x)).
      .decl val(x: Expr, v: number)
      val(x, n) :- e(x), x = $Num(n).
      val(x, -v) :- e(x), x = $Neg(y), val(y, v).
      val(x, v + w) :- e(x), x = $Add(a, b), val(a, v), val(b, w).
      .decl top(v: number)
      top(v) :- val($Add($Num(1), $Neg($Num(2))), v).
      .decl day(d: Day, i: number)
      day($Mon(), 1). day($Tue(), 2). day($Wed(), 3).
      .decl notMon(i: number)
      notMon(i) :- day(d, i), d != $Mon().
    `);
    const out = p.run({});
    expect(out.top).toEqual([[-1]]);
    expect(sorted(out.notMon!)).toEqual([[2], [3]]);
  });

  it("keeps the transitive closure of record-valued edges equal to a closure computed directly", () => {
    const p = compile(`
      .type Edge = [from: number, to: number]
      .decl edge(x: number, y: number)
      .decl pe(e: Edge)
      pe([x, y]) :- edge(x, y).
      .decl reach(e: Edge)
      reach(e) :- pe(e).
      reach([x, z]) :- reach([x, y]), pe([y, z]).
      .decl out(x: number, y: number)
      out(x, y) :- reach([x, y]).
    `);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })), { maxLength: 40 }), (edges) => {
        const reach = new Set(edges.map(([a, b]) => `${a},${b}`));
        for (let changed = true; changed; ) {
          changed = false;
          for (const r of [...reach]) {
            const [a, b] = r.split(",").map(Number);
            for (const [c, d] of edges)
              if (c === b && !reach.has(`${a},${d}`)) {
                reach.add(`${a},${d}`);
                changed = true;
              }
          }
        }
        const expected = [...reach].map((r) => r.split(",").map(Number));
        expect(sorted(p.run({ edge: edges }).out!)).toEqual(sorted(expected));
      }),
      { numRuns: 40 },
    );
  });

  it("sums a list built from input facts as TypeScript does", () => {
    const p = compile(`
      .type List = [head: number, tail: List]
      .decl item(i: number, v: number)
      .decl upto(i: number, l: List)
      upto(0, nil).
      upto(i + 1, [v, l]) :- upto(i, l), item(i, v).
      .decl total(i: number, l: List, s: number)
      total(i, l, 0) :- upto(i, l), l = nil.
      total(i, l, v + s) :- upto(i, l), l = [v, t], upto(i - 1, t), total(i - 1, t, s).
      .decl result(s: number)
      result(s) :- total(i, _, s), i = max j : upto(j, _).
    `);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 30 }), (values) => {
        const out = p.run({ item: values.map((v, i) => [i, v]) });
        expect(out.result).toEqual([[values.reduce((a, b) => a + b, 0)]]);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps one tuple per choice domain, a functional dependency, for any input", () => {
    const p = compile(`
      .decl pref(s: number, p: number)
      .decl pick(s: number, p: number) choice-domain s
      pick(s, p) :- pref(s, p).
    `);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })), { maxLength: 40 }), (prefs) => {
        const picked = p.run({ pref: prefs }).pick!;
        const keys = picked.map(([s]) => s);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(prefs.map(([s]) => s)));
        for (const [s, q] of picked) expect(prefs.some(([a, b]) => a === s && b === q)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the text form of records and ADTs", () => {
  it("reads and writes nested records, nil, symbols and branches as Soufflé does", async () => {
    const dir = scratchDir("cairn-records-");
    const facts = join(dir, "in");
    mkdirSync(facts);
    const program = join(dir, "p.dl");
    writeFileSync(
      program,
      `.type Tree = [left: Tree, label: symbol, right: Tree]
       .type Nat = S {n: Nat} | Zero {}
       .type Shape = Circle {r: float} | Rect {w: number, h: number}
       .decl t(x: Tree, n: Nat, s: Shape)
       .input t(delimiter=",")
       .decl o(x: Tree, n: Nat, s: Shape)
       o(x, n, s) :- t(x, n, s).
       .output o
       .decl labels(l: symbol)
       labels(l) :- t([_, l, _], _, _).
       labels(l) :- t([[_, l, _], _, _], _, _).
       .output labels`,
    );
    writeFileSync(join(facts, "t.facts"), '[nil, a, [nil, "b, c", nil]],$S($S($Zero)),$Rect(2, 3)\nnil,$Zero,$Circle(1.5)\n');
    const r = await cli("run", program, "-F", facts, "-D", dir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "o.csv"), "utf8").split("\n").sort()).toEqual(
      ["", "[nil, a, [nil, b, c, nil]]\t$S($S($Zero))\t$Rect(2, 3)", "nil\t$Zero\t$Circle(1.5)"].sort(),
    );
    expect(readFileSync(join(dir, "labels.csv"), "utf8")).toBe("a\n");
  });
});

describe("records across runs and threads", () => {
  const program = `.type Path = [node: number, rest: Path]
    .decl edge(x: number, y: number)
    .input edge
    .decl path(x: number, p: Path)
    path(y, [x, [y, nil]]) :- edge(x, y).
    path(z, [z, p]) :- path(y, p), edge(y, z), p = [_, [_, nil]].
    .output path`;

  it("a --state file keeps the record table: a continued run equals a fresh one", async () => {
    const dir = scratchDir("cairn-records-state-");
    const p = join(dir, "p.dl");
    const facts = join(dir, "f");
    mkdirSync(facts);
    writeFileSync(p, program);
    writeFileSync(join(facts, "edge.facts"), "1\t2\n2\t3\n");
    const state = join(dir, "s.state");
    expect((await cli("run", p, "-F", facts, "-D", join(dir, "o1"), "--state", state)).code).toBe(0);
    writeFileSync(join(facts, "edge.facts"), "1\t2\n2\t3\n3\t4\n");
    const continued = await cli("run", p, "-F", facts, "-D", join(dir, "o2"), "--state", state);
    expect(continued.err).toBe("");
    expect((await cli("run", p, "-F", facts, "-D", join(dir, "o3"))).code).toBe(0);
    const rows = (o: string) =>
      readFileSync(join(dir, o, "path.csv"), "utf8")
        .split("\n")
        .sort();
    expect(rows("o2")).toEqual(rows("o3"));
    expect(rows("o2")).toContain("4\t[4, [2, [3, nil]]]");
  });

  it("worker threads give the same records", async () => {
    const dir = scratchDir("cairn-records-j-");
    const p = join(dir, "p.dl");
    const facts = join(dir, "f");
    mkdirSync(facts);
    writeFileSync(p, program);
    writeFileSync(join(facts, "edge.facts"), Array.from({ length: 40 }, (_, i) => `${i}\t${(i * 7 + 3) % 41}`).join("\n"));
    expect((await cli("run", p, "-F", facts, "-D", join(dir, "one"))).code).toBe(0);
    expect((await cli("run", p, "-F", facts, "-D", join(dir, "two"), "-j", "2")).code).toBe(0);
    const rows = (o: string) =>
      readFileSync(join(dir, o, "path.csv"), "utf8")
        .split("\n")
        .sort();
    expect(rows("two")).toEqual(rows("one"));
    expect(rows("one").length).toBeGreaterThan(40);
  });
});
