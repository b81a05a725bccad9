// A stratum whose workers exchange deltas runs on the shard runtime cluster
// nodes run (distributed/coordinator.ts, distributed/shard-node.ts), over
// the thread transport (thread-links.ts): node 0 on the calling thread with
// the coordinator, nodes 1 … N-1 on the pool's threads. The coordinator sends
// each node its part of the stratum's relations and of the relations they
// read (exchange-plan.ts), its rows in the relations' order, so that a node
// knows which of them the rounds before the hand-off already read (the
// marks: its first evaluation continues the semi-naive rounds from there).
// Nodes then evaluate and send each other what they derive, asynchronously,
// until the coordinator's termination detection finds them all idle with
// nothing in flight; it collects the stratum's relations back into its own.
// Errors come back as the shard runtime reports them: the located
// EvaluationError, GrowthLimitError or MemoryLimitError a single thread
// raises, or, for a thread that dies or a node's internal failure, a
// WorkerError.

import type { ProgramRunner, StratumRun } from "../eval/program-runner.js";
import { ClusterError, runOnCluster } from "../../distributed/coordinator.js";
import { encode, type ProgramSource } from "../../distributed/wire.js";
import type { ExchangePlan } from "./exchange-plan.js";
import type { Fault, NodeTask } from "./messages.js";
import { inProcessNode } from "./node-task.js";
import { ownerOfCell } from "./partition.js";
import { trace } from "./policy.js";
import { runNodeOnThread } from "./pool.js";
import { serveNode, ThreadLinks, threadChannels } from "./thread-links.js";
import { shareOfMemory } from "./views.js";
import { WorkerError } from "./worker-error.js";

/** Thread nodes are handed the checked program: the source the setup message names is never compiled. */
const IN_PROCESS: ProgramSource = { entry: "<in process>", files: [], includeDirs: [], defines: {} };

/**
 * For each node, the live rows of its part of each of the stratum's relations
 * that come before the delta (rows the coordinator sends in order, each to
 * its owner, or to every node for a replicated relation).
 */
function marksOf(plan: StratumRun, xp: ExchangePlan, nodes: number): [string, number][][] {
  const out = Array.from({ length: nodes }, () => [] as [string, number][]);
  for (const rel of plan.relations) {
    const p = xp.shards.placement.get(rel.name)!;
    const counts = new Array<number>(nodes).fill(0);
    let live = 0;
    for (let row = 0; row < rel.stableEnd; row++) {
      if (!rel.isLive(row)) continue;
      if (p.kind === "split") counts[ownerOfCell(rel.data[row * rel.arity + p.column]!, nodes)]!++;
      else live++;
    }
    for (let k = 0; k < nodes; k++) out[k]!.push([rel.name, p.kind === "split" ? counts[k]! : live]);
  }
  return out;
}

/** Runs the rest of stratum `plan`'s fixpoint on `workers` thread nodes; returns the most evaluations a node ran. */
export async function runExchange(
  runner: ProgramRunner,
  plan: StratumRun,
  xp: ExchangePlan,
  workers: number,
  fault?: Fault,
): Promise<number> {
  const t0 = performance.now();
  const shards = { ...xp.shards, nodes: workers };
  const channels = threadChannels(workers);
  const links = new ThreadLinks(channels.coordinator);
  const marks = marksOf(plan, xp, workers);
  const common = {
    program: runner.program,
    maxRows: Math.min(...plan.relations.map((r) => r.maxRows)),
    memory: shareOfMemory(plan.relations, workers),
  };
  let lost: WorkerError | undefined;
  const threads = channels.nodes.slice(1).map((ports, i) => {
    const k = i + 1;
    const task: NodeTask = { kind: "node", ...common, ports, marks: marks[k]!, fault };
    const transfers = [ports.coordinator!, ...ports.peers.filter((p) => p !== undefined)];
    return runNodeOnThread(workers, task, transfers).catch((e: unknown) => {
      const error = e instanceof WorkerError ? e : new WorkerError(`a worker thread failed: ${(e as Error).message ?? e}`);
      lost ??= error;
      links.onLost?.(k, error.message);
    });
  });
  const local = inProcessNode({ ...common, marks: marks[0]! });
  const node0 = serveNode(channels.nodes[0]!, local, links.node0);
  let failure: unknown;
  let rounds = 0;
  try {
    const stats = await runOnCluster({
      program: runner.program,
      source: IN_PROCESS,
      runner,
      plan: shards,
      links,
      collect: plan.stratum.relations,
      send: xp.sent,
      inProcess: true,
    });
    rounds = stats.rounds;
    trace(
      () =>
        `exchange stratum on ${workers} thread nodes: ${stats.rounds} evaluations at most, ${(performance.now() - t0).toFixed(1)} ms, ${stats.nodes.reduce((n, s) => n + s.exchangeBytes, 0)} bytes exchanged`,
    );
  } catch (e) {
    failure = e;
  } finally {
    // Every node is told the run is over (again, after a failure), and waited for: nothing is left running.
    const end = encode({ t: "end" });
    for (let k = 0; k < workers; k++) links.send(k, end.slice());
    await Promise.all([...threads, node0]);
    links.close();
  }
  if (failure === undefined) return rounds;
  if (lost) throw lost;
  if (failure instanceof ClusterError) throw new WorkerError(`a worker thread failed: ${failure.message}`);
  throw failure;
}
