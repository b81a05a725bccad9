// Soufflé's value semantics for the oracle, written from the language's rules
// and not from the engine: number is int32 with wrap-around, unsigned is
// uint32, float is float32 (rounded after every operation), symbol is a string.

import type { ArithOp, CompareOp, UnaryOp } from "../../lang/ast.js";
import type { BaseType } from "../../lang/model.js";

export type Value = number | string;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * A tuple's identity: cells are 32-bit patterns, so -0 and 0 are different floats
 * (comparisons with `=` still treat them as equal). JSON would merge them.
 */
export function keyOf(tuple: readonly unknown[]): string {
  return JSON.stringify(tuple.map((v) => (Object.is(v, -0) ? "\u0000-0" : v)));
}

/** Whether two cells hold the same bits (an atom's argument against a stored value). */
export const sameCell = (a: Value, b: Value): boolean => Object.is(a, b);

/** Brings an input value into its column's domain, as inserting it into a relation does. */
export function normalize(type: BaseType, v: Value): Value {
  switch (type) {
    case "symbol":
      return String(v);
    case "number":
      return Number(v) | 0;
    case "unsigned":
      return Number(v) >>> 0;
    case "float":
      return Math.fround(Number(v));
  }
}

/** True when `v` is a well-formed value of `type` (catches mistyped terms in a checked program). */
export function inDomain(type: BaseType, v: Value): boolean {
  if (type === "symbol") return typeof v === "string";
  if (typeof v !== "number") return false;
  if (type === "number") return v === (v | 0);
  if (type === "unsigned") return v === v >>> 0;
  return Number.isNaN(v) || v === Math.fround(v);
}

/** Wraps an exact integer result into the domain of `type`. */
function wrap(type: BaseType, x: number): number {
  return type === "unsigned" ? x >>> 0 : x | 0;
}

/** base^exp by repeated squaring with wrap-around; a negative exponent truncates like pow. */
function ipow(type: BaseType, base: number, exp: number): number {
  if (exp < 0) return base === 1 ? 1 : base === -1 ? (exp % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let b = base;
  let e = exp;
  while (e > 0) {
    if (e % 2 === 1) result = wrap(type, Math.imul(result, b));
    b = wrap(type, Math.imul(b, b));
    e = Math.floor(e / 2);
  }
  return wrap(type, result);
}

const truth = (b: boolean): number => (b ? 1 : 0);

export class OracleError extends Error {}

export function arith(op: ArithOp, type: BaseType, a: Value, b: Value): Value {
  if (type === "symbol" && op === "+" && typeof a === "string" && typeof b === "string") return a + b; // concatenation
  if (type === "symbol" || typeof a !== "number" || typeof b !== "number") {
    throw new OracleError(`arithmetic ${op} on ${type}`);
  }
  if (type === "float") {
    switch (op) {
      case "+":
        return Math.fround(a + b);
      case "-":
        return Math.fround(a - b);
      case "*":
        return Math.fround(a * b);
      case "/":
        return Math.fround(a / b);
      case "%":
        return Math.fround(a % b);
      case "^":
        return Math.fround(a ** b);
      default:
        throw new OracleError(`${op} on floats`);
    }
  }
  const unsigned = type === "unsigned";
  switch (op) {
    case "+":
      return wrap(type, a + b);
    case "-":
      return wrap(type, a - b);
    case "*":
      return wrap(type, Math.imul(a, b));
    case "/":
      if (b === 0) throw new OracleError("division by zero");
      return wrap(type, Math.trunc(a / b));
    case "%":
      if (b === 0) throw new OracleError("division by zero");
      return wrap(type, a % b); // JS % is C's remainder: the sign of the dividend
    case "^":
      return ipow(type, a, b);
    case "band":
      return wrap(type, a & b);
    case "bor":
      return wrap(type, a | b);
    case "bxor":
      return wrap(type, a ^ b);
    // The shift count is taken modulo 32 (Soufflé masks it with 31).
    case "bshl":
      return wrap(type, a << (b & 31));
    case "bshr":
      return unsigned ? a >>> (b & 31) : a >> (b & 31);
    case "bshru":
      return wrap(type, a >>> (b & 31));
    case "land":
      return truth(a !== 0 && b !== 0);
    case "lor":
      return truth(a !== 0 || b !== 0);
    case "lxor":
      return truth((a !== 0) !== (b !== 0));
  }
}

export function unary(op: UnaryOp, type: BaseType, a: Value): Value {
  if (typeof a !== "number" || type === "symbol") throw new OracleError(`${op} on ${type}`);
  if (type === "float") {
    if (op === "neg") return -a;
    throw new OracleError(`${op} on floats`);
  }
  switch (op) {
    case "neg":
      return wrap(type, -a);
    case "bnot":
      return wrap(type, ~a);
    case "lnot":
      return truth(a === 0);
  }
}

export function compare(op: CompareOp, a: Value, b: Value): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** `as(v, to)`: the same 32 bits read as another type. */
export function reinterpret(from: BaseType, to: BaseType, v: Value): Value {
  if (from === to) return v;
  if (from === "symbol" || to === "symbol" || typeof v !== "number") {
    throw new OracleError(`as() between ${from} and ${to}`);
  }
  if (from === "float") f32[0] = v;
  else i32[0] = v;
  if (to === "float") return f32[0]!;
  return to === "unsigned" ? i32[0]! >>> 0 : i32[0]!;
}

/** A numeric value of type `from` converted (not reinterpreted) to `to`. */
function convert(from: BaseType, to: BaseType, v: number): number {
  if (to === "float") return Math.fround(v);
  return wrap(to, from === "float" ? Math.trunc(v) : v);
}

/** Symbol ids for ord(): only equality between them is meaningful. */
const ordinals = new Map<string, number>();

/** Parses a decimal integer the way to_number does (optional sign, digits, nothing else, within 32 bits). */
function parseNumber(s: string, max = 2147483647): number {
  if (!/^\s*[+-]?\d+$/.test(s) || Number(s) < -2147483648 || Number(s) > max) throw new OracleError(`to_number(${JSON.stringify(s)})`);
  return Number(s) | 0;
}

/** std::to_string of a float: printf's "%f", six decimals. */
function floatToString(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Math.abs(x) >= 1e21) throw new OracleError("to_string of a float this large is not modelled");
  return (Object.is(x, -0) ? "-" : "") + x.toFixed(6);
}

function substr(s: string, start: number, length: number): string {
  // std::string::substr: start past the end is an error (Soufflé warns and yields "");
  // a negative length is a huge size_t, i.e. "to the end".
  if (start < 0 || start > s.length) return "";
  return length < 0 ? s.slice(start) : s.slice(start, start + length);
}

/** min/max over numbers, or over symbols by their text. */
function pick(args: readonly Value[], better: (a: Value, b: Value) => boolean): Value {
  if (args.length === 0) throw new OracleError("min/max without arguments");
  let best = args[0]!;
  for (const v of args.slice(1)) if (better(v, best)) best = v;
  return best;
}

/** A built-in functor; `argTypes` are the arguments' resolved types, `type` the result's. */
export function functor(name: string, type: BaseType, args: readonly Value[], argTypes: readonly BaseType[]): Value {
  const a = args[0]!;
  const from = argTypes[0]!;
  const num = (v: Value): number => {
    if (typeof v !== "number") throw new OracleError(`${name} expects a number`);
    return v;
  };
  const str = (v: Value): string => {
    if (typeof v !== "string") throw new OracleError(`${name} expects a symbol`);
    return v;
  };
  switch (name) {
    case "cat":
      return args.map(str).join("");
    case "strlen":
      return str(a).length;
    case "substr":
      return substr(str(a), num(args[1]!), num(args[2]!));
    case "ord": {
      if (from !== "symbol") return reinterpret(from, "number", num(a)); // the raw 32 bits
      const s = str(a);
      if (!ordinals.has(s)) ordinals.set(s, ordinals.size);
      return ordinals.get(s)!;
    }
    case "to_string":
      return from === "float" ? floatToString(num(a)) : String(num(a));
    case "to_number":
      return from === "symbol" ? parseNumber(str(a)) : convert(from, "number", num(a));
    case "to_unsigned":
      return from === "symbol" ? parseNumber(str(a), 4294967295) >>> 0 : convert(from, "unsigned", num(a));
    case "to_float":
      return from === "symbol" ? Math.fround(Number(str(a))) : convert(from, "float", num(a));
    case "itof":
    case "utof":
      return convert(from, "float", num(a));
    case "itou":
    case "ftou":
      return convert(from, "unsigned", num(a));
    case "utoi":
    case "ftoi":
      return convert(from, "number", num(a));
    case "min":
      return pick(args, (x, y) => x < y);
    case "max":
      return pick(args, (x, y) => x > y);
    case "abs": {
      const x = num(a);
      return type === "float" ? Math.abs(x) : wrap(type, Math.abs(x));
    }
    default:
      throw new OracleError(`functor ${name} is not modelled by the oracle`);
  }
}

/** contains(sub, s): sub occurs in s. match(re, s): the regex matches all of s. */
export function test(name: "contains" | "match" | "true" | "false" | "member", args: readonly Value[]): boolean {
  switch (name) {
    case "member":
      throw new Error("member() tests set values, which this oracle does not have");
    case "true":
      return true;
    case "false":
      return false;
    case "contains":
      return String(args[1]).includes(String(args[0]));
    case "match": {
      try {
        return new RegExp(`^(?:${String(args[0])})$`).test(String(args[1]));
      } catch {
        return false; // Soufflé warns about an invalid regex and the test fails
      }
    }
  }
}
