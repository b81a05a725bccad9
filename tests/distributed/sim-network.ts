// A deterministic, seeded network for cluster runs inside one process: the
// coordinator (with its restarts, distributed/run-cluster.ts) and the nodes
// (distributed/shard-node.ts) exchange real frames, and a seeded schedule
// decides when each frame arrives. Every link may delay frames; links
// between nodes may also reorder and duplicate them (what the protocol
// allows); links with the coordinator keep their order. Faults, at given
// steps: a node crashes (and may restart), pauses, or is cut off from
// another node; whoever talks to it notices after HEARTBEAT steps, as the
// heartbeat would. A run that stops making progress before it ends is
// reported as a hang.

import type { CheckedProgram } from "../../lang/model.js";
import type { ProgramRunner } from "../../engine/eval/program-runner.js";
import type { OpenLinks } from "../../distributed/coordinator.js";
import { DialError } from "../../distributed/dial.js";
import { type ClusterRunStats, runResilient } from "../../distributed/run-cluster.js";
import { COORDINATOR, ShardNode } from "../../distributed/shard-node.js";
import { encode, type ProgramSource } from "../../distributed/wire.js";
import type { FunctorModule } from "../../distributed/functor-module.js";
import type { UserFunctor } from "../../engine/eval/functors.js";
import { prng } from "../kcfa/gen.js";

/** Steps after which a silent peer is declared lost. */
export const HEARTBEAT = 40;

export type Fault =
  /** The node stops; with `restart`, it serves runs again that many steps later. */
  | { readonly kind: "crash"; readonly at: number; readonly node: number; readonly restart?: number }
  /** Nothing reaches or leaves the node for `steps` (longer than HEARTBEAT: it is lost). */
  | { readonly kind: "pause"; readonly at: number; readonly node: number; readonly steps: number }
  /** Frames between the two nodes are lost from then on, for this attempt. */
  | { readonly kind: "partition"; readonly at: number; readonly node: number; readonly other: number };

export interface Faults {
  /** Chance that a node-to-node frame is delivered twice. */
  readonly duplicate: number;
  /** Largest extra delay of a frame, in steps (reorders frames between nodes). */
  readonly delay: number;
  readonly events?: readonly Fault[];
}

export const NO_FAULTS: Faults = { duplicate: 0, delay: 0 };

interface Event {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

interface SimNode {
  crashed: boolean;
  /** Nothing is delivered to or run on the node before this step. */
  pausedUntil: number;
  /** The attempt the node serves, and its part of it. */
  attempt?: number;
  shard?: ShardNode;
}

export async function simulateCluster(args: {
  readonly program: CheckedProgram;
  readonly source: ProgramSource;
  readonly runner: ProgramRunner;
  readonly nodes: number;
  readonly seed: number;
  readonly faults?: Faults;
  readonly collect?: readonly string[];
  /** The functors module the coordinator ships, and what its import gives (each node's load resolves to it, at once). */
  readonly functors?: { readonly module: FunctorModule; readonly loaded: Record<string, UserFunctor> };
}): Promise<ClusterRunStats> {
  const faults = args.faults ?? NO_FAULTS;
  const rand = prng(args.seed);
  let now = 0;
  let order = 0;
  const queue: Event[] = [];
  const at = (when: number, run: () => void) => queue.push({ at: when, order: order++, run });
  const lastOnLink = new Map<string, number>();
  const addresses = Array.from({ length: args.nodes }, (_, k) => `sim-${k}`);
  const sims: SimNode[] = addresses.map(() => ({ crashed: false, pausedUntil: 0 }));
  const cut = new Set<string>();
  let attempts = 0;
  let current: { id: number; links: OpenLinks; members: number[] } | undefined;

  /** Delivers `run` on the link from → to (sim node indexes; -1 the coordinator) of attempt `id`. */
  const deliver = (id: number, from: number, to: number, fifo: boolean, run: () => void) => {
    const key = `${id}:${from}>${to}`;
    let when = now + 1 + Math.floor(rand() * (faults.delay + 1));
    if (fifo) when = Math.max(when, lastOnLink.get(key) ?? 0);
    lastOnLink.set(key, when);
    const attempt = () => {
      if (current?.id !== id) return; // the attempt is over: its frames go nowhere
      for (const k of [from, to]) if (k >= 0 && sims[k]!.crashed) return;
      if (from >= 0 && to >= 0 && (cut.has(`${from}|${to}`) || cut.has(`${to}|${from}`))) return;
      const paused = Math.max(from >= 0 ? sims[from]!.pausedUntil : 0, to >= 0 ? sims[to]!.pausedUntil : 0);
      if (paused > now) return at(paused, attempt);
      run();
    };
    at(when, attempt);
  };

  /** The coordinator learns, a heartbeat later, that the node at position `k` of the attempt is gone. */
  const noticeLost = (id: number, k: number, why: string) =>
    at(now + HEARTBEAT, () => {
      if (current?.id === id) current.links.onLost?.(k, why);
    });

  for (const f of faults.events ?? []) {
    at(f.at, () => {
      const s = sims[f.node]!;
      const position = current?.members.indexOf(f.node) ?? -1;
      switch (f.kind) {
        case "crash":
          s.crashed = true;
          s.shard = undefined;
          if (current && position >= 0) noticeLost(current.id, position, "crashed");
          if (f.restart !== undefined) at(now + f.restart, () => (s.crashed = false));
          return;
        case "pause":
          s.pausedUntil = now + f.steps;
          if (current && position >= 0 && f.steps > HEARTBEAT) noticeLost(current.id, position, "paused");
          return;
        case "partition": {
          cut.add(`${f.node}|${f.other}`);
          const other = current?.members.indexOf(f.other) ?? -1;
          // A node whose link to another stays silent tells the coordinator, which then starts again.
          if (current && position >= 0 && other >= 0) {
            const id = current.id;
            at(now + HEARTBEAT, () => {
              if (current?.id === id)
                current.links.onFrame?.(position, encode({ t: "failed", kind: "internal", message: "cut off", lost: other }));
            });
          }
          return;
        }
      }
    });
  }

  const connect = async (candidates: readonly string[]): Promise<OpenLinks> => {
    const members = candidates.map((a) => addresses.indexOf(a));
    const down = members.find((k) => sims[k]!.crashed);
    if (down !== undefined) throw new DialError(addresses[down]!, "connection refused");
    const id = ++attempts;
    cut.clear();
    const links: OpenLinks = {
      run: `attempt-${id}`,
      nodes: members.length,
      addresses: candidates,
      send: (k, frame) => {
        const copy = frame.slice();
        const node = members[k]!;
        deliver(id, COORDINATOR, node, true, () => sims[node]!.shard?.receive(COORDINATOR, copy));
      },
      close: async () => {
        if (current?.id === id) current = undefined;
      },
    };
    members.forEach((node, position) => {
      const s = sims[node]!;
      s.attempt = id;
      const shard = new ShardNode({
        send: (to, frame) => {
          const copy = frame.slice();
          if (to === COORDINATOR) return deliver(id, node, COORDINATOR, true, () => links.onFrame?.(position, copy));
          const peer = members[to]!;
          const run = () => {
            if (sims[peer]!.attempt === id) sims[peer]!.shard?.receive(position, copy);
          };
          deliver(id, node, peer, false, run);
          if (rand() < faults.duplicate) deliver(id, node, peer, false, run);
        },
        defer: (f) =>
          at(now, function step() {
            if (s.crashed || s.shard !== shard) return;
            if (s.pausedUntil > now) return at(s.pausedUntil, step);
            f();
          }),
        loadFunctors: args.functors
          ? async (m) => {
              if (m.source !== args.functors!.module.source) throw new Error("not the module the coordinator was given");
              return args.functors!.loaded;
            }
          : undefined,
      });
      s.shard = shard;
    });
    current = { id, links, members };
    return links;
  };

  let settled = false;
  const result = runResilient(args.program, args.source, args.runner, addresses, connect, {
    collect: args.collect,
    functors: args.functors?.module,
  }).finally(() => {
    settled = true;
  });
  for (let steps = 0; !settled; steps++) {
    if (queue.length === 0 || steps % 64 === 0) {
      for (let i = 0; i < 32; i++) await Promise.resolve();
      if (settled) break;
      if (queue.length === 0) throw new Error("the simulated cluster run stopped making progress before it ended (a hang)");
    }
    let next = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i]!;
      const b = queue[next]!;
      if (a.at < b.at || (a.at === b.at && a.order < b.order)) next = i;
    }
    const e = queue.splice(next, 1)[0]!;
    now = Math.max(now, e.at);
    e.run();
  }
  return result;
}
