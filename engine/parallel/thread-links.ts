// The worker-thread transport of the shard runtime (distributed/shard-node.ts,
// distributed/coordinator.ts): what WebSockets are between processes,
// MessagePorts are between the threads of one process. Every pair of nodes
// and every node and the coordinator get a MessageChannel of their own (FIFO,
// as a coordinator's link must be); node 0 runs on the calling thread with
// the coordinator, and talks to it by direct calls. Rows are packed into
// frames as the wire has them (wire.ts: their Int32Array cells copied in bulk,
// no object per tuple), and a message's buffer crosses to the other thread by
// transfer, not by a copy.

import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { ClusterLinks } from "../../distributed/coordinator.js";
import { COORDINATOR, type InProcessNode, type NodeHost, ShardNode } from "../../distributed/shard-node.js";
import type { NodePorts } from "./messages.js";

/** The buffers to transfer with `frame`: its own, when nothing else can be viewing it. */
function transfer(frame: Uint8Array): ArrayBuffer[] {
  const b = frame.buffer;
  return b instanceof ArrayBuffer && frame.byteOffset === 0 && frame.byteLength === b.byteLength ? [b] : [];
}

function post(port: MessagePort, frame: Uint8Array): void {
  port.postMessage(frame, transfer(frame));
}

/** The channels of a run on `nodes` thread nodes: the coordinator's links, and each node's ports. */
export function threadChannels(nodes: number): { readonly coordinator: (MessagePort | undefined)[]; readonly nodes: NodePorts[] } {
  const coordinator: (MessagePort | undefined)[] = [undefined];
  const ends: { coordinator?: MessagePort; peers: (MessagePort | undefined)[] }[] = Array.from({ length: nodes }, () => ({
    peers: new Array<MessagePort | undefined>(nodes).fill(undefined),
  }));
  for (let k = 1; k < nodes; k++) {
    const c = new MessageChannel();
    coordinator.push(c.port1);
    ends[k]!.coordinator = c.port2;
  }
  for (let i = 0; i < nodes; i++)
    for (let j = i + 1; j < nodes; j++) {
      const c = new MessageChannel();
      ends[i]!.peers[j] = c.port1;
      ends[j]!.peers[i] = c.port2;
    }
  return { coordinator, nodes: ends };
}

/**
 * Serves one node over its ports until the coordinator ends the run; for
 * node 0, `local` is its direct line with the coordinator on this thread.
 * Resolves once the node is done and its ports are closed.
 */
export function serveNode(
  ports: NodePorts,
  inProcess: InProcessNode,
  local?: { toCoordinator(frame: Uint8Array): void; attach(receive: (frame: Uint8Array) => void): void },
): Promise<void> {
  return new Promise<void>((resolve) => {
    const all = [ports.coordinator, ...ports.peers].filter((p): p is MessagePort => p !== undefined);
    const host: NodeHost = {
      send: (to, frame) => {
        if (to !== COORDINATOR) return post(ports.peers[to]!, frame);
        if (local) local.toCoordinator(frame);
        else post(ports.coordinator!, frame);
      },
      defer: (f) => setImmediate(f),
    };
    const node = new ShardNode(host, inProcess);
    const arrived = (from: number) => (frame: Uint8Array) => {
      node.receive(from, frame);
      if (!node.done) return;
      for (const p of all) p.close();
      resolve();
    };
    ports.peers.forEach((p, k) => p?.on("message", arrived(k)));
    if (local) local.attach(arrived(COORDINATOR));
    else ports.coordinator!.on("message", arrived(COORDINATOR));
  });
}

/** The coordinator's links to thread nodes: ports to nodes 1 … n-1, and node 0 on this thread. */
export class ThreadLinks implements ClusterLinks {
  readonly addresses: readonly string[];
  onFrame?: (node: number, frame: Uint8Array) => void;
  onLost?: (node: number, why: string) => void;
  private toNode0: ((frame: Uint8Array) => void) | undefined;

  constructor(private readonly ports: readonly (MessagePort | undefined)[]) {
    this.addresses = ports.map((_, k) => (k === 0 ? "the calling thread" : `thread ${k}`));
    ports.forEach((p, k) => p?.on("message", (frame: Uint8Array) => this.onFrame?.(k, frame)));
  }

  get nodes(): number {
    return this.ports.length;
  }

  /** Node 0's side of its direct line: frames both ways go on a microtask, never re-entering the sender. */
  readonly node0 = {
    toCoordinator: (frame: Uint8Array) => queueMicrotask(() => this.onFrame?.(0, frame)),
    attach: (receive: (frame: Uint8Array) => void) => {
      this.toNode0 = receive;
    },
  };

  send(node: number, frame: Uint8Array): void {
    if (node > 0) return post(this.ports[node]!, frame);
    const receive = this.toNode0;
    if (!receive) throw new Error("node 0 is not served on this thread");
    queueMicrotask(() => receive(frame));
  }

  close(): void {
    for (const p of this.ports) p?.close();
  }
}
