// range(from, to[, step]): the values worked out by hand for Soufflé's range tests
// (number, unsigned, float; default, explicit and zero steps; empty ranges), range
// in aggregate bodies and twice in a rule, checked against both the naive oracle and
// the engine; the two agree on random ranges; the magic-set pass leaves it sound;
// misplaced and ungrounded ranges are located errors.

import { describe, expect, it } from "vitest";
import { check } from "../lang/check/index.js";
import { parse } from "../lang/parse/parse.js";
import { rangeValues } from "../engine/eval/range.js";
import { bitsOfFloat } from "../engine/storage/values.js";
import { compile } from "../index.js";
import { asSet, expectBoth, runBoth, type Facts } from "./oracle/harness.js";

const f = Math.fround;
const col = (xs: number[]) => xs.map((x) => [x]);
const seq = (from: number, to: number, step = 1) => {
  const out: number[] = [];
  for (let x = from; step > 0 ? x < to : x > to; x += step) out.push(x);
  return out;
};

describe("range over numbers (Soufflé's rangeop)", () => {
  it("ascending, descending, a step away from the end, two ranges, filters", () => {
    const src = `
      .decl out1(X:number)  out1(X) :- X = range(1, 10).
      .decl out2(X:number)  out2(X) :- X = range(9, 0, -1).
      .decl out2b(X:number) out2b(X) :- X = range(9, 0, 1).
      .decl out3(X:number, Y:number) out3(X,Y) :- X = range(1,3), Y = range(1,3).
      .decl out4(X:number, Y:number) out4(X,Y) :- X = range(0,3), Y = range(0,3), X < Y, X + Y = 3.
      .decl out5(X:unsigned) out5(X) :- X = range(1, 10).
      .decl out6(X:unsigned) out6(X) :- X = range(9, 0).
      .decl out7(X:float) out7(X) :- X = range(1.25, 9.25).
      .decl out8(X:float) out8(X) :- X = range(1.5, -4.6, -0.5).
      .decl out9(X:float) out9(X) :- X = range(4.5, -4.6).
      .decl out10(X:float) out10(X) :- X = range(-1, 0, 0.25).`;
    expectBoth(
      src,
      {},
      {
        out1: col([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        out2: col([9, 8, 7, 6, 5, 4, 3, 2, 1]),
        out2b: [],
        out3: [
          [1, 1],
          [1, 2],
          [2, 1],
          [2, 2],
        ],
        out4: [[1, 2]],
        out5: col([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        out6: col([9, 8, 7, 6, 5, 4, 3, 2, 1]),
        out7: col([1.25, 2.25, 3.25, 4.25, 5.25, 6.25, 7.25, 8.25]),
        out8: col([1.5, 1, 0.5, 0, -0.5, -1, -1.5, -2, -2.5, -3, -3.5, -4, -4.5]),
        out9: col([4.5, 3.5, 2.5, 1.5, 0.5, -0.5, -1.5, -2.5, -3.5, -4.5]),
        out10: col([-1, -0.75, -0.5, -0.25]),
      },
    );
  });

  it("a step of 0 gives the start alone, unless the range is empty; equal ends give nothing", () => {
    const src = `
      .decl a_f, b_f, c_f, d_f, e_f, f_f (x: float)
      a_f(x) :- x = range(5.0, 3.75, -0.5).
      b_f(x) :- x = range(5.0, 3.75).
      c_f(x) :- x = range(3.75, 5.0).
      d_f(x) :- x = range(5.0, 3.75, 0.0).
      e_f(x) :- x = range(3.75, 5.0, 0.0).
      f_f(x) :- x = range(5.0, 5.0).
      f_f(x) :- x = range(5.0, 5.0, -0.5).
      f_f(x) :- x = range(5.0, 5.0, 0.0).
      f_f(x) :- x = range(5.0, 5.0, 0.5).
      .decl a_i, b_i, c_i, d_i, e_i, f_i (x: number)
      a_i(x) :- x = range(5, 1, -1).
      b_i(x) :- x = range(5, 1).
      c_i(x) :- x = range(1, 5).
      d_i(x) :- x = range(5, 1, 0).
      e_i(x) :- x = range(1, 5, 0).
      f_i(x) :- x = range(1, 1, 0).
      f_i(x) :- x = range(5, 5).
      f_i(x) :- x = range(5, 5, -1).
      f_i(x) :- x = range(5, 5, 1).
      f_i(x) :- x = range(1, 5, -1).
      .decl a_u, b_u, c_u, d_u, e_u, f_u (x: unsigned)
      a_u(x) :- x = range(1, 5, 2).
      b_u(x) :- x = range(5, 1).
      c_u(x) :- x = range(1, 5).
      d_u(x) :- x = range(5, 1, 0).
      e_u(x) :- x = range(1, 5, 0).
      f_u(x) :- x = range(5, 5).
      f_u(x) :- x = range(5, 5, 0).
      f_u(x) :- x = range(5, 5, 1).
      f_u(x) :- x = range(5, 1, 1).`;
    expectBoth(
      src,
      {},
      {
        a_f: col([5, 4.5, 4]),
        b_f: col([5, 4]),
        c_f: col([3.75, 4.75]),
        d_f: col([5]),
        e_f: col([3.75]),
        f_f: [],
        a_i: col([5, 4, 3, 2]),
        b_i: col([5, 4, 3, 2]),
        c_i: col([1, 2, 3, 4]),
        d_i: col([5]),
        e_i: col([1]),
        f_i: [],
        a_u: col([1, 3]),
        b_u: col([5, 4, 3, 2]),
        c_u: col([1, 2, 3, 4]),
        d_u: col([5]),
        e_u: col([1]),
        f_u: [],
      },
    );
  });

  it("unsigned ranges above 2^31 and float steps that do not divide the span", () => {
    const src = `
      .decl big(x: unsigned) big(x) :- x = range(4294967290u, 4294967295u).
      .decl down(x: unsigned) down(x) :- x = range(2147483650u, 2147483646u).
      .decl thirds(x: float) thirds(x) :- x = range(0.0, 1.0, 0.3).`;
    const thirds: number[] = [];
    for (let x = 0; x < 1; x = f(x + f(0.3))) thirds.push(x);
    expect(thirds.length).toBe(4);
    expectBoth(
      src,
      {},
      {
        big: col([4294967290, 4294967291, 4294967292, 4294967293, 4294967294]),
        down: col([2147483650, 2147483649, 2147483648, 2147483647]),
        thirds: col(thirds),
      },
    );
  });

  it("bounds from relations, a bound variable kept only when it is in the range, two ranges in one rule", () => {
    const src = `
      .decl span(a: number, b: number)
      .decl cover(a: number, x: number) cover(a, x) :- span(a, b), x = range(a, b).
      .decl n(x: number)
      .decl kept(x: number) kept(x) :- n(x), x = range(2, 10), range(1, 20, 3) = x.
      .decl grid(x: number, y: number) grid(x, y) :- span(a, b), x = range(a, b), y = range(x, b).
      .decl shifted(x: number) shifted(x) :- n(x), x + 1 = range(3, 6).`;
    expectBoth(
      src,
      {
        span: [
          [1, 3],
          [5, 4],
          [7, 7],
        ],
        n: col(seq(0, 12)),
      },
      {
        cover: [
          [1, 1],
          [1, 2],
          [5, 5],
        ],
        kept: col([4, 7]),
        grid: [
          [1, 1],
          [1, 2],
          [2, 2],
          [5, 5],
        ],
        shifted: col([2, 3, 4]),
      },
    );
  });
});

describe("range in aggregate bodies", () => {
  it("counts and sums over generated values (issue2160, issue2486, agg_range)", () => {
    const src = `
      .decl count_even(cnt: number) count_even(cnt) :- cnt = count : { i = range(0,10), i % 2 = 0 }.
      .decl test(res: number) test(res) :- x = 1, res = count : { _y = range(x, 10) }.
      .decl a(x: number, y: number, z: number)
      a(1, 2, 0). a(3, 4, 1).
      .decl b(item: number)
      b(1). b(2). b(3). b(4).
      .decl c(x: number, y: number)
      c(x, y) :- mr = count : { a(_, y, _) }, x = range(0, mr), b(y).
      .decl d(x: number, y: number)
      d(x,y) :- y = range(z, z+3), z = v*4, v = x, x = range(0, 4).
      .decl e(x: number, y: number)
      e(x, y) :- y = count : { a(_, x, _) }, x = range(0, 5).
      .decl f(m: number, n: number, x: number)
      f(m,n,x) :- x = range(m,n), m = range(1,3), n = range(4,6).
      .decl g(x: number)
      g(x) :- x = count : { a(_, _, x) }, x = range(0,3).
      .decl s(t: number) s(t) :- t = sum y : { b(x), y = range(x, 3) }.`;
    const d = [0, 1, 2, 3].flatMap((x) => [0, 1, 2].map((k) => [x, 4 * x + k]));
    const f3: number[][] = [];
    for (const m of [1, 2]) for (const n of [4, 5]) for (let x = m; x < n; x++) f3.push([m, n, x]);
    expectBoth(
      src,
      {},
      {
        count_even: [[5]],
        test: [[9]],
        c: [
          [0, 2],
          [0, 4],
        ],
        d,
        e: [
          [0, 0],
          [1, 0],
          [2, 1],
          [3, 0],
          [4, 1],
        ],
        f: f3,
        g: [[1]],
        // b = 1: 1, 2; b = 2: 2; b = 3: none; b = 4: 4.
        s: [[9]],
      },
    );
  });

  it("a min with a witness bound by range", () => {
    const src = `
      .decl w(v: number, x: number)
      w(v, x) :- v = min y : { x = range(3, 8), y = (x - 5) * (x - 5) }.`;
    expectBoth(src, {}, { w: [[0, 5]] });
  });
});

describe("the oracle and the engine agree on random ranges", () => {
  const rand = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (const type of ["number", "unsigned", "float"] as const) {
    it(type, () => {
      const r = rand(type.length * 7919);
      const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
      const val = (v: number) => (type === "float" ? f(v / 4) : type === "unsigned" ? Math.abs(v) : v);
      const args: number[][] = [];
      const two: number[][] = [];
      for (let i = 0; i < 60; i++) {
        args.push([val(pick(-20, 20)), val(pick(-20, 20)), val(pick(-4, 4))]);
        two.push([val(pick(-20, 20)), val(pick(-20, 20))]);
      }
      const src = `
        .decl args(a: ${type}, b: ${type}, s: ${type})
        .decl two(a: ${type}, b: ${type})
        .decl out3(a: ${type}, b: ${type}, s: ${type}, x: ${type})
        out3(a, b, s, x) :- args(a, b, s), x = range(a, b, s).
        .decl out2(a: ${type}, b: ${type}, x: ${type})
        out2(a, b, x) :- two(a, b), x = range(a, b).
        .decl sizes(a: ${type}, b: ${type}, n: number)
        sizes(a, b, n) :- two(a, b), n = count : { x = range(a, b) }.`;
      const { engine, oracle } = runBoth(src, { args, two });
      for (const rel of ["out3", "out2", "sizes"]) {
        expect(asSet(engine[rel]), rel).toEqual(asSet(oracle[rel]));
      }
      expect((engine.out3 ?? []).length).toBeGreaterThan(50);
      // The counts match the plan's own listing of each range.
      const cell = (v: number) => (type === "float" ? bitsOfFloat(v) : v | 0);
      for (const [a, b, n] of engine.sizes as number[][]) {
        expect(rangeValues(type, cell(a!), cell(b!)).length).toBe(n);
      }
    });
  }
});

describe("range and the magic-set transformation", () => {
  it("relations whose rules use range are computed in full, and the answers do not change", () => {
    const src = `
      .decl span(a: number, b: number)
      .decl cover(a: number, x: number)
      cover(a, x) :- span(a, b), x = range(a, b).
      .decl near(a: number, x: number)
      near(a, x) :- cover(a, x), x < 10.
      .decl q(x: number, y: number)
      .output q
      q(x, y) :- near(3, x), y = range(x, x + 2).`;
    const facts: Facts = {
      span: [
        [1, 3],
        [3, 6],
        [3, 12],
        [8, 9],
      ],
    };
    const expected = [3, 4, 5, 6, 7, 8, 9].flatMap((x) => [
      [x, x],
      [x, x + 1],
    ]);
    const plain = compile(src).run(facts);
    const magic = compile(`.pragma "magic-transform" "*"\n${src}`);
    expect(asSet(plain.q as Facts[string])).toEqual(asSet(expected));
    expect(asSet(magic.run(facts).q as Facts[string])).toEqual(asSet(expected));
    expect(magic.checked.magic!.refused.get("cover")).toMatch(/range/);
    expect([...magic.checked.magic!.generated.keys()]).toContain("near{bf}");
  });
});

describe("misplaced and ungrounded ranges", () => {
  const errors = (src: string) => check(parse(src, "t.dl").program).diagnostics.filter((d) => d.severity === "error");

  it("an argument bound nowhere else is not grounded, nor is a variable inside an expression equal to a range", () => {
    const ds = errors(`.decl a(x: number)\na(x) :- x = range(1, y).`);
    expect(ds.map((d) => d.code)).toEqual(["ungrounded-variable", "ungrounded-variable"]);
    expect(ds[1]!.message).toMatch(/"y"/);
    const inside = errors(`.decl a(x: number)\na(y) :- y + 1 = range(1, 3).`);
    expect(inside.map((d) => d.code)).toEqual(["ungrounded-variable"]);
  });

  it("range(…) in a head, an atom, an expression or a comparison other than = is reported where it stands", () => {
    const ds = errors(`
      .decl a(x: number)
      a(range(1, 3)).
      a(x) :- a(range(1, 3)), x = 1.
      a(x) :- a(x), x < range(1, 3).
      a(x) :- x = range(1, 3) + 1.
      a(x) :- a(x), range(1, 2) = range(1, 3).`);
    expect(ds.map((d) => d.code)).toEqual(Array(5).fill("range-misplaced"));
    expect(ds.map((d) => d.span?.start.line)).toEqual([3, 4, 5, 6, 7]);
    expect(ds[0]!.message).toMatch(/not a head/);
    expect(ds[3]!.message).toMatch(/inside an expression/);
  });

  it("range(…) in a lattice's operation is reported there", () => {
    const ds = errors(`.type S <: number\n.lattice S<> { Bottom -> 0, Lub -> range(_, _) }\n.decl r(x: number, v: S<>)\nr(1, 2).`);
    expect(ds.map((d) => [d.code, d.span?.start.line])).toEqual([["bad-lattice", 2]]);
    expect(ds[0]!.message).toMatch(/cannot use range/);
  });

  it("wrong arity and non-numeric arguments", () => {
    expect(errors(`.decl a(x: number)\na(x) :- x = range(1).`)[0]!.message).toMatch(/takes 2 or 3 arguments/);
    expect(errors(`.decl a(x: symbol)\na(x) :- x = range("a", "b").`)[0]!.code).toBe("type-mismatch");
  });
});
