// The coordinator's links to the nodes of a run over WebSockets: one
// authenticated socket per node (dial.ts), frames in both directions, and a
// heartbeat that reports a node lost once it has not answered for the
// timeout. The run's layout (each node's index and every node's address)
// travels in the handshake, so nodes can dial each other before the first
// frame.

import type WebSocket from "ws";
import { randomUUID } from "node:crypto";
import type { OpenLinks } from "./coordinator.js";
import { dial, type TlsClientOptions } from "./dial.js";
import { CLOSE, heartbeat } from "./handshake.js";

export interface ClusterOptions {
  readonly token: string;
  readonly tls?: TlsClientOptions;
  /** A link that has not answered for this long is lost (default 10 s). */
  readonly heartbeatMs?: number;
  /** The run this one replaces: a node still busy with it drops it for this one. */
  readonly supersedes?: string;
}

/** How long close() waits for the nodes to answer the closing handshake before cutting the sockets. */
const CLOSE_WAIT_MS = 2000;

export const DEFAULT_HEARTBEAT_MS = 10_000;

export async function connectCluster(addresses: readonly string[], opts: ClusterOptions): Promise<OpenLinks> {
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const run = randomUUID();
  const settled = await Promise.allSettled(
    addresses.map((_, node) =>
      dial(
        addresses[node]!,
        { role: "coordinator", run, node, addresses, heartbeatMs },
        { token: opts.token, tls: opts.tls, timeoutMs: heartbeatMs },
      ),
    ),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    for (const s of settled) if (s.status === "fulfilled") s.value.close(CLOSE.runEnded, "the run could not start");
    throw failed.reason;
  }
  const sockets = settled.map((s) => (s as PromiseFulfilledResult<WebSocket>).value);
  const stops: (() => void)[] = [];
  let closing = false;
  const links: OpenLinks = {
    run,
    nodes: addresses.length,
    addresses,
    send: (k, frame) => sockets[k]!.send(frame),
    close: () => {
      closing = true;
      for (const stop of stops) stop();
      return Promise.all(
        sockets.map(
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
  sockets.forEach((ws, k) => {
    ws.on("message", (data, isBinary) => {
      if (isBinary) links.onFrame?.(k, data as Uint8Array);
    });
    ws.on("close", (code, reason) => {
      if (!closing) links.onLost?.(k, reason.toString() || `its link closed (code ${code})`);
    });
    ws.on("error", () => {
      // A failed link also closes; the close handler reports it.
    });
    stops.push(heartbeat(ws, heartbeatMs, (why) => links.onLost?.(k, why)));
  });
  return links;
}
