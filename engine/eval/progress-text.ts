// A run's progress in words, as the terminal's progress line and the
// playground's status line show it: the stratum (of how many) with its first
// relations, the round, the tuples so far and the time taken.

import type { Progress } from "./program-runner.js";

export function progressText(p: Progress, elapsedMs: number): string {
  const rels = p.relations.length > 3 ? `${p.relations.slice(0, 3).join(", ")}, …` : p.relations.join(", ");
  return `stratum ${p.stratum + 1}/${p.strata} [${rels}] round ${p.round}, ${p.tuples.toLocaleString("en-US")} tuples, ${(elapsedMs / 1000).toFixed(1)} s`;
}
