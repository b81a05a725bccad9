// A whole cluster run, as the command line and the API start it: plan the
// shards, open the links (to the given nodes, or to local nodes started for
// this run), run, and close everything whatever happens.

import type { CheckedProgram } from "../lang/model.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import { type ClusterStats, runOnCluster } from "./coordinator.js";
import type { TlsClientOptions } from "./dial.js";
import { startLocalCluster } from "./local-cluster.js";
import { planShards } from "./shard-plan.js";
import type { ProgramSource } from "./wire.js";
import { connectCluster } from "./ws-cluster.js";

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
}

export async function runCluster(
  program: CheckedProgram,
  source: ProgramSource,
  runner: ProgramRunner,
  opts: ClusterOptions,
): Promise<ClusterStats> {
  const local = typeof opts.nodes === "number" ? await startLocalCluster(opts.nodes) : undefined;
  try {
    const addresses = local ? local.addresses : (opts.nodes as readonly string[]);
    const plan = planShards(program, runner, addresses.length);
    const links = await connectCluster(addresses, {
      token: local ? local.token : (opts.token ?? ""),
      tls: local ? undefined : opts.tls,
      heartbeatMs: opts.heartbeatMs,
    });
    try {
      return await runOnCluster({ program, source, runner, plan, links, collect: opts.collect });
    } finally {
      await links.close();
    }
  } finally {
    await local?.stop();
  }
}
