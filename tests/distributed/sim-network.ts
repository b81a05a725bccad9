// A deterministic, seeded network for cluster runs inside one process: the
// coordinator and every node (distributed/shard-node.ts) exchange real
// frames, and a seeded schedule decides when each frame arrives. Every link
// may delay frames; links between nodes may also reorder and duplicate them
// (what the protocol allows), links to and from the coordinator keep their
// order. A run that
// stops making progress before it ends is reported as a hang.

import type { CheckedProgram } from "../../lang/model.js";
import type { ProgramRunner } from "../../engine/eval/program-runner.js";
import { type ClusterLinks, type ClusterStats, runOnCluster } from "../../distributed/coordinator.js";
import { COORDINATOR, ShardNode } from "../../distributed/shard-node.js";
import type { ShardPlan } from "../../distributed/shard-plan.js";
import type { ProgramSource } from "../../distributed/wire.js";

export interface Faults {
  /** Chance that a node-to-node frame is delivered twice. */
  readonly duplicate: number;
  /** Largest extra delay of a frame, in steps (reorders frames between nodes). */
  readonly delay: number;
}

export const NO_FAULTS: Faults = { duplicate: 0, delay: 0 };

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

export async function simulateCluster(args: {
  readonly program: CheckedProgram;
  readonly source: ProgramSource;
  readonly runner: ProgramRunner;
  readonly plan: ShardPlan;
  readonly seed: number;
  readonly faults?: Faults;
  readonly collect?: readonly string[];
}): Promise<ClusterStats> {
  const faults = args.faults ?? NO_FAULTS;
  const rand = random(args.seed);
  const n = args.plan.nodes;
  let now = 0;
  let order = 0;
  const queue: Event[] = [];
  const at = (delay: number, run: () => void) => queue.push({ at: now + delay, order: order++, run });
  // FIFO links keep a frame behind the previous one on the same link.
  const lastOnLink = new Map<string, number>();
  const deliver = (from: number, to: number, fifo: boolean, run: () => void) => {
    const key = `${from}>${to}`;
    // Every link may be slow; links with the coordinator keep their order.
    let when = now + 1 + Math.floor(rand() * (faults.delay + 1));
    if (fifo) when = Math.max(when, lastOnLink.get(key) ?? 0);
    lastOnLink.set(key, when);
    queue.push({ at: when, order: order++, run });
  };
  const nodes: ShardNode[] = [];
  const links: ClusterLinks = {
    nodes: n,
    addresses: Array.from({ length: n }, (_, k) => `sim-${k}`),
    send: (k, frame) => {
      const copy = frame.slice();
      deliver(COORDINATOR, k, true, () => nodes[k]!.receive(COORDINATOR, copy));
    },
  };
  for (let k = 0; k < n; k++) {
    nodes.push(
      new ShardNode({
        send: (to, frame) => {
          const copy = frame.slice();
          if (to === COORDINATOR) {
            deliver(k, COORDINATOR, true, () => links.onFrame?.(k, copy));
            return;
          }
          deliver(k, to, false, () => nodes[to]!.receive(k, copy));
          if (rand() < faults.duplicate) deliver(k, to, false, () => nodes[to]!.receive(k, copy));
        },
        defer: (f) => at(0, f),
      }),
    );
  }
  let settled = false;
  const result = runOnCluster({ ...args, links }).finally(() => {
    settled = true;
  });
  for (let steps = 0; !settled; steps++) {
    if (queue.length === 0) {
      await Promise.resolve();
      await Promise.resolve();
      if (!settled) throw new Error("the simulated cluster run stopped making progress before it ended (a hang)");
      break;
    }
    queue.sort((a, b) => a.at - b.at || a.order - b.order);
    const e = queue.shift()!;
    now = Math.max(now, e.at);
    e.run();
    if (steps % 64 === 0) await Promise.resolve();
  }
  return result;
}
