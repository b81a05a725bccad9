// One link between two members of a cluster run that outlives its
// connections. Every message sent on it is numbered (a "numbered" frame,
// wire.ts); the receiving side delivers them in order, acknowledges what it
// delivered (an "ack" frame, cumulative, at most ACK_AFTER_MS late or every
// ACK_EVERY messages), and the sending side keeps each message until it is
// acknowledged. When a connection breaks, the side that dialled opens a new
// one and both sides attach it: each first tells the other how far it has
// delivered, then sends again what the other has not acknowledged, and a
// receiver drops the numbers it already delivered. So a connection cut in the
// middle of a frame costs a resend, never a message lost or seen twice.
//
// The link does not know about sockets: a Carrier is whatever sends bytes
// (a WebSocket, or a test's pipe). Whoever owns the link decides when a link
// with no connection has been down too long (the heartbeat timeout).

import { ack, linkFrame, numbered } from "./wire.js";

/** Acknowledge at most this long after a message was delivered… */
const ACK_AFTER_MS = 20;
/** …or at once after this many. */
const ACK_EVERY = 64;

export interface Carrier {
  send(data: Uint8Array): void;
  /** Bytes handed to send() and not yet written out. */
  readonly bufferedAmount: number;
}

export class ResumableLink {
  private carrier: Carrier | undefined;
  /** Sent and not yet acknowledged, oldest first, from `head` on (as framed, ready to send again). */
  private readonly kept: { readonly seq: number; readonly frame: Uint8Array }[] = [];
  private head = 0;
  private keptBytes = 0;
  private nextSeq = 0;
  /** The next number to deliver: every message below it was delivered. */
  private delivered = 0;
  private acknowledged = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly deliver: (message: Uint8Array) => void) {}

  /** Whether a connection carries the link now. */
  get connected(): boolean {
    return this.carrier !== undefined;
  }

  /** Bytes waiting to go out: the connection's buffer, or everything kept while there is none. */
  get backlog(): number {
    return this.carrier ? this.carrier.bufferedAmount : this.keptBytes;
  }

  /** Messages sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.kept.length - this.head;
  }

  /** Carries the link over `carrier` from now on: says how far this side delivered, then sends what the other side may lack. */
  attach(carrier: Carrier): void {
    if (this.closed) return;
    this.carrier = carrier;
    this.acknowledge();
    for (let i = this.head; i < this.kept.length; i++) carrier.send(this.kept[i]!.frame);
  }

  /** The connection `carrier` broke: messages wait (kept) until another one is attached. */
  detach(carrier: Carrier): void {
    if (this.carrier === carrier) this.carrier = undefined;
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    const frame = numbered(this.nextSeq, message);
    this.kept.push({ seq: this.nextSeq++, frame });
    this.keptBytes += frame.length;
    this.carrier?.send(frame);
  }

  /** A frame from the connection; throws WireError for one that is not a link frame, or a number out of order. */
  receive(bytes: Uint8Array): void {
    if (this.closed) return;
    const f = linkFrame(bytes);
    if (f.t === "ack") return this.release(f.next);
    if (f.seq < this.delivered) return this.scheduleAck();
    if (f.seq > this.delivered) throw new RangeError(`link message ${f.seq} arrived before ${this.delivered}`);
    this.delivered++;
    this.scheduleAck();
    this.deliver(f.message);
  }

  /** Stops the link: nothing more is sent, kept or delivered. */
  close(): void {
    this.closed = true;
    this.carrier = undefined;
    this.kept.length = 0;
    this.head = 0;
    this.keptBytes = 0;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private release(next: number): void {
    while (this.head < this.kept.length && this.kept[this.head]!.seq < next) {
      this.keptBytes -= this.kept[this.head]!.frame.length;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.kept.length) {
      this.kept.splice(0, this.head);
      this.head = 0;
    }
  }

  private scheduleAck(): void {
    if (this.delivered - this.acknowledged >= ACK_EVERY) return this.acknowledge();
    this.ackTimer ??= setTimeout(() => this.acknowledge(), ACK_AFTER_MS);
  }

  private acknowledge(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (!this.carrier) return;
    this.acknowledged = this.delivered;
    this.carrier.send(ack(this.delivered));
  }
}
