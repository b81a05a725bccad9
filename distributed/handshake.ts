// The handshake that opens every WebSocket between cluster members, and the
// heartbeat that watches it. Both sides prove they hold the shared token
// without sending it: the server's hello carries a fresh nonce, the client
// answers with HMAC-SHA256(token, "client:" + nonce) and a nonce of its own,
// and the server's welcome answers with HMAC-SHA256(token, "server:" + that
// nonce). A side whose proof is wrong closes the socket (code 4001). Messages
// of the handshake are JSON text frames; everything after it is binary
// frames (wire.ts).

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { WebSocket } from "ws";
import { PROTOCOL_VERSION } from "./wire.js";

/** Close codes of our own (4000-4999 are free for applications). */
export const CLOSE = { badToken: 4001, badHandshake: 4002, busy: 4003, runEnded: 4004, timeout: 4005 } as const;

export type Hello = { readonly t: "hello"; readonly version: number; readonly nonce: string };

/** Who is dialling: the coordinator of a run (with the run's layout) or a node of that run. */
export type Intro =
  | {
      readonly role: "coordinator";
      readonly run: string;
      readonly node: number;
      readonly addresses: readonly string[];
      readonly heartbeatMs: number;
      /** A run this one replaces after a failure: a node still in it drops it. */
      readonly supersedes?: string;
      /** The coordinator's link to the node broke: this connection carries it on (resumable-link.ts). */
      readonly resume?: boolean;
    }
  | { readonly role: "peer"; readonly run: string; readonly from: number; readonly resume?: boolean };

export type Auth = { readonly t: "auth"; readonly version: number; readonly nonce: string; readonly proof: string } & Intro;

export type Welcome = { readonly t: "welcome"; readonly proof: string };

export function nonce(): string {
  return randomBytes(24).toString("base64");
}

export function proof(token: string, side: "client" | "server", n: string): string {
  return createHmac("sha256", token).update(`${side}:${n}`).digest("base64");
}

/** Compares a proof in constant time. */
export function proves(token: string, side: "client" | "server", n: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const want = Buffer.from(proof(token, side, n));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Parses a handshake message; undefined for anything else (a binary frame, bad JSON, another version). */
export function handshakeMessage(data: unknown, isBinary: boolean): Hello | Auth | Welcome | undefined {
  if (isBinary) return undefined;
  try {
    const m = JSON.parse(String(data)) as { t?: unknown; version?: unknown };
    if (m.t === "welcome") return m as Welcome;
    if ((m.t === "hello" || m.t === "auth") && m.version === PROTOCOL_VERSION) return m as Hello | Auth;
  } catch {
    // Not JSON: not a handshake message.
  }
  return undefined;
}

/**
 * Pings `ws` every third of `timeoutMs`; calls `lost` (once) when nothing,
 * not even a pong, came back for `timeoutMs`. A side whose own event loop was
 * held up (the tick came late) cannot have heard the answers meanwhile: it
 * gives the peer a fresh period rather than blame it. Returns the function
 * that stops watching.
 */
export function heartbeat(ws: WebSocket, timeoutMs: number, lost: (why: string) => void): () => void {
  const every = Math.max(10, Math.floor(timeoutMs / 3));
  let last = Date.now();
  let tick = last;
  const alive = () => {
    last = Date.now();
  };
  ws.on("pong", alive);
  ws.on("message", alive);
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - tick > 2 * every) last = now;
    tick = now;
    if (now - last > timeoutMs) {
      clearInterval(timer);
      lost(`no answer for ${timeoutMs} ms`);
      ws.terminate();
      return;
    }
    try {
      ws.ping();
    } catch {
      // Closing already; the close handler reports it.
    }
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
