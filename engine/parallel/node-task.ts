// A thread node of a stratum whose workers exchange deltas: the shard
// runtime's node (distributed/shard-node.ts) on the thread-transport
// (thread-links.ts), given the checked program rather than its source. Once
// its facts are in (its part of the stratum's relations and of what they
// read), it takes the strata before this one as done and its part's first
// rows as already read, so its first evaluation continues the stratum's
// semi-naive rounds where the calling thread handed them off.

import type { InProcessNode } from "../../distributed/shard-node.js";
import type { UserFunctor } from "../eval/functors.js";
import type { NodeTask } from "./messages.js";
import { serveNode } from "./thread-links.js";

/** Stand-ins for the program's user functors: a stratum that calls one never runs on nodes (exchange-plan.ts). */
function standIns(t: Pick<NodeTask, "program">): Record<string, UserFunctor> {
  const out: Record<string, UserFunctor> = {};
  for (const name of t.program.functors?.keys() ?? [])
    out[name] = () => {
      throw new Error(`the user functor @${name} cannot run on a thread node`);
    };
  return out;
}

/** The node's setup for a task (the calling thread's node 0 gets one too). */
export function inProcessNode(t: Omit<NodeTask, "kind" | "ports" | "fault">): InProcessNode {
  return {
    program: t.program,
    functors: standIns(t),
    loaded(runner, relations) {
      const marks = new Map(t.marks);
      runner.memory.used += t.memory.used;
      for (const r of relations) if (marks.has(r.name)) r.maxRows = Math.min(r.maxRows, t.maxRows);
      // Every stratum up to this one counts as run: the first evaluation catches up from the marks.
      runner.importProgress({ runs: 1, counter: 0, marks: relations.map((r) => [r.name, marks.get(r.name) ?? r.size] as const) });
    },
  };
}

/** Serves the node on this worker thread; resolves when the run ends. */
export async function runNode(t: NodeTask): Promise<void> {
  await serveNode(t.ports, inProcessNode(t));
}
