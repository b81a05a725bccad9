// `cairn node`: a long-running process that serves cluster runs, one after
// another, over WebSockets. A coordinator's connection starts a run (the node
// learns its index and every node's address), the node dials the run's other
// nodes, and frames flow to a ShardNode (shard-node.ts). When the run ends,
// its coordinator goes away, or any of its links is lost, the node drops
// everything of that run and is ready for the next. Links are resumable
// (resumable-link.ts, link-socket.ts): a connection that breaks is dialled
// again by the side that opened it, and only a link down for the heartbeat
// timeout is lost. Every connection starts with the token handshake (handshake.ts);
// a peer with a wrong token is refused and logged.

import { readFileSync } from "node:fs";
import { createServer as createHttps } from "node:https";
import { createServer as createHttp, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type WebSocket from "ws";
import { WebSocketServer } from "ws";
import { type Auth, CLOSE, handshakeMessage, nonce, proof, proves } from "./handshake.js";
import type { TlsClientOptions } from "./dial.js";
import { loadShippedFunctors } from "./functor-module.js";
import { BROKEN, carry, keepDialled } from "./link-socket.js";
import { ResumableLink } from "./resumable-link.js";
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
  /** Run the functors module a coordinator ships (`--allow-functors`): the coordinator's code, with this process's rights. */
  readonly allowFunctors?: boolean;
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
  readonly heartbeatMs: number;
  /** The link with the coordinator, and links to and from every other node (undefined at this node's own index). */
  readonly coordinator: ResumableLink;
  readonly out: (ResumableLink | undefined)[];
  readonly in: (ResumableLink | undefined)[];
  /** Every socket the run opened or accepted, closed when it ends. */
  readonly sockets: Set<WebSocket>;
  /** The socket carrying each accepted link now (keyed "coordinator" or "in K"). */
  readonly carriers: Map<string, WebSocket>;
  /** Accepted links whose connection broke, waiting for the other side to come back. */
  readonly waiting: Map<string, ReturnType<typeof setTimeout>>;
}

export function startNode(opts: NodeOptions): Promise<RunningNode> {
  // Whoever may start a run may then run code here: only one that proves a token.
  if (opts.allowFunctors && opts.token === "") return Promise.reject(new Error("a node that runs functors modules needs a token"));
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
    for (const timer of r.waiting.values()) clearTimeout(timer);
    for (const link of [r.coordinator, ...r.out, ...r.in]) link?.close();
    for (const ws of r.sockets) ws.close(CLOSE.runEnded, why.slice(0, 120));
    opts.log(`run ${r.id} ended: ${why}`);
  };

  const lostLink = (r: Run, k: number, why: string) => {
    if (run !== r || r.shard.done) return;
    const message = `lost its link to node ${k}: ${why}`;
    r.coordinator.send(encode({ t: "failed", kind: "internal", message, lost: k }));
    end(r, message);
  };

  const refused = (r: Run, from: string) => (e: Error) => opts.log(`run ${r.id}: ${e.message} (from ${from})`);

  /** Carries an accepted link over `ws`; when it breaks, waits a heartbeat timeout for the other side to dial again. */
  const accept = (r: Run, key: string, link: ResumableLink, ws: WebSocket, from: string, gone: (why: string) => void) => {
    const timer = r.waiting.get(key);
    if (timer) clearTimeout(timer);
    r.waiting.delete(key);
    // A connection the other side replaced is stale, though this side may not have noticed it break.
    const previous = r.carriers.get(key);
    if (previous) {
      previous.terminate();
      opts.log(`run ${r.id}: the link from ${from} resumed (${link.unacknowledged} messages to send again)`);
    }
    r.carriers.set(key, ws);
    r.sockets.add(ws);
    carry(link, ws, r.heartbeatMs, refused(r, from), (code, reason) => {
      r.sockets.delete(ws);
      if (run !== r || r.shard.done || link.connected) return;
      if (code !== BROKEN) return gone(reason || `its link closed (code ${code})`);
      r.waiting.set(
        key,
        setTimeout(() => gone(`its link broke and it did not come back within ${r.heartbeatMs} ms`), r.heartbeatMs),
      );
    });
  };

  const attachPeer = (r: Run, from: number, ws: WebSocket) => {
    const link = r.in[from];
    if (!link) return ws.close(CLOSE.badHandshake, "no such node in the run");
    accept(r, `in ${from}`, link, ws, `node ${from}`, (why) => lostLink(r, from, why));
  };

  const attachCoordinator = (r: Run, ws: WebSocket) =>
    accept(r, "coordinator", r.coordinator, ws, "the coordinator", (why) =>
      end(r, why.startsWith("its link broke") ? `the coordinator went away (${why})` : "the coordinator went away"),
    );

  const startRun = (auth: Extract<Auth, { role: "coordinator" }>, ws: WebSocket) => {
    const shard = new ShardNode({
      send: (to, frame) => (to === COORDINATOR ? r.coordinator : r.out[to])?.send(frame),
      defer: (f) => setImmediate(f),
      log: (line) => opts.log(`run ${auth.run}: ${line}`),
      loadFunctors: opts.allowFunctors
        ? (m) => {
            opts.log(`run ${auth.run}: loading the functors module ${m.name} the coordinator sent`);
            return loadShippedFunctors(m);
          }
        : undefined,
      whenWritable: (f) => {
        const full = () => r.out.some((link) => link !== undefined && link.backlog > HIGH_WATER) || r.coordinator.backlog > HIGH_WATER;
        if (!full()) return f();
        const timer = setInterval(() => {
          if (full() && run === r) return;
          clearInterval(timer);
          if (run === r) f();
        }, 2);
      },
    });
    const linkTo = (from: number) => new ResumableLink((m) => shard.receive(from, m));
    const r: Run = {
      id: auth.run,
      node: auth.node,
      shard,
      heartbeatMs: auth.heartbeatMs,
      coordinator: linkTo(COORDINATOR),
      out: auth.addresses.map((_, k) => (k === auth.node ? undefined : linkTo(k))),
      in: auth.addresses.map((_, k) => (k === auth.node ? undefined : linkTo(k))),
      sockets: new Set(),
      carriers: new Map(),
      waiting: new Map(),
    };
    run = r;
    opts.log(`run ${auth.run}: node ${auth.node} of ${auth.addresses.length}`);
    attachCoordinator(r, ws);
    for (const e of early.splice(0)) {
      if (e.auth.run === auth.run) attachPeer(r, e.auth.from, e.ws);
      else e.ws.close(CLOSE.runEnded, "no such run");
    }
    auth.addresses.forEach((address, k) => {
      const link = r.out[k];
      if (!link) return;
      keepDialled({
        address,
        intro: { role: "peer", run: auth.run, from: auth.node },
        options: { token: opts.token, tls: clientTls },
        heartbeatMs: auth.heartbeatMs,
        link,
        live: () => run === r && !shard.done,
        opened: (socket) => {
          r.sockets.add(socket);
          socket.once("close", () => r.sockets.delete(socket));
        },
        refused: refused(r, `node ${k}`),
        lost: (why) => lostLink(r, k, why),
      });
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
      if (m.role === "coordinator" && m.resume) {
        if (run?.id !== m.run || run.node !== m.node) return ws.close(CLOSE.runEnded, "no such run");
        ws.send(JSON.stringify({ t: "welcome", proof: proof(opts.token, "server", m.nonce) }));
        return attachCoordinator(run, ws);
      }
      if (m.role === "coordinator") {
        // A run its coordinator ended gives way at once, even before its sockets finish closing; so
        // does one the new run replaces (its coordinator gave up on it, the node may not know yet),
        // and one whose coordinator's link broke (it may come back, but a new run means it will not).
        if (run?.shard.done) end(run, "done");
        else if (run && m.supersedes === run.id) end(run, `replaced by run ${m.run}`);
        else if (run?.waiting.has("coordinator")) end(run, `the coordinator went away (replaced by run ${m.run})`);
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
