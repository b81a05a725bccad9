// Semantic checks of types: base-type inference over rules, functor
// signatures, constants in their domain, and Soufflé's subtype check.

import { describe, expect, it } from "vitest";
import { brief, checkText, errorsOf, notes, okProgram, showRule } from "./check-helpers.js";

const rules = (text: string) => okProgram(text).rules.map(showRule);

describe("base types of terms", () => {
  it("types variables from the columns they occur in", () => {
    expect(rules(".decl e(x:symbol, y:number) input\n.decl r(y:number, x:symbol)\nr(y, x) :- e(x, y).\n")).toEqual([
      "r(y:number, x:symbol) :- e(x:symbol, y:number).",
    ]);
  });

  it("gives a plain integer literal the type its context needs, number otherwise", () => {
    expect(
      rules(
        ".decl u(x:unsigned)\n.decl f(x:float)\n.decl n(x:number)\n" +
          "u(3).\nf(3).\nn(3).\nf(x + 1) :- f(x), x < 2, 1 < 2.\nu(x * 2) :- u(x).\n",
      ),
    ).toEqual([
      "u(3:unsigned).",
      "f(3:float).",
      "n(3:number).",
      "f((x:float + 1:float):float) :- f(x:float), x:float < 2:float, 1:number < 2:number.",
      "u((x:unsigned * 2:unsigned):unsigned) :- u(x:unsigned).",
    ]);
  });

  it("keeps the type a literal's spelling forces", () => {
    expect(rules(".decl f(x:float)\n.decl u(x:unsigned)\nf(1.5).\nu(10u).\nu(0x10).\n")).toEqual([
      "f(1.5:float).",
      "u(10:unsigned).",
      "u(16:unsigned).",
    ]);
    const r = checkText(".decl n(x:number)\nn(1.5).\nn(10u).\n");
    expect(r.errors.map(brief)).toEqual([
      '2:3 type-mismatch: type mismatch: 1.5 is float, but column "x" of "n" has type number',
      '3:3 type-mismatch: type mismatch: 10u is unsigned, but column "x" of "n" has type number',
    ]);
    expect(notes(r.errors[0]!)).toEqual([]);
  });

  it("reports a symbol where a number is needed, saying where each type comes from", () => {
    const r = checkText(".decl e(x:symbol) input\n.decl r(n:number)\nr(n) :- e(x), n = strlen(x) - x.\n");
    expect(r.errors.map(brief)).toEqual([
      '3:31 type-mismatch: type mismatch: variable "x" is symbol, but the operands of "-" must be numeric',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['3:11 variable "x" is symbol here, because column "x" of "e" has type symbol']);
  });

  it("reports a variable used at two base types", () => {
    const r = checkText(".decl a(x:number) input\n.decl b(x:symbol) input\n.decl r(x:number)\nr(x) :- a(x), b(x).\n");
    expect(r.errors.map(brief)).toEqual([
      '4:17 type-mismatch: type mismatch: variable "x" is number, but column "x" of "b" has type symbol',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['4:11 variable "x" is number here, because column "x" of "a" has type number']);
  });

  it("points at the head when the body's type does not fit it", () => {
    const r = checkText(".type Name <: symbol\n.decl a(x:Name) input\n.decl r(x:number)\nr(x) :- a(x).\n");
    expect(r.errors.map(brief)).toEqual([
      '4:3 type-mismatch: type mismatch: variable "x" is symbol, but column "x" of "r" has type number',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['4:11 variable "x" is symbol here, because column "x" of "a" has type Name (symbol)']);
  });

  it("reports comparing a symbol with a number, with both origins", () => {
    const r = checkText(".decl a(x:number, y:symbol) input\n.decl r(x:number)\nr(x) :- a(x, y), x < y.\n");
    expect(r.errors.map(brief)).toEqual(["3:18 type-mismatch: type mismatch: cannot compare number with symbol"]);
    expect(notes(r.errors[0]!)).toEqual([
      '3:11 variable "x" is number here, because column "x" of "a" has type number',
      '3:14 variable "y" is symbol here, because column "y" of "a" has type symbol',
    ]);
  });

  it("allows ordered comparisons on symbols, as Soufflé does", () => {
    expect(rules('.decl a(x:symbol) input\n.decl r(x:symbol)\nr(x) :- a(x), x < "m".\n')).toEqual([
      'r(x:symbol) :- a(x:symbol), x:symbol < "m":symbol.',
    ]);
  });

  it("requires operands of one arithmetic operator to agree", () => {
    expect(errorsOf(".decl a(x:number, y:float) input\n.decl r(x:number)\nr(x + y) :- a(x, y).\n")).toEqual([
      '3:3 type-mismatch: type mismatch: the operands of "+" have different types: number and float',
    ]);
    expect(
      errorsOf(".decl a(x:float) input\n.decl r(x:float)\nr(x % 2) :- a(x).\nr(-x) :- a(x).\n.decl u(x:unsigned) input\nu(-x) :- u(x).\n"),
    ).toEqual([
      '3:3 type-mismatch: type mismatch: variable "x" is float, but the operands of "%" must be number or unsigned',
      '6:4 type-mismatch: type mismatch: variable "x" is unsigned, but the operand of "-" must be number or float',
    ]);
  });

  it("turns + on symbols into cat, as Soufflé's overload does", () => {
    expect(rules('.decl a(x:symbol) input\n.decl r(x:symbol)\nr(x + "!") :- a(x).\n')).toEqual([
      'r(cat(x:symbol, "!":symbol):symbol) :- a(x:symbol).',
    ]);
  });
});

describe("functors", () => {
  it("types the built-in functors by their signatures", () => {
    expect(
      rules(
        ".decl s(x:symbol) input\n.decl r(a:number, b:symbol, c:float, d:unsigned, e:number)\n" +
          "r(strlen(x), substr(x, 0, 2), to_float(x), to_unsigned(x), ord(x)) :- s(x).\n" +
          'r(to_number(x), cat(x, "a", x), itof(1), itou(2), utoi(3u)) :- s(x).\n' +
          "r(ftoi(1.5), to_string(4), utof(1), ftou(2.5), abs(-3)) :- s(_).\n" +
          'r(max(1, 2), min("a", "b"), max(1.0, 2), 1, 1) :- s(_).\n',
      ),
    ).toEqual([
      "r(strlen(x:symbol):number, substr(x:symbol, 0:number, 2:number):symbol, to_float(x:symbol):float, to_unsigned(x:symbol):unsigned, ord(x:symbol):number) :- s(x:symbol).",
      'r(to_number(x:symbol):number, cat(x:symbol, "a":symbol, x:symbol):symbol, itof(1:number):float, itou(2:number):unsigned, utoi(3:unsigned):number) :- s(x:symbol).',
      "r(ftoi(1.5:float):number, to_string(4:number):symbol, utof(1:unsigned):float, ftou(2.5:float):unsigned, abs(-3:number):number) :- s(_:symbol).",
      'r(max(1:number, 2:number):number, min("a":symbol, "b":symbol):symbol, max(1:float, 2:float):float, 1:unsigned, 1:number) :- s(_:symbol).',
    ]);
  });

  it("reports a wrong argument type of a functor", () => {
    const r = checkText('.decl n(x:number) input\n.decl r(x:number)\nr(strlen(x)) :- n(x).\nr(x) :- n(x), x = min(x, "a").\n');
    expect(r.errors.map(brief)).toEqual([
      '3:10 type-mismatch: type mismatch: variable "x" is number, but argument 1 of strlen must be symbol',
      "4:19 type-mismatch: type mismatch: the arguments of min have different types: number and symbol",
    ]);
    expect(notes(r.errors[0]!)).toEqual(['3:19 variable "x" is number here, because column "x" of "n" has type number']);
  });

  it("reports an unknown functor with a suggestion, and a wrong number of arguments", () => {
    const r = checkText(
      ".decl s(x:symbol) input\n.decl r(x:number)\nr(strln(x)) :- s(x).\nr(strlen(x, x)) :- s(x).\nr(to_number(substr(x))) :- s(x).\n",
    );
    expect(r.errors.map(brief)).toEqual([
      '3:3 unknown-functor: unknown functor "strln"',
      "4:3 functor-arity: strlen takes 1 argument, but is given 2",
      "5:13 functor-arity: substr takes 3 arguments, but is given 1",
    ]);
    expect(notes(r.errors[0]!)).toEqual(["- did you mean strlen?"]);
  });
});

describe("constants", () => {
  it("holds constants in their domain and rejects those out of it", () => {
    expect(rules(".decl u(x:unsigned)\n.decl n(x:number)\nu(4294967295).\nn(-2147483648).\nn(0x7fffffff).\n")).toEqual([
      "u(4294967295:unsigned).",
      "n(-2147483648:number).",
      "n(2147483647:number).",
    ]);
    expect(errorsOf(".decl u(x:unsigned)\n.decl n(x:number)\nu(-1).\nu(4294967296).\nn(2147483648).\n")).toEqual([
      "3:3 constant-out-of-range: -1 is not a valid unsigned value (unsigned values are 0 to 4294967295)",
      "4:3 constant-out-of-range: 4294967296 is out of range for unsigned (0 to 4294967295)",
      "5:3 constant-out-of-range: 2147483648 is out of range for number (-2147483648 to 2147483647)",
    ]);
  });

  it("reports a string where a number is expected", () => {
    expect(errorsOf('.decl n(x:number, y:symbol)\nn("1", 2).\n')).toEqual([
      '2:3 type-mismatch: type mismatch: "1" is symbol, but column "x" of "n" has type number',
      '2:8 type-mismatch: type mismatch: 2 is numeric, but column "y" of "n" has type symbol',
    ]);
  });
});

describe("aggregates and casts", () => {
  it("types count as number, sum/min/max as their target, mean as float; renames a sibling's local variable", () => {
    expect(
      rules(
        ".decl a(x:unsigned, f:float) input\n.decl r(c:number, s:unsigned, m:float, avg:float)\n" +
          "r(c, s, m, avg) :- c = count : { a(_, _) }, s = sum x : { a(x, _) }, m = max f : a(_, f), avg = mean f : a(_, f).\n",
      ),
    ).toEqual([
      "r(c:number, s:unsigned, m:float, avg:float) :- c:number = count : { a(_:unsigned, _:float) }:number, " +
        "s:unsigned = sum x:unsigned : { a(x:unsigned, _:float) }:unsigned, m:float = max f:float : { a(_:unsigned, f:float) }:float, " +
        "avg:float = mean f#1:float : { a(_:unsigned, f#1:float) }:float.",
    ]);
  });

  it("rejects aggregating symbols, and mean over a non-float, as Soufflé does", () => {
    expect(
      errorsOf(".decl a(x:symbol, n:number) input\n.decl r(x:number)\nr(m) :- m = min x : a(x, _).\nr(m) :- m = mean n : a(_, n).\n"),
    ).toEqual([
      '3:17 type-mismatch: type mismatch: variable "x" is symbol, but the target of min must be numeric',
      '4:3 type-mismatch: type mismatch: variable "m" is float, but column "x" of "r" has type number',
      '4:18 type-mismatch: type mismatch: variable "n" is number, but the target of mean must be float',
    ]);
  });

  it("types a cast by its target type and a cast constant as that type", () => {
    expect(
      rules(".type Id <: number\n.decl a(x:symbol) input\n.decl r(x:Id, y:float)\nr(as(ord(x), Id), as(2, float)) :- a(x).\n"),
    ).toEqual(["r(as(ord(x:symbol):number):number, as(2:float):float) :- a(x:symbol)."]);
    expect(errorsOf(".decl a(x:number) input\n.decl r(x:number)\nr(as(x, Num)) :- a(x).\n")).toEqual([
      '3:3 unknown-type: type "Num" is not declared',
    ]);
  });
});

describe("subtypes (Soufflé's rule for user types)", () => {
  const decls =
    ".type T <: symbol\n.type S <: symbol\n.type U = T | S\n.decl t(x:T) input\n.decl s(x:S) input\n.decl u(x:U)\n.decl sym(x:symbol) input\n";

  it("accepts a subtype where its supertype is declared, and constants anywhere", () => {
    okProgram(decls + 'u(x) :- t(x).\nu(x) :- s(x).\nu("c").\nu(cat(x, "!")) :- sym(x).\n');
  });

  it("rejects a supertype or an unrelated type where a subtype is declared", () => {
    const r = checkText(decls + ".decl t2(x:T)\nt2(x) :- s(x).\nt2(x) :- sym(x).\n");
    expect(r.errors.map(brief)).toEqual([
      '9:4 type-mismatch: type mismatch: variable "x" has type S, which is not a subtype of T, the type of column "x" of "t2"',
      '10:4 type-mismatch: type mismatch: variable "x" has type symbol, which is not a subtype of T, the type of column "x" of "t2"',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['8:12 column "x" is declared T here', '9:12 "x" is S here (column "x" of "s")']);
  });

  it("rejects a variable drawn from two unrelated types", () => {
    const r = checkText(decls + "u(x) :- t(x), s(x).\n");
    expect(r.errors.map(brief)).toEqual([
      '8:17 type-mismatch: type mismatch: variable "x" is used as T and as S, which have no common subtype',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['8:11 "x" is T here (column "x" of "t")', '8:17 "x" is S here (column "x" of "s")']);
  });

  it("checks negated atoms by base type only, as Soufflé does", () => {
    okProgram(decls + "u(x) :- t(x), !s(x).\n");
  });
});
