// The values of range(from, to[, step]): from `from` towards `to`, `to` excluded,
// by `step` (1 or -1 towards `to` when it is left out). A step pointing away from
// `to` gives nothing; a step of 0 gives `from` alone, unless from = to (as Soufflé
// does). Floats step in float32 arithmetic, adding the step to the previous value.

import type { BaseType } from "../../lang/model.js";
import { floatOfBits } from "../storage/values.js";

/** Where a range starts, its step and how many values it has, the first two as plain numbers (not cells). */
export type RangePlan = [start: number, step: number, count: number];

function decode(type: BaseType, cell: number): number {
  return type === "float" ? floatOfBits(cell) : type === "unsigned" ? cell >>> 0 : cell;
}

/** The plan of range over cells of `type`; `stepCell` undefined when no step is written. */
export function rangePlan(type: BaseType, fromCell: number, toCell: number, stepCell?: number): RangePlan {
  const from = decode(type, fromCell);
  const to = decode(type, toCell);
  const step = stepCell === undefined ? (to >= from ? 1 : -1) : decode(type, stepCell);
  if (step === 0) return [from, 0, from !== to ? 1 : 0];
  const toward = (step > 0 && from < to) || (step < 0 && from > to);
  if (!toward) return [from, step, 0];
  if (type !== "float") return [from, step, Math.ceil((to - from) / step)];
  // Count as the loop will step: float32 sums, stopping if the step no longer moves the value.
  let count = 0;
  for (let x = from; step > 0 ? x < to : x > to; count++) {
    const next = Math.fround(x + step);
    if (next === x) {
      count++;
      break;
    }
    x = next;
  }
  return [from, step, count];
}

/** The values of a range as plain numbers, in order (for tests and tools; rule code loops over the plan). */
export function rangeValues(type: BaseType, fromCell: number, toCell: number, stepCell?: number): number[] {
  const [start, step, count] = rangePlan(type, fromCell, toCell, stepCell);
  const out: number[] = [];
  for (let k = 0, x = start; k < count; k++, x = Math.fround(x + step)) out.push(type === "float" ? x : start + k * step);
  return out;
}
