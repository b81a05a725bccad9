// Work on a database's runner between two rounds of its own run (a handler
// that queries, saves or inserts while run() is going on) must not move the
// relations' delta bounds: a query's run and a saved state settle every
// relation they touch, which would end the database's stratum early. This
// keeps the bounds across such work.

import type { ProgramRunner } from "../eval/program-runner.js";

/** Runs `work`, then puts every relation's delta bounds back as they were. */
export function keepingBounds<T>(runner: ProgramRunner, work: () => T): T {
  const bounds = [...runner.relations.values()].map((r) => [r, r.stableEnd, r.deltaEnd] as const);
  try {
    return work();
  } finally {
    for (const [r, stableEnd, deltaEnd] of bounds) {
      r.stableEnd = stableEnd;
      r.deltaEnd = deltaEnd;
    }
  }
}
