// How values of each base type live in a 32-bit tuple cell, as in Soufflé's
// RamDomain: number is int32, unsigned is uint32 stored as its int32 bits,
// float is float32 stored as its bits, symbol is a symbol-table id.

import type { BaseType } from "../../lang/model.js";
import type { SymbolTable } from "./symbols.js";

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The float32 whose bits are `bits`. */
export function floatOfBits(bits: number): number {
  i32[0] = bits;
  return f32[0]!;
}

/** The bits of `x` rounded to float32. */
export function bitsOfFloat(x: number): number {
  f32[0] = x;
  return i32[0]!;
}

/** A user-facing value: numbers for the numeric types, strings for symbols, arrays for set and pair lattice values. */
export type Value = number | string | readonly Value[];

/** Encodes a user-facing value of type `type` into a tuple cell. */
export function encode(type: BaseType, v: Value, symbols: SymbolTable): number {
  switch (type) {
    case "symbol":
      return symbols.intern(String(v));
    case "float":
      return bitsOfFloat(Number(v));
    case "unsigned":
      return Number(v) | 0;
    case "number":
      return Number(v) | 0;
  }
}

/** Whether `v` is a value of `type` as it stands, with nothing to round or wrap: a 32-bit integer, any number, a string. */
export function isValueOf(type: BaseType, v: unknown): boolean {
  switch (type) {
    case "symbol":
      return typeof v === "string";
    case "float":
      return typeof v === "number";
    case "unsigned":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4294967295;
    case "number":
      return Number.isInteger(v) && (v as number) >= -2147483648 && (v as number) <= 2147483647;
  }
}

/**
 * The cell of a value the API was given for a column of `type`, or undefined
 * when it is not a value of the type as it stands (isValueOf; an integer
 * column also takes a bigint that fits it).
 */
export function cellOfValue(type: BaseType, v: unknown, symbols: SymbolTable): number | undefined {
  const n = typeof v === "bigint" && (type === "number" || type === "unsigned") && BigInt.asIntN(64, v) === v ? Number(v) : v;
  return isValueOf(type, n) ? encode(type, n as number | string, symbols) : undefined;
}

/** The values of `type`, in words (for messages about a value that is not one). */
export function valuesOf(type: BaseType): string {
  switch (type) {
    case "symbol":
      return "a string";
    case "float":
      return "a JavaScript number";
    case "unsigned":
      return "a whole number from 0 to 4294967295";
    case "number":
      return "a whole number from -2147483648 to 2147483647";
  }
}

/** Decodes a tuple cell of type `type` into a user-facing value. */
export function decode(type: BaseType, cell: number, symbols: SymbolTable): Value {
  switch (type) {
    case "symbol":
      return symbols.text(cell);
    case "float":
      return floatOfBits(cell);
    case "unsigned":
      return cell >>> 0;
    case "number":
      return cell;
  }
}

/** Formats a float the way Soufflé prints one (C++ ostream defaults: 6 significant digits, %g). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s: string;
  if (exp < -4 || exp >= 6) {
    s = x.toExponential(5);
    let [mant, e] = s.split("e") as [string, string];
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const sign = e.startsWith("-") ? "-" : "+";
    const digits = e.replace(/^[+-]/, "").padStart(2, "0");
    // toExponential may round up into the next decade (9.999995 -> 1.00000e+1): that is still right.
    return `${mant}e${sign}${digits}`;
  }
  s = x.toPrecision(6);
  if (s.includes("e")) return formatFloat(Number(s));
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

/** Formats a tuple cell as Soufflé writes it to a .csv file. */
export function formatCell(type: BaseType, cell: number, symbols: SymbolTable): string {
  switch (type) {
    case "symbol":
      return symbols.text(cell);
    case "float":
      return formatFloat(floatOfBits(cell));
    case "unsigned":
      return String(cell >>> 0);
    case "number":
      return String(cell);
  }
}
