// A whole cluster run, as the command line and the API start it: plan the
// shards, open the links (to the given nodes, or to local nodes started for
// this run), run, and close everything whatever happens. A node lost mid-run
// does not lose the run: it starts again, from the facts, on every node that
// still answers (the lost one included when it answers again: a cut link
// heals), re-planned for them; only when no node is left does it fail, naming
// the last one lost.

import { randomUUID } from "node:crypto";
import type { CheckedProgram } from "../lang/model.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import { ClusterError, type ClusterStats, type OpenLinks, runOnCluster } from "./coordinator.js";
import { DialError, type TlsClientOptions } from "./dial.js";
import { type FunctorModule, readFunctorModule } from "./functor-module.js";
import { startLocalCluster } from "./local-cluster.js";
import { planShards } from "./shard-plan.js";
import type { ProgramSource } from "./wire.js";
import { connectCluster } from "./ws-cluster.js";

/** How many handshakes broken by the network a run tries again, in all. */
const DIAL_RETRIES = 5;

export interface ClusterOptions {
  /** The nodes' HOST:PORT addresses, or how many local nodes to start for the run. */
  readonly nodes: readonly string[] | number;
  /** The nodes' shared token (ignored with local nodes, which get a fresh one). */
  readonly token?: string;
  readonly tls?: TlsClientOptions;
  /** A node that has not answered for this long is lost (default 10 s). */
  readonly heartbeatMs?: number;
  /** The relations to bring back (default: the outputs and printed sizes). */
  readonly collect?: readonly string[];
  /** Told when a node is lost and the run starts again without it. */
  readonly note?: (message: string) => void;
  /**
   * The path of the JavaScript module implementing the program's user
   * functors (as `--functors`): its text goes to every node, which runs it
   * only when started with --allow-functors (functor-module.ts).
   */
  readonly functorsModule?: string;
}

/** What a run that lost nodes on the way adds to its statistics. */
export interface ClusterRunStats extends ClusterStats {
  /** How many times the run started again after losing a node. */
  readonly restarts: number;
  /** The nodes lost, in order (a node lost twice appears twice). */
  readonly lost: readonly string[];
}

/**
 * Opens links to `candidates` for one attempt, run `run` (replacing the
 * attempt `supersedes`, if any).
 */
export type Connect = (candidates: readonly string[], supersedes: string | undefined, run: string) => Promise<OpenLinks>;

export async function runCluster(
  program: CheckedProgram,
  source: ProgramSource,
  runner: ProgramRunner,
  opts: ClusterOptions,
): Promise<ClusterRunStats> {
  const functors = opts.functorsModule === undefined ? undefined : readFunctorModule(opts.functorsModule);
  // Local nodes are this process's own: they run the functors module it ships.
  const local = typeof opts.nodes === "number" ? await startLocalCluster(opts.nodes, { allowFunctors: functors !== undefined }) : undefined;
  try {
    const all = local ? local.addresses : (opts.nodes as readonly string[]);
    const token = local ? local.token : (opts.token ?? "");
    const tls = local ? undefined : opts.tls;
    const connect: Connect = (candidates, supersedes, run) =>
      connectCluster(candidates, { token, tls, heartbeatMs: opts.heartbeatMs, supersedes, run });
    return await runResilient(program, source, runner, all, connect, { ...opts, functors });
  } finally {
    await local?.stop();
  }
}

/** Runs over the nodes of `all`, starting again without a node lost on the way, over any transport. */
export async function runResilient(
  program: CheckedProgram,
  source: ProgramSource,
  runner: ProgramRunner,
  all: readonly string[],
  connect: Connect,
  opts: Pick<ClusterOptions, "collect" | "note"> & { readonly functors?: FunctorModule },
): Promise<ClusterRunStats> {
  const lost: string[] = [];
  let previous: string | undefined;
  let candidates = [...all];
  let broken = 0;
  for (let restarts = 0; ; restarts++) {
    let links: OpenLinks;
    const run = randomUUID();
    try {
      links = await connect(candidates, previous, run);
    } catch (e) {
      // Nodes that took this attempt may not yet know it failed: the next one replaces it.
      previous = run;
      // A link that broke during the handshake is tried again, a few times.
      if (e instanceof DialError && e.transient && ++broken <= DIAL_RETRIES) {
        restarts--;
        continue;
      }
      // Every node must answer the first time (a wrong address is the user's to fix); after a loss,
      // one that does not answer is left out.
      if (restarts === 0 || !(e instanceof DialError) || candidates.length === 1) throw e;
      candidates = candidates.filter((a) => a !== e.address);
      opts.note?.(`${e.message}; going on without it`);
      restarts--;
      continue;
    }
    previous = links.run;
    try {
      const plan = planShards(program, runner, candidates.length);
      const stats = await runOnCluster({ program, source, runner, plan, links, collect: opts.collect, functors: opts.functors });
      return { ...stats, restarts, lost };
    } catch (e) {
      if (!(e instanceof ClusterError) || e.lost === undefined || restarts >= 2 * all.length) throw e;
      lost.push(e.lost);
      opts.note?.(`${e.message}; starting again from the facts on the nodes that answer`);
      candidates = [...all];
    } finally {
      await links.close();
    }
  }
}
