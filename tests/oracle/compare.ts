// Comparing evaluation results as sets of tuples, independent of order and repeats.

import { keyOf } from "./values.js";

/** Any evaluator's result: relation name to tuples (the engine's may hold lattice values the oracle lacks). */
export type Result = Readonly<Record<string, readonly (readonly unknown[])[]>>;

/** A relation's tuples as sorted JSON keys, so that order and repeats do not matter. */
export function asSet(tuples: readonly (readonly unknown[])[] | undefined): string[] {
  return [...new Set((tuples ?? []).map(keyOf))].sort();
}

/** The relations on which two results differ, with both sides, for messages. */
export function differences(a: Result, b: Result): string[] {
  const out: string[] = [];
  for (const rel of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = asSet(a[rel]);
    const y = asSet(b[rel]);
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${rel}: ${x.join(" ")}  vs  ${y.join(" ")}`);
  }
  return out;
}
