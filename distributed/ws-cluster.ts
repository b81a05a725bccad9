// The coordinator's links to the nodes of a run over WebSockets: one
// authenticated, resumable link per node (dial.ts, link-socket.ts), frames in
// both directions; a link whose connection breaks is dialled again, and a
// node is reported lost once its link has been down (or silent) for the
// heartbeat timeout, or it closed the link on purpose. The run's layout (each node's index and every node's address)
// travels in the handshake, so nodes can dial each other before the first
// frame.

import type WebSocket from "ws";
import { randomUUID } from "node:crypto";
import type { OpenLinks } from "./coordinator.js";
import { dial, type TlsClientOptions } from "./dial.js";
import { CLOSE } from "./handshake.js";
import { keepDialled } from "./link-socket.js";
import { ResumableLink } from "./resumable-link.js";

export interface ClusterOptions {
  readonly token: string;
  readonly tls?: TlsClientOptions;
  /** A link that has not answered for this long is lost (default 10 s). */
  readonly heartbeatMs?: number;
  /** The run this one replaces: a node still busy with it drops it for this one. */
  readonly supersedes?: string;
  /** The run's id (a fresh one by default); a caller that may start again names each attempt. */
  readonly run?: string;
}

/** How long close() waits for the nodes to answer the closing handshake before cutting the sockets. */
const CLOSE_WAIT_MS = 2000;

export const DEFAULT_HEARTBEAT_MS = 10_000;

export async function connectCluster(addresses: readonly string[], opts: ClusterOptions): Promise<OpenLinks> {
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const run = opts.run ?? randomUUID();
  const settled = await Promise.allSettled(
    addresses.map((_, node) =>
      dial(
        addresses[node]!,
        { role: "coordinator", run, node, addresses, heartbeatMs, supersedes: opts.supersedes },
        { token: opts.token, tls: opts.tls, timeoutMs: heartbeatMs },
      ),
    ),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    for (const s of settled) if (s.status === "fulfilled") s.value.close(CLOSE.runEnded, "the run could not start");
    throw failed.reason;
  }
  const first = settled.map((s) => (s as PromiseFulfilledResult<WebSocket>).value);
  const sockets = new Set<WebSocket>();
  let closing = false;
  const nodeLinks = addresses.map((_, k) => new ResumableLink((m) => links.onFrame?.(k, m)));
  const links: OpenLinks = {
    run,
    nodes: addresses.length,
    addresses,
    send: (k, frame) => nodeLinks[k]!.send(frame),
    close: () => {
      closing = true;
      for (const link of nodeLinks) link.close();
      return Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((done) => {
              if (ws.readyState === ws.CLOSED) return done();
              const timer = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
              ws.once("close", () => {
                clearTimeout(timer);
                done();
              });
              ws.close(CLOSE.runEnded, "run ended");
            }),
        ),
      ).then(() => undefined);
    },
  };
  nodeLinks.forEach((link, k) => {
    let lost = false;
    keepDialled(
      {
        address: addresses[k]!,
        intro: { role: "coordinator", run, node: k, addresses, heartbeatMs },
        options: { token: opts.token, tls: opts.tls },
        heartbeatMs,
        link,
        live: () => !closing && !lost,
        opened: (ws) => {
          sockets.add(ws);
          ws.once("close", () => sockets.delete(ws));
        },
        refused: (e) => {
          // A node that sends what is not a link frame is not one to trust with the run.
          lost = true;
          links.onLost?.(k, e.message);
        },
        lost: (why) => {
          lost = true;
          links.onLost?.(k, why);
        },
      },
      first[k],
    );
  });
  return links;
}
