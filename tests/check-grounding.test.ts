// Semantic checks of variable binding: grounding, aggregate scopes, `_`,
// facts, and Soufflé's single-use variable warnings.

import { describe, expect, it } from "vitest";
import { brief, checkText, errorsOf, notes, okProgram, showRule } from "./check-helpers.js";

const decls = ".decl a(x:number, y:number) input\n.decl b(x:number) input\n.decl r(x:number, y:number)\n";

describe("grounding", () => {
  it("reports an ungrounded head variable at its first occurrence in the head", () => {
    const r = checkText(decls + "r(x, y) :- b(x).\n");
    expect(r.errors.map(brief)).toEqual(['4:6 ungrounded-variable: variable "y" is not grounded in this rule']);
    expect(notes(r.errors[0]!)).toEqual([]);
  });

  it("does not let negations, comparisons or functor arguments ground a variable", () => {
    const r = checkText(decls + "r(x, y) :- b(x), !a(x, y).\nr(x, x) :- b(y), x < y.\nr(x, y) :- b(x), y = z + 1.\n");
    expect(r.errors.map(brief)).toEqual([
      '4:6 ungrounded-variable: variable "y" is not grounded in this rule',
      '5:3 ungrounded-variable: variable "x" is not grounded in this rule',
      '6:6 ungrounded-variable: variable "y" is not grounded in this rule',
      '6:22 ungrounded-variable: variable "z" is not grounded in this rule',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['4:24 "y" occurs in a negated atom here, which does not ground it']);
  });

  it("grounds through chains of equalities with grounded terms, in any order", () => {
    expect(okProgram(decls + "r(x, z) :- z = y * 2, y = x + 1, b(x).\nr(x, y) :- x = 1, y = as(x, number).\n").rules.map(showRule)).toEqual(
      [
        "r(x:number, z:number) :- z:number = (y:number * 2:number):number, y:number = (x:number + 1:number):number, b(x:number).",
        "r(x:number, y:number) :- x:number = 1:number, y:number = as(x:number):number.",
      ],
    );
  });

  it("binds an aggregate's result variable, and keeps the aggregate's own variables local", () => {
    const p = okProgram(
      decls + "r(x, n) :- b(x), n = count : { a(x, y), y > x }.\nr(n, m) :- n = sum y : { a(_, y) }, m = max y : a(y, _).\n",
    );
    expect(p.rules.map(showRule)).toEqual([
      "r(x:number, n:number) :- b(x:number), n:number = count : { a(x:number, y:number), y:number > x:number }:number.",
      "r(n:number, m:number) :- n:number = sum y:number : { a(_:number, y:number) }:number, m:number = max y#1:number : { a(y#1:number, _:number) }:number.",
    ]);
  });

  it("keeps a variable local to its aggregate when it is not grounded outside (as Soufflé scopes them)", () => {
    // x occurs outside, but is grounded there only by this very aggregate: the x inside is another variable.
    expect(okProgram(decls + "r(x, x) :- x = min x : a(_, x).\n").rules.map(showRule)).toEqual([
      "r(x:number, x:number) :- x:number = min x#1:number : { a(_:number, x#1:number) }:number.",
    ]);
  });

  it("reports variables not grounded inside an aggregate", () => {
    const r = checkText(decls + "r(x, n) :- b(x), n = sum z : { a(x, y) }.\n");
    expect(r.errors.map(brief)).toEqual(['4:26 ungrounded-variable: variable "z" is not grounded in this aggregate']);
    expect(notes(r.errors[0]!)).toEqual(["4:22 variables of an aggregate's body are local to it unless grounded outside it"]);
  });

  it("makes a variable bound only inside a min or max its witness", () => {
    const p = okProgram(decls + "r(x, m) :- m = max y : a(x, y).\nr(x, y) :- _ = min x + y : { a(x, y) }.\n");
    expect(p.rules.map(showRule)).toEqual([
      "r(x:number, m:number) :- m:number = max y:number : { a(x:number, y:number) } witnessing x:number.",
      "r(x:number, y:number) :- $discard0:number = min (x:number + y:number):number : { a(x:number, y:number) } witnessing x, y:number.",
    ]);
  });

  it("binds a witness of an aggregate nested in another through a copy of it in the rule", () => {
    const p = okProgram(decls + "r(n, w) :- n = count : { a(x, _), x > min y : { a(y, w) } }.\n");
    expect(p.rules.map(showRule)).toEqual([
      "r(n:number, w:number) :- n:number = count : { a(x:number, _:number), x:number > min y:number : { a(y:number, w#1:number) }:number }:number, " +
        "$witness0:number = min y#w0:number : { a(y#w0:number, w:number) } witnessing w:number.",
    ]);
  });

  it("keeps a target's variables local to the aggregate, as Soufflé does", () => {
    // y is grounded outside, but the y of the target is the sum's own.
    expect(okProgram(decls + "r(x, n) :- a(x, y), n = sum y : { a(y, _) }.\n").rules.map(showRule)).toEqual([
      "r(x:number, n:number) :- a(x:number, y:number), n:number = sum y#1:number : { a(y#1:number, _:number) }:number.",
    ]);
  });

  it("rejects witnesses of count, sum and mean, and of aggregates in the head", () => {
    const r = checkText(decls + "r(x, n) :- n = count : { a(x, _) }.\nr(x, max y : { a(x, y) }) :- b(_).\n");
    expect(r.errors.map(brief)).toEqual([
      '4:3 aggregate-witness: variable "x" is bound only inside a count, and only min and max export the variables they bind (witnesses)',
      '5:3 aggregate-witness: variable "x" is bound only inside an aggregate of the head; witnesses come from aggregates of the body',
    ]);
    expect(notes(r.errors[0]!)).toEqual([
      '4:16 "x" is bound inside this count',
      '- to count per "x", bind "x" outside the count too, with an atom of the rule\'s body',
    ]);
  });

  it("rejects a nested witness whose aggregate reads a variable of the aggregate around it", () => {
    const r = checkText(decls + "r(w, n) :- n = count : { a(x, _), x > min y : { a(y, w), y > x } }.\n");
    expect(r.errors.map(brief)).toEqual([
      '4:3 aggregate-witness: variable "w" is a witness of a min inside another aggregate, and that min reads "x", which is local to the enclosing aggregate',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['4:39 "w" is bound inside this min', '4:16 "x" is local to this count']);
  });

  it("gives witnesses to the rule only, not to an enclosing aggregate", () => {
    const r = checkText(decls + "r(x, n) :- b(x), n = sum w : { b(z), z = max y : { a(y, w) } }.\n");
    expect(r.errors.map(brief)).toEqual(['4:26 ungrounded-variable: variable "w" is not grounded in this aggregate']);
    expect(notes(r.errors[0]!)).toEqual([
      "4:22 variables of an aggregate's body are local to it unless grounded outside it",
      '4:42 "w" is bound inside this max, but only the rule itself, outside every aggregate, receives witnesses',
    ]);
  });

  it("passes grounded variables into nested aggregates", () => {
    okProgram(decls + "r(x, n) :- b(x), n = max m : { a(x, y), m = count : { a(y, z), z > x } }.\n");
  });

  it("checks facts for constants only", () => {
    expect(errorsOf(decls + "r(1 + 2, x).\nb(autoinc()).\n")).toEqual([
      '4:10 non-constant-fact: a fact can only hold constants, but this argument contains variable "x"',
      "5:3 non-constant-fact: a fact can only hold constants, but this argument contains autoinc()",
    ]);
    expect(okProgram(decls + 'r(1 + 2, to_number("3")).\n').rules.map(showRule)).toEqual([
      'r((1:number + 2:number):number, to_number("3":symbol):number).',
    ]);
  });

  it("checks a bodiless clause with an aggregate as a rule", () => {
    okProgram(decls + "r(1, count : { b(_) }).\n");
  });
});

describe("wildcards", () => {
  it("rejects _ in a head and anywhere but an atom's argument or a side of an equality", () => {
    expect(
      errorsOf(
        decls +
          "r(x, _) :- b(x).\nr(x, x) :- b(x), x < _.\nr(x, x) :- a(x, _ + 1).\nr(x, n) :- b(x), n = sum _ : b(_).\nr(x, x) :- b(x), _ = _.\n",
      ),
    ).toEqual([
      '4:6 wildcard-in-head: "_" cannot be used in the head of a rule',
      '5:22 wildcard-misplaced: "_" can only be an argument of an atom, or a side of an equality',
      '6:17 wildcard-misplaced: "_" can only be an argument of an atom, or a side of an equality',
      '7:26 wildcard-misplaced: "_" can only be an argument of an atom, or a side of an equality',
      '8:18 wildcard-misplaced: "_" can only be an argument of an atom, or a side of an equality',
      '8:22 wildcard-misplaced: "_" can only be an argument of an atom, or a side of an equality',
    ]);
  });

  it("allows _ = t, which only needs t to have a value", () => {
    expect(okProgram(decls + "r(x, x) :- b(x), _ = x / 2.\n").rules.map(showRule)).toEqual([
      "r(x:number, x:number) :- b(x:number), $discard0:number = (x:number / 2:number):number.",
    ]);
  });

  it("allows _ in positive and negated atoms, also inside aggregates", () => {
    okProgram(decls + "r(x, n) :- b(x), !a(x, _), n = count : { a(_, x) }.\n");
  });
});

describe("single-use variables", () => {
  it("warns about a variable that occurs once, suggesting _", () => {
    const r = checkText(decls + "r(x, x) :- a(x, y).\n");
    expect(r.checked).toBeDefined();
    expect(r.warnings.map(brief)).toEqual(['4:17 single-use-variable: variable "y" only occurs once']);
    expect(notes(r.warnings[0]!)).toEqual(['- if this is intended, write "_" instead (or "_y")']);
  });

  it("counts per clause across disjuncts and heads, as Soufflé does", () => {
    const r = checkText(
      decls + "r(x, x) :- b(x), (a(x, y) ; a(y, x)).\nr(x, x), r(y, y) :- a(x, y).\nr(x, x) :- b(x), (a(x, z) ; b(z), a(z, z)).\n",
    );
    expect(r.warnings.map(brief)).toEqual(['4:24 single-use-variable: variable "y" only occurs once']);
  });

  it("does not warn about _x, but warns when _x occurs twice", () => {
    const r = checkText(decls + "r(x, x) :- a(x, _y).\nr(x, x) :- a(x, _z), b(_z).\n");
    expect(r.warnings.map(brief)).toEqual([
      '5:24 singleton-reused: variable "_z" is marked as unused by its leading "_" but occurs more than once',
    ]);
  });
});
