// Calling a program's user functors (`.functor` declarations implemented in
// JavaScript): the argument cells decoded to values, the implementation
// called, and what it returns checked against the declared result type before
// it is encoded into a cell. An implementation that throws (a stack overflow
// included) or returns a value of another type is an EvaluationError, which
// the runner locates at the rule being evaluated.

import type { FunctorInfo } from "../../lang/model.js";
import type { SymbolTable } from "../storage/symbols.js";
import { decode, encode, isValueOf, valuesOf } from "../storage/values.js";
import { EvaluationError, type UserFunctor } from "./functors.js";

/** Longest text of a returned value a message quotes. */
const SHOWN = 40;

/** A value an implementation returned, as a message shows it. */
function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || typeof v !== "object") return String(v);
  return Object.prototype.toString.call(v);
}

/** What a thrown value says (a stack overflow with its likely cause). */
function thrownMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e instanceof RangeError && /call stack/i.test(e.message) ? `${e.message} (does it call itself without end?)` : e.message;
}

/** The cell-level function generated code calls for user functor `f`, implemented by `impl`. */
export function bindUserFunctor(f: FunctorInfo, impl: UserFunctor, symbols: SymbolTable): (...cells: number[]) => number {
  return (...cells: number[]) => {
    const args = cells.map((c, i) => decode(f.params[i]!, c, symbols) as number | string);
    let result: unknown;
    try {
      result = impl(...args);
    } catch (e) {
      throw new EvaluationError(`functor @${f.name} threw: ${thrownMessage(e)}`);
    }
    if (!isValueOf(f.result, result)) {
      const a = f.result === "unsigned" ? "an" : "a";
      throw new EvaluationError(`functor @${f.name} returned ${shown(result)}, not ${a} ${f.result} (${valuesOf(f.result)})`);
    }
    return encode(f.result, result as number | string, symbols);
  };
}
