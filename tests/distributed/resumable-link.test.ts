// Resumable links (distributed/resumable-link.ts) over connections that break
// at random moments: fast-check drives what each side sends, which frames get
// through, where a connection is cut (every frame still in flight on it is
// lost) and in which order the two sides attach the next one. After a last
// connection that stays up, each side has delivered exactly what the other
// sent, once each and in order, and kept nothing unacknowledged.

import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Carrier, ResumableLink } from "../../distributed/resumable-link.js";
import { ack, numbered, PROTOCOL_VERSION, WireError } from "../../distributed/wire.js";

/** One connection: a queue of frames in flight each way. */
class Connection {
  readonly toB: Uint8Array[] = [];
  readonly toA: Uint8Array[] = [];
  cut = false;
  readonly a: Carrier = { send: (d) => void (this.cut || this.toB.push(d)), bufferedAmount: 0 };
  readonly b: Carrier = { send: (d) => void (this.cut || this.toA.push(d)), bufferedAmount: 0 };
}

type Step =
  | { readonly t: "send"; readonly side: 0 | 1 }
  | { readonly t: "deliver"; readonly side: 0 | 1; readonly n: number }
  | { readonly t: "cut" }
  | { readonly t: "reconnect"; readonly bFirst: boolean }
  | { readonly t: "wait"; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("send" as const), side: fc.constantFrom(0 as const, 1 as const) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("deliver" as const),
      side: fc.constantFrom(0 as const, 1 as const),
      n: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cut" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reconnect" as const), bFirst: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 50 }) }) },
);

function message(side: number, i: number): Uint8Array {
  return new TextEncoder().encode(`${side}:${i}`);
}

describe("a resumable link", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("delivers every message once and in order across cuts and reconnections", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const got: string[][] = [[], []];
        const text = new TextDecoder();
        const a = new ResumableLink((m) => got[0]!.push(text.decode(m)));
        const b = new ResumableLink((m) => got[1]!.push(text.decode(m)));
        const sent = [0, 0];
        let c = new Connection();
        a.attach(c.a);
        b.attach(c.b);
        const deliver = (side: 0 | 1, n: number) => {
          // side 0 receives what b sent (toA), side 1 what a sent (toB).
          const queue = side === 0 ? c.toA : c.toB;
          for (let i = 0; i < n && queue.length > 0; i++) (side === 0 ? a : b).receive(queue.shift()!);
        };
        const reconnect = (bFirst: boolean) => {
          c.cut = true;
          a.detach(c.a);
          b.detach(c.b);
          c = new Connection();
          if (bFirst) b.attach(c.b);
          a.attach(c.a);
          if (!bFirst) b.attach(c.b);
        };
        for (const s of steps) {
          if (s.t === "send") (s.side === 0 ? a : b).send(message(s.side, sent[s.side]!++));
          else if (s.t === "deliver") deliver(s.side, s.n);
          else if (s.t === "cut") {
            c.cut = true;
            c.toA.length = 0;
            c.toB.length = 0;
            a.detach(c.a);
            b.detach(c.b);
          } else if (s.t === "reconnect") reconnect(s.bFirst);
          else vi.advanceTimersByTime(s.ms);
        }
        // A last connection that stays up, until nothing is in flight and every ack has gone out.
        reconnect(false);
        for (let guard = 0; guard < 100 && (c.toA.length > 0 || c.toB.length > 0 || vi.getTimerCount() > 0); guard++) {
          deliver(0, Infinity);
          deliver(1, Infinity);
          vi.advanceTimersByTime(50);
        }
        expect(got[1]).toEqual(Array.from({ length: sent[0]! }, (_, i) => `0:${i}`));
        expect(got[0]).toEqual(Array.from({ length: sent[1]! }, (_, i) => `1:${i}`));
        expect(a.unacknowledged).toBe(0);
        expect(b.unacknowledged).toBe(0);
        expect(a.backlog).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps what it sends while it has no connection, and counts it as its backlog", () => {
    const link = new ResumableLink(() => {});
    link.send(new Uint8Array(100));
    link.send(new Uint8Array(50));
    expect(link.connected).toBe(false);
    expect(link.unacknowledged).toBe(2);
    expect(link.backlog).toBe(2 * 8 + 150);
    const frames: Uint8Array[] = [];
    link.attach({ send: (d) => void frames.push(d), bufferedAmount: 7 });
    // How far it delivered (nothing), then both kept messages again.
    expect(frames.map((f) => f[3])).toEqual([5, 4, 4]);
    expect(link.backlog).toBe(7);
    link.receive(ack(1));
    expect(link.unacknowledged).toBe(1);
    link.receive(ack(2));
    expect(link.unacknowledged).toBe(0);
  });

  it("drops a repeat, refuses a message that skips ahead, and refuses what is not a link frame", () => {
    const got: number[] = [];
    const link = new ResumableLink((m) => got.push(m[0]!));
    link.receive(numbered(0, Uint8Array.of(10)));
    link.receive(numbered(0, Uint8Array.of(10)));
    link.receive(numbered(1, Uint8Array.of(11)));
    expect(got).toEqual([10, 11]);
    expect(() => link.receive(numbered(5, Uint8Array.of(15)))).toThrow(RangeError);
    expect(() => link.receive(Uint8Array.of(0x43, 0x52, PROTOCOL_VERSION, 7, 0, 0, 0, 0))).toThrow(WireError);
    expect(() => link.receive(Uint8Array.of(1, 2, 3))).toThrow(WireError);
    expect(got).toEqual([10, 11]);
  });
});
