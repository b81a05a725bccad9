// The oracle checked on its own, on checked programs built by hand (no parser
// involved): body ordering, aggregates, strata validation, and the printer.

import { describe, expect, it } from "vitest";
import { agg, atom, bin, cmp, neg, num, program, relation, un, v, wild } from "./oracle/build.js";
import { asSet } from "./oracle/compare.js";
import { evaluateNaive } from "./oracle/naive.js";
import { printTerm } from "./oracle/print.js";
import { arith, functor } from "./oracle/values.js";

const e = relation("e", ["number", "number"]);
const p = relation("p", ["number", "number"]);
const q = relation("q", ["number"]);
const c = relation("c", ["number", "number"]);

describe("naive evaluation", () => {
  it("solves bodies written in an order that cannot run as is", () => {
    // p(x, z) :- z = y + 1, y < 3, e(x, y).   (the binding and the filter come first)
    const prog = program(
      [e, p],
      [
        [
          {
            head: atom("p", [v("x"), v("z")]),
            body: [cmp("=", v("z"), bin("+", v("y"), num(1))), cmp("<", v("y"), num(3)), atom("e", [v("x"), v("y")])],
          },
        ],
      ],
    );
    const out = evaluateNaive(prog, {
      e: [
        [1, 2],
        [2, 3],
        [5, 0],
      ],
    });
    expect(asSet(out.p)).toEqual(
      asSet([
        [1, 3],
        [5, 1],
      ]),
    );
  });

  it("iterates recursive strata to the fixpoint", () => {
    const prog = program(
      [e, p],
      [
        [
          { head: atom("p", [v("x"), v("y")]), body: [atom("e", [v("x"), v("y")])] },
          { head: atom("p", [v("x"), v("z")]), body: [atom("p", [v("x"), v("y")]), atom("p", [v("y"), v("z")])] },
        ],
      ],
    );
    const out = evaluateNaive(prog, {
      e: [
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    });
    expect(asSet(out.p)).toEqual(
      asSet([
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
        [3, 4],
      ]),
    );
  });

  it("aggregates per binding of the shared variables, counting wildcard-distinct tuples", () => {
    // c(x, n) :- e(x, _), n = count : { e(x, _) }.   and   q(s) :- s = sum y : { e(_, y) }.
    const prog = program(
      [e, c, q],
      [
        [
          {
            head: atom("c", [v("x"), v("n")]),
            body: [atom("e", [v("x"), wild()]), cmp("=", v("n"), agg("count", [atom("e", [v("x"), wild()])]))],
          },
        ],
        [{ head: atom("q", [v("s")]), body: [cmp("=", v("s"), agg("sum", [atom("e", [wild(), v("y")])], v("y")))] }],
      ],
    );
    const out = evaluateNaive(prog, {
      e: [
        [1, 2],
        [1, 3],
        [2, 3],
        [4, 3],
      ],
    });
    expect(asSet(out.c)).toEqual(
      asSet([
        [1, 2],
        [2, 1],
        [4, 1],
      ]),
    );
    expect(asSet(out.q)).toEqual(asSet([[11]]));
  });

  it("min over nothing gives no result, count over nothing gives 0", () => {
    const minRule = { head: atom("q", [v("m")]), body: [cmp("=", v("m"), agg("min", [atom("e", [v("a"), wild()])], v("a")))] };
    const countRule = { head: atom("q", [v("m")]), body: [cmp("=", v("m"), agg("count", [atom("e", [wild(), wild()])]))] };
    expect(evaluateNaive(program([e, q], [[minRule]]), {}).q).toEqual([]);
    expect(evaluateNaive(program([e, q], [[countRule]]), {}).q).toEqual([[0]]);
  });

  it("rejects strata that negate a relation of the same stratum", () => {
    const bad = program([e, q], [[{ head: atom("q", [v("x")]), body: [atom("e", [v("x"), wild()]), neg(atom("q", [v("x")]))] }]]);
    expect(() => evaluateNaive(bad, { e: [[1, 1]] })).toThrow(/not complete/);
  });

  it("rejects a rule whose variables cannot all be bound", () => {
    const bad = program([e, q], [[{ head: atom("q", [v("x")]), body: [cmp("<", v("x"), num(3))] }]]);
    expect(() => evaluateNaive(bad, {})).toThrow(/grounded/);
  });
});

describe("value semantics", () => {
  it("wraps, truncates and takes C remainders", () => {
    expect(arith("+", "number", 2147483647, 1)).toBe(-2147483648);
    expect(arith("/", "number", -7, 2)).toBe(-3);
    expect(arith("%", "number", -7, 2)).toBe(-1);
    expect(arith("^", "number", 3, 4)).toBe(81);
    expect(arith("-", "unsigned", 0, 1)).toBe(4294967295);
    expect(arith("bshr", "unsigned", 4294967295, 28)).toBe(15);
    expect(arith("bshr", "number", -16, 2)).toBe(-4);
    expect(arith("+", "float", 0.1, 0.2)).toBe(Math.fround(0.1 + 0.2));
  });

  it("evaluates string functors", () => {
    expect(functor("substr", "symbol", ["hello", 1, 3], ["symbol", "number", "number"])).toBe("ell");
    expect(functor("substr", "symbol", ["hi", 5, 1], ["symbol", "number", "number"])).toBe("");
    expect(functor("cat", "symbol", ["a", "b", "c"], ["symbol", "symbol", "symbol"])).toBe("abc");
    expect(functor("to_number", "number", ["-42"], ["symbol"])).toBe(-42);
    expect(functor("ftoi", "number", [-3.75], ["float"])).toBe(-3);
  });
});

describe("printer", () => {
  it("parenthesises only where precedence and associativity require", () => {
    const [a, b, c2] = [v("a"), v("b"), v("c")];
    expect(printTerm(bin("-", a, bin("-", b, c2)))).toBe("a - (b - c)");
    expect(printTerm(bin("-", bin("-", a, b), c2))).toBe("a - b - c");
    expect(printTerm(bin("*", bin("+", a, b), c2))).toBe("(a + b) * c");
    expect(printTerm(bin("^", bin("^", a, b), c2))).toBe("(a ^ b) ^ c");
    expect(printTerm(bin("^", a, bin("^", b, c2)))).toBe("a ^ b ^ c");
    expect(printTerm(bin("^", num(-2), num(2)))).toBe("(-2) ^ 2");
    expect(printTerm(un("neg", bin("^", a, num(2))))).toBe("-a ^ 2");
    expect(printTerm(bin("band", bin("+", a, b), c2))).toBe("a + b band c");
    expect(printTerm(bin("+", a, bin("band", b, c2)))).toBe("a + (b band c)");
  });
});
