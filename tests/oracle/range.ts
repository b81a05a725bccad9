// The oracle's range(from, to[, step]), written from the rules rather than from
// the engine's plan: step by step from `from` while short of `to`; the default
// step is 1 or -1 towards `to`; a step of 0 gives `from` alone unless from = to.

import type { BaseType } from "../../lang/model.js";
import { OracleError } from "./values.js";

/** The values of range over the oracle's plain values of `type` (floats already float32). */
export function rangeOf(type: BaseType, args: readonly number[]): number[] {
  const from = args[0]!;
  const to = args[1]!;
  const step = args.length > 2 ? args[2]! : to < from ? -1 : 1;
  if (step === 0) return from === to ? [] : [from];
  const out: number[] = [];
  const before = (x: number) => (step > 0 ? x < to : x > to);
  for (let x = from; before(x); ) {
    out.push(x);
    if (out.length > 1_000_000) throw new OracleError("range with too many values");
    const next = type === "float" ? Math.fround(x + step) : x + step;
    if (next === x) throw new OracleError("range whose step does not move the value");
    x = next;
  }
  return out;
}
