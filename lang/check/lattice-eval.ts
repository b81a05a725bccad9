// A small evaluator for the terms of `.lattice` operations at compile time, over
// the built-in operators and functors with the engine's semantics (32-bit
// number and unsigned, float32, symbols as strings). User functors and anything
// else it does not know raise Unevaluable: the law check then skips that term.

import type { MTerm } from "../model.js";

export type Value = number | string;

/** The term cannot be evaluated at compile time (a user functor, a division by zero, …). */
export class Unevaluable extends Error {}

function wrap(type: MTerm["type"], v: number): number {
  switch (type) {
    case "number":
      return v | 0;
    case "unsigned":
      return v >>> 0;
    case "float":
      return Math.fround(v);
    default:
      throw new Unevaluable();
  }
}

function num(v: Value): number {
  if (typeof v !== "number") throw new Unevaluable();
  return v;
}

function ipow(a: number, b: number): number {
  let r = 1;
  for (let e = b >>> 0, base = a | 0; e > 0; e >>>= 1) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

function arith(op: string, type: MTerm["type"], a: number, b: number): number {
  const u = type === "unsigned";
  if (type === "float") {
    switch (op) {
      case "+":
        return wrap(type, a + b);
      case "-":
        return wrap(type, a - b);
      case "*":
        return wrap(type, a * b);
      case "/":
        return wrap(type, a / b);
      case "%":
        return wrap(type, a % b);
      case "^":
        return wrap(type, a ** b);
      default:
        throw new Unevaluable();
    }
  }
  switch (op) {
    case "+":
      return wrap(type, a + b);
    case "-":
      return wrap(type, a - b);
    case "*":
      return wrap(type, Math.imul(a, b));
    case "/":
      if (b === 0) throw new Unevaluable();
      return wrap(type, Math.trunc(a / b));
    case "%":
      if (b === 0) throw new Unevaluable();
      return wrap(type, a % b);
    case "^":
      return wrap(type, b < 0 && !u ? Math.trunc(a ** b) : ipow(a, b));
    case "band":
      return wrap(type, a & b);
    case "bor":
      return wrap(type, a | b);
    case "bxor":
      return wrap(type, a ^ b);
    case "bshl":
      return wrap(type, a << b);
    case "bshr":
      return wrap(type, u ? a >>> b : a >> b);
    case "bshru":
      return wrap(type, a >>> b);
    case "land":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "lor":
      return a !== 0 || b !== 0 ? 1 : 0;
    case "lxor":
      return (a !== 0) !== (b !== 0) ? 1 : 0;
  }
  throw new Unevaluable();
}

function less(a: Value, b: Value): boolean {
  return typeof a === "string" || typeof b === "string" ? String(a) < String(b) : a < b;
}

function call(name: string, type: MTerm["type"], args: Value[]): Value {
  switch (name) {
    case "min":
      return args.reduce((x, y) => (less(y, x) ? y : x));
    case "max":
      return args.reduce((x, y) => (less(x, y) ? y : x));
    case "abs":
      return wrap(type, Math.abs(num(args[0]!)));
    case "cat":
      return args.map(String).join("");
    case "strlen":
      if (typeof args[0] !== "string") throw new Unevaluable();
      return args[0].length;
  }
  throw new Unevaluable();
}

/** The value of `t` with its variables bound by `vars`. */
export function evaluate(t: MTerm, vars: ReadonlyMap<string, Value>): Value {
  switch (t.kind) {
    case "const":
      return typeof t.value === "number" ? wrap(t.type, t.value) : t.value;
    case "var": {
      const v = vars.get(t.name);
      if (v === undefined) throw new Unevaluable();
      return v;
    }
    case "binary":
      return arith(t.op, t.type, num(evaluate(t.left, vars)), num(evaluate(t.right, vars)));
    case "unary": {
      const a = num(evaluate(t.operand, vars));
      if (t.op === "neg") return wrap(t.type, -a);
      if (t.op === "bnot") return wrap(t.type, ~a);
      return a === 0 ? 1 : 0;
    }
    case "call":
      if (t.name.startsWith("@")) throw new Unevaluable();
      return call(
        t.name,
        t.type,
        t.args.map((a) => evaluate(a, vars)),
      );
    case "cast":
      if (t.term.type !== t.type) throw new Unevaluable();
      return evaluate(t.term, vars);
    default:
      throw new Unevaluable();
  }
}

/** Equality of two values as the engine sees them (0 and -0 differ; NaN equals itself). */
export function same(a: Value, b: Value): boolean {
  return Object.is(a, b);
}

/** A value as written in a program. */
export function show(v: Value): string {
  return typeof v === "string" ? JSON.stringify(v) : Object.is(v, -0) ? "-0.0" : String(v);
}
