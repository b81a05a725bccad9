// Which rule versions may run on a worker thread. Workers have no symbol
// table, value table or user functors, so a version qualifies only when its
// generated code calls nothing but the arithmetic helpers (no string
// functors, no autoinc, no set or pair values, no @functors) and its head,
// if a lattice relation, has a lattice a worker can join (see lattice-spec.ts).

import type { Relation } from "../storage/relation.js";
import { specOf } from "./lattice-spec.js";

/** Runtime helpers that read or write no table. */
const PURE_HELPERS = new Set(["fv", "fb", "idiv", "imod", "udiv", "umod", "ipow", "upow", "fpow", "fmin", "fmax", "umin", "umax"]);

/** Whether generated code touches only its relations and pure helpers. */
export function pureSource(source: string): boolean {
  if (/\bst\.counter\b/.test(source) || /\bfx\[/.test(source)) return false;
  for (const m of source.matchAll(/\bfx\.(\w+)/g)) if (!PURE_HELPERS.has(m[1]!)) return false;
  return true;
}

/** Whether a worker can collect tuples for this head (a plain relation, or a built-in scalar lattice). */
export function workerHead(rel: Relation): boolean {
  return !rel.lattice || specOf(rel.lattice) !== undefined;
}
