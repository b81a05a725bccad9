// Signatures of the built-in functors and operators, as sets of base types
// (bit masks), following Soufflé's table of intrinsic functors, plus the
// functors on lattice values (singleton, size, pair, first, second).

import type { ArithOp, UnaryOp } from "../ast.js";
import type { BaseType } from "../model.js";

export const NUM = 1;
export const UNS = 2;
export const FLT = 4;
export const SYM = 8;
export const NUMERIC = NUM | UNS | FLT;
export const INTEGRAL = NUM | UNS;
export const ANY = NUMERIC | SYM;

export function maskOf(b: BaseType): number {
  switch (b) {
    case "number":
      return NUM;
    case "unsigned":
      return UNS;
    case "float":
      return FLT;
    case "symbol":
      return SYM;
  }
}

/** The type a set of possible types settles on: the only one, or the first of number, unsigned, float, symbol. */
export function pick(mask: number): BaseType {
  if (mask & NUM) return "number";
  if (mask & UNS) return "unsigned";
  if (mask & FLT) return "float";
  return "symbol";
}

export function describeMask(mask: number): string {
  switch (mask) {
    case NUM:
      return "number";
    case UNS:
      return "unsigned";
    case FLT:
      return "float";
    case SYM:
      return "symbol";
    case NUMERIC:
      return "numeric";
    case INTEGRAL:
      return "number or unsigned";
    case NUM | FLT:
      return "number or float";
    case ANY:
      return "of any type";
  }
  const names = (["number", "unsigned", "float", "symbol"] as const).filter((b) => mask & maskOf(b));
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export type Signature =
  /** Fixed parameter types (masks) and result. */
  | { readonly kind: "fixed"; readonly params: readonly number[]; readonly result: BaseType }
  /** All arguments and the result share one type among `allowed`. */
  | { readonly kind: "same"; readonly allowed: number; readonly min: number; readonly max: number }
  /** first(p), second(p): a component of a pair value (an id); its type is the component lattice's. */
  | { readonly kind: "component"; readonly index: 0 | 1 };

const fixed = (params: number[], result: BaseType): Signature => ({ kind: "fixed", params, result });

export const FUNCTORS: ReadonlyMap<string, Signature> = new Map<string, Signature>([
  ["cat", { kind: "same", allowed: SYM, min: 1, max: Infinity }],
  ["strlen", fixed([SYM], "number")],
  ["substr", fixed([SYM, NUM, NUM], "symbol")],
  ["ord", fixed([ANY], "number")],
  ["to_number", fixed([ANY], "number")],
  ["to_string", fixed([ANY], "symbol")],
  ["to_float", fixed([ANY], "float")],
  ["to_unsigned", fixed([ANY], "unsigned")],
  ["itof", fixed([NUM], "float")],
  ["itou", fixed([NUM], "unsigned")],
  ["utoi", fixed([UNS], "number")],
  ["utof", fixed([UNS], "float")],
  ["ftoi", fixed([FLT], "number")],
  ["ftou", fixed([FLT], "unsigned")],
  ["min", { kind: "same", allowed: ANY, min: 1, max: Infinity }],
  ["max", { kind: "same", allowed: ANY, min: 1, max: Infinity }],
  ["abs", { kind: "same", allowed: NUMERIC, min: 1, max: 1 }],
  ["autoinc", fixed([], "number")],
  // range(from, to[, step]) is a generator: only `x = range(…)` in a body (lang/check/range.ts).
  ["range", { kind: "same", allowed: NUMERIC, min: 2, max: 3 }],
  // Lattice values: sets and pairs are ids (numbers); singleton's element type comes from its context.
  ["singleton", fixed([ANY], "number")],
  ["size", fixed([NUM], "number")],
  ["pair", fixed([ANY, ANY], "number")],
  ["first", { kind: "component", index: 0 }],
  ["second", { kind: "component", index: 1 }],
]);

/** Functors Soufflé has that Cairn does not evaluate. */
export const UNSUPPORTED_FUNCTORS: ReadonlyMap<string, string> = new Map<string, string>();

/** Operand types of the arithmetic operators; `+` on symbols concatenates, as in Soufflé. */
export function binaryOperands(op: ArithOp): number {
  switch (op) {
    case "+":
      return NUMERIC | SYM;
    case "-":
    case "*":
    case "/":
    case "^":
      return NUMERIC;
    default:
      return INTEGRAL;
  }
}

export function unaryOperands(op: UnaryOp): number {
  return op === "neg" ? NUM | FLT : INTEGRAL;
}

/** How an operator is written, for messages. */
export function opText(op: ArithOp | UnaryOp): string {
  return op === "neg" ? "-" : op;
}
