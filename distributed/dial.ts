// Opening an authenticated WebSocket to a node (handshake.ts): the coordinator
// dials each node of its run, and each node dials every other node. With TLS
// options the link is wss:// and the node's certificate is verified against
// the given certificate authority (or the system's).

import WebSocket from "ws";
import { CLOSE, type Intro, handshakeMessage, nonce, proof, proves } from "./handshake.js";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from "./wire.js";

export interface TlsClientOptions {
  /** Certificates (PEM) to trust besides the system's: a self-signed node certificate, or the CA that signed them. */
  readonly ca?: string;
}

export interface DialOptions {
  readonly token: string;
  readonly tls?: TlsClientOptions;
  /** Give up when the handshake has not finished in this long. */
  readonly timeoutMs: number;
}

export class DialError extends Error {
  constructor(
    readonly address: string,
    why: string,
    /** The link broke during the handshake (reset, or closed without a word): worth another try. */
    readonly transient = false,
    /** The node closed the link on purpose (a bad token, busy, no such run): another try would be refused too. */
    readonly refused = false,
  ) {
    super(`cannot reach node ${address}: ${why}`);
    this.name = "DialError";
  }
}

/** Splits HOST:PORT (an IPv6 host in brackets); undefined when it is not one. */
export function parseAddress(s: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

/** Dials `address`, proves the token and checks the node's proof; resolves with the open socket. */
export function dial(address: string, intro: Intro, opts: DialOptions): Promise<WebSocket> {
  const url = `${opts.tls ? "wss" : "ws"}://${address}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, ca: opts.tls?.ca, perMessageDeflate: false });
    let done = false;
    const mine = nonce();
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners("message");
      if (e) {
        ws.terminate();
        reject(e);
      } else resolve(ws);
    };
    const timer = setTimeout(() => finish(new DialError(address, `no handshake within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    ws.on("error", (e) => finish(new DialError(address, e.message, (e as NodeJS.ErrnoException).code === "ECONNRESET")));
    ws.on("close", (code, reason) => {
      const why = code === CLOSE.badToken ? "it refused the token" : reason.toString() || `closed (code ${code})`;
      finish(new DialError(address, why, code === 1006, code >= 4000 && code < 5000));
    });
    ws.on("message", (data, isBinary) => {
      const m = handshakeMessage(data, isBinary);
      if (m?.t === "hello") {
        const auth = { ...intro, t: "auth", version: PROTOCOL_VERSION, nonce: mine, proof: proof(opts.token, "client", m.nonce) };
        ws.send(JSON.stringify(auth));
        return;
      }
      if (m?.t === "welcome" && proves(opts.token, "server", mine, m.proof)) return finish();
      ws.close(CLOSE.badToken, "the node's proof of the token is wrong");
      finish(new DialError(address, "its proof of the token is wrong, or it does not speak this protocol", false, true));
    });
  });
}
