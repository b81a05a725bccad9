// Backpressure: a node whose links are full (its host says so) does nothing
// with what arrives (no evaluation, nothing sent) until the host says they
// have room again; then it goes on where it was.

import { describe, expect, it } from "vitest";
import { COORDINATOR, ShardNode } from "../../distributed/shard-node.js";
import { decode, encode, framesOf } from "../../distributed/wire.js";
import { sourceOf } from "./cluster-util.js";

const TEXT = `.decl e(x: number, y: number)
.decl p(x: number, y: number)
p(x, y) :- e(x, y).
p(x, z) :- p(x, y), e(y, z).`;

describe("a node under backpressure", () => {
  it("waits for room before it evaluates or sends", async () => {
    const sent: string[] = [];
    const waiting: (() => void)[] = [];
    let full = true;
    const node = new ShardNode({
      send: (to, message) => sent.push(...framesOf(message).map((f) => `${to}:${decode(f).t}`)),
      defer: (f) => setImmediate(f),
      whenWritable: (f) => (full ? waiting.push(f) : f()),
    });
    const setup = {
      t: "setup",
      run: "r",
      node: 0,
      nodes: 1,
      program: sourceOf(TEXT),
      symbols: [],
      placement: [],
      everywhere: [],
      facts: 1,
    } as const;
    node.receive(COORDINATOR, encode(setup));
    node.receive(COORDINATOR, encode({ t: "rows", seq: 0, relation: 0, count: 2, arity: 2, cells: Int32Array.from([1, 2, 2, 3]) }));
    node.receive(COORDINATOR, encode({ t: "phase", phase: 0, upTo: 2 }));
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([]);
    expect(waiting).toHaveLength(1);
    full = false;
    waiting.shift()!();
    expect(sent).toEqual([`${COORDINATOR}:loaded`, `${COORDINATOR}:status`]);
    expect(node.stats().rows).toEqual({ e: 2, p: 3 });
  });
});
