// `cairn node`: a long-running process that serves cluster runs, one after
// another, over WebSockets. A coordinator's connection starts a run (the node
// learns its index and every node's address), the node dials the run's other
// nodes, and frames flow to a ShardNode (shard-node.ts). When the run ends,
// its coordinator goes away, or any of its links stops answering for the
// heartbeat timeout, the node drops everything of that run and is ready for
// the next. Every connection starts with the token handshake (handshake.ts);
// a peer with a wrong token is refused and logged.

import { readFileSync } from "node:fs";
import { createServer as createHttps } from "node:https";
import { createServer as createHttp, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type WebSocket from "ws";
import { WebSocketServer } from "ws";
import { type Auth, CLOSE, handshakeMessage, heartbeat, nonce, proof, proves } from "./handshake.js";
import { dial, type TlsClientOptions } from "./dial.js";
import { COORDINATOR, ShardNode } from "./shard-node.js";
import { encode, MAX_FRAME_BYTES, PROTOCOL_VERSION } from "./wire.js";

/** Bytes queued on a link above which a node stops evaluating until they drain (backpressure). */
const HIGH_WATER = 8 * 1024 * 1024;

export interface NodeOptions {
  readonly host: string;
  readonly port: number;
  /** The shared token; "" on loopback without --token-file. */
  readonly token: string;
  /** Serve wss:// with this certificate and key (PEM); dial other nodes over wss, trusting `ca`. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  readonly log: (line: string) => void;
}

export interface RunningNode {
  /** HOST:PORT as bound (the port chosen by the system when 0 was asked for). */
  readonly address: string;
  /** Stops serving: ends the current run and closes every connection. */
  close(): Promise<void>;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

interface Run {
  readonly id: string;
  readonly node: number;
  readonly shard: ShardNode;
  readonly coordinator: WebSocket;
  /** Links this node dialled to send to the other nodes, and frames waiting for them to open. */
  readonly out: (WebSocket | undefined)[];
  readonly waiting: Uint8Array[][];
  /** Sockets the other nodes dialled to send here. */
  readonly in: WebSocket[];
  readonly stops: (() => void)[];
  readonly heartbeatMs: number;
}

export function startNode(opts: NodeOptions): Promise<RunningNode> {
  const server: Server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }) : createHttp();
  const wss = new WebSocketServer({ server, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const clientTls: TlsClientOptions | undefined = opts.tls ? { ca: opts.tls.ca ?? opts.tls.cert } : undefined;
  let run: Run | undefined;
  /** Peers that dialled for a run whose coordinator has not arrived yet. */
  const early: { auth: Extract<Auth, { role: "peer" }>; ws: WebSocket }[] = [];

  const end = (r: Run, why: string) => {
    if (run !== r) return;
    run = undefined;
    r.shard.done = true;
    for (const stop of r.stops) stop();
    for (const ws of [...r.out, ...r.in, r.coordinator]) ws?.close(CLOSE.runEnded, why.slice(0, 120));
    opts.log(`run ${r.id} ended: ${why}`);
  };

  const attachPeer = (r: Run, from: number, ws: WebSocket) => {
    r.in.push(ws);
    ws.on("message", (data, isBinary) => {
      if (isBinary) r.shard.receive(from, data as Uint8Array);
    });
    r.stops.push(heartbeat(ws, r.heartbeatMs, (why) => lostLink(r, from, why)));
    ws.on("close", () => {
      if (run === r && !r.shard.done) lostLink(r, from, "its link closed");
    });
  };

  const lostLink = (r: Run, k: number, why: string) => {
    if (run !== r || r.shard.done) return;
    const message = `lost its link to node ${k}: ${why}`;
    try {
      r.coordinator.send(encode({ t: "failed", kind: "internal", message, lost: k }));
    } catch {
      // The coordinator is gone too.
    }
    end(r, message);
  };

  const startRun = (auth: Extract<Auth, { role: "coordinator" }>, ws: WebSocket) => {
    const out: (WebSocket | undefined)[] = auth.addresses.map(() => undefined);
    const waiting = auth.addresses.map((): Uint8Array[] => []);
    const shard = new ShardNode({
      send: (to, frame) => {
        if (to === COORDINATOR) return ws.send(frame);
        const link = out[to];
        if (link) link.send(frame);
        else waiting[to]!.push(frame);
      },
      defer: (f) => setImmediate(f),
      log: (line) => opts.log(`run ${auth.run}: ${line}`),
      whenWritable: (f) => {
        const full = () => out.some((link) => link !== undefined && link.bufferedAmount > HIGH_WATER) || ws.bufferedAmount > HIGH_WATER;
        if (!full()) return f();
        const timer = setInterval(() => {
          if (full() && run === r) return;
          clearInterval(timer);
          if (run === r) f();
        }, 2);
      },
    });
    const r: Run = {
      id: auth.run,
      node: auth.node,
      shard,
      coordinator: ws,
      out,
      waiting,
      in: [],
      stops: [],
      heartbeatMs: auth.heartbeatMs,
    };
    run = r;
    opts.log(`run ${auth.run}: node ${auth.node} of ${auth.addresses.length}`);
    ws.on("message", (data, isBinary) => {
      if (isBinary) shard.receive(COORDINATOR, data as Uint8Array);
    });
    ws.on("close", () => end(r, shard.done ? "done" : "the coordinator went away"));
    r.stops.push(heartbeat(ws, auth.heartbeatMs, () => end(r, "the coordinator stopped answering")));
    for (const e of early.splice(0)) {
      if (e.auth.run === auth.run) attachPeer(r, e.auth.from, e.ws);
      else e.ws.close(CLOSE.runEnded, "no such run");
    }
    auth.addresses.forEach((address, k) => {
      if (k === auth.node) return;
      dial(
        address,
        { role: "peer", run: auth.run, from: auth.node },
        { token: opts.token, tls: clientTls, timeoutMs: auth.heartbeatMs },
      ).then(
        (link) => {
          if (run !== r) return link.close(CLOSE.runEnded, "run ended");
          out[k] = link;
          for (const f of waiting[k]!.splice(0)) link.send(f);
          r.stops.push(heartbeat(link, auth.heartbeatMs, (why) => lostLink(r, k, why)));
          link.on("close", () => {
            if (run === r && !shard.done) lostLink(r, k, "its link closed");
          });
        },
        (e: Error) => lostLink(r, k, e.message),
      );
    });
  };

  wss.on("connection", (ws, req) => {
    const who = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const mine = nonce();
    ws.send(JSON.stringify({ t: "hello", version: PROTOCOL_VERSION, nonce: mine }));
    const timer = setTimeout(() => ws.close(CLOSE.timeout, "no handshake"), 10_000);
    ws.once("message", (data, isBinary) => {
      clearTimeout(timer);
      const m = handshakeMessage(data, isBinary);
      if (m?.t !== "auth") {
        opts.log(`refused ${who}: not a Cairn handshake (or another protocol version)`);
        return ws.close(CLOSE.badHandshake, `expected a version ${PROTOCOL_VERSION} handshake`);
      }
      if (!proves(opts.token, "client", mine, m.proof)) {
        opts.log(`refused ${who}: bad token`);
        return ws.close(CLOSE.badToken, "bad token");
      }
      if (m.role === "coordinator") {
        // A run its coordinator ended gives way at once, even before its sockets finish closing; so
        // does one the new run replaces (its coordinator gave up on it, the node may not know yet).
        if (run?.shard.done) end(run, "done");
        else if (run && m.supersedes === run.id) end(run, `replaced by run ${m.run}`);
        if (run) {
          opts.log(`refused ${who}: busy with run ${run.id}`);
          return ws.close(CLOSE.busy, "busy with another run");
        }
        if (!(Number.isInteger(m.node) && Array.isArray(m.addresses) && m.node >= 0 && m.node < m.addresses.length)) {
          return ws.close(CLOSE.badHandshake, "bad run layout");
        }
        ws.send(JSON.stringify({ t: "welcome", proof: proof(opts.token, "server", m.nonce) }));
        return startRun(m, ws);
      }
      ws.send(JSON.stringify({ t: "welcome", proof: proof(opts.token, "server", m.nonce) }));
      if (run?.id === m.run) return attachPeer(run, m.from, ws);
      early.push({ auth: m, ws });
      ws.on("close", () => {
        const i = early.findIndex((e) => e.ws === ws);
        if (i >= 0) early.splice(i, 1);
      });
    });
    ws.on("error", (e) => opts.log(`connection ${who}: ${e.message}`));
  });
  wss.on("error", (e) => opts.log(`server: ${e.message}`));

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      const a = server.address() as AddressInfo;
      const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
      resolve({
        address: `${host}:${a.port}`,
        close: () =>
          new Promise<void>((done) => {
            if (run) end(run, "the node is stopping");
            for (const e of early.splice(0)) e.ws.terminate();
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reads a token file: its first line, trimmed; an error when it is empty. */
export function readToken(path: string): string {
  const token = readFileSync(path, "utf8").split(/\r?\n/, 1)[0]!.trim();
  if (token.length === 0) throw new Error(`the token file ${path} is empty`);
  return token;
}
