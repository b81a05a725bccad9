// Resumable links (resumable-link.ts) over WebSockets. carry() puts a link on
// one socket: frames in, a heartbeat, and word of how the socket closed.
// keepDialled() is the dialling side's loop: when its socket breaks it dials
// again (a "resume" handshake) until one opens or the link has been down for
// the heartbeat timeout. The side that accepted waits as long for the dialler
// to come back (node-server.ts). Only a broken connection (close code 1006:
// reset, cut, or silent past the heartbeat) is resumed; a side that closes on
// purpose (the run ended, a frame over the cap) ends the link.

import type WebSocket from "ws";
import { DialError, type DialOptions, dial } from "./dial.js";
import { CLOSE, heartbeat, type Intro } from "./handshake.js";
import type { ResumableLink } from "./resumable-link.js";
import { WireError } from "./wire.js";

/** The close code of a connection that broke rather than was closed: the only kind a link resumes after. */
export const BROKEN = 1006;
/** The close code reported for a socket that broke the WebSocket protocol. */
const PROTOCOL_ERROR = 1002;

/**
 * Carries `link` over `ws` until the socket closes, then detaches it and
 * calls `closed`. A frame that is not a link frame is reported and dropped; a
 * message out of order breaks the connection (the resume sends it again).
 */
export function carry(
  link: ResumableLink,
  ws: WebSocket,
  heartbeatMs: number,
  refused: (e: Error) => void,
  closed: (code: number, reason: string) => void,
): void {
  link.attach(ws);
  ws.on("message", (data, isBinary) => {
    if (!isBinary) return;
    try {
      link.receive(data as Uint8Array);
    } catch (e) {
      refused(e as Error);
      if (!(e instanceof WireError)) ws.terminate();
    }
  });
  // A failed socket also closes, and the close handler reports it; one that broke the WebSocket
  // protocol (a frame over the cap, say) closes as refused, not as broken: it is not resumed.
  let violation: string | undefined;
  ws.on("error", (e: Error & { code?: string }) => {
    if (e.code?.startsWith("WS_ERR_")) violation = e.message;
  });
  const stop = heartbeat(ws, heartbeatMs, () => {
    // heartbeat() cuts the socket: it closes as broken, and the link resumes or is given up.
  });
  ws.once("close", (code, reason) => {
    stop();
    link.detach(ws);
    if (violation !== undefined) closed(PROTOCOL_ERROR, violation);
    else closed(code, reason.toString());
  });
}

export interface Dialled {
  readonly address: string;
  readonly intro: Intro;
  readonly options: Omit<DialOptions, "timeoutMs">;
  readonly heartbeatMs: number;
  readonly link: ResumableLink;
  /** False once the run is over: nothing more is dialled, and a socket that opens late is closed. */
  readonly live: () => boolean;
  /** Each socket as it opens (its owner closes them when the run ends). */
  readonly opened?: (ws: WebSocket) => void;
  readonly refused: (e: Error) => void;
  /** The link is given up: closed on purpose by the other side, or not reached again in time. */
  readonly lost: (why: string) => void;
}

/** Keeps `d.link` on a socket to `d.address`, starting with `first` if given (else dialling). */
export function keepDialled(d: Dialled, first?: WebSocket): void {
  let since = Date.now();
  let attempt = 0;
  let everOpen = first !== undefined;
  const open = (ws: WebSocket) => {
    everOpen = true;
    attempt = 0;
    d.opened?.(ws);
    carry(d.link, ws, d.heartbeatMs, d.refused, (code, reason) => {
      if (!d.live()) return;
      if (code !== BROKEN) return d.lost(reason || `its link closed (code ${code})`);
      since = Date.now();
      again();
    });
  };
  const again = () => {
    const left = since + d.heartbeatMs - Date.now();
    if (left <= 0) {
      const what = everOpen ? "its link broke and it could not be reached again" : "it could not be reached";
      return d.lost(`${what} within ${d.heartbeatMs} ms`);
    }
    const intro = everOpen ? { ...d.intro, resume: true } : d.intro;
    dial(d.address, intro, { ...d.options, timeoutMs: left }).then(
      (ws) => {
        if (d.live()) return open(ws);
        ws.close(CLOSE.runEnded, "run ended");
      },
      (e: Error) => {
        if (!d.live()) return;
        if (e instanceof DialError && e.refused) return d.lost(e.message);
        setTimeout(again, Math.min(1000, 50 * 2 ** attempt++));
      },
    );
  };
  if (first) open(first);
  else again();
}
