// A run that replaces an attempt: a coordinator that starts again after a
// failed attempt names it in the handshake, and a node still busy with that
// attempt (it may not know yet that it failed) drops it for the new run; a
// run that names no attempt, or another one, is refused while the node is busy.

import { afterAll, describe, expect, it } from "vitest";
import { DialError } from "../../distributed/dial.js";
import { type RunningNode, startNode } from "../../distributed/node-server.js";
import { connectCluster } from "../../distributed/ws-cluster.js";

const running: RunningNode[] = [];
afterAll(async () => {
  for (const n of running) await n.close();
});

describe("a run that replaces a failed attempt", () => {
  it("takes over a node still busy with that attempt, and only that one", async () => {
    const logs: string[] = [];
    const node = await startNode({ host: "127.0.0.1", port: 0, token: "tok", log: (line) => logs.push(line) });
    running.push(node);
    const token = "tok";
    // An attempt whose coordinator has not closed it: the node is busy with it.
    const first = await connectCluster([node.address], { token, run: "attempt-1" });
    expect(first.run).toBe("attempt-1");
    await expect(connectCluster([node.address], { token, run: "attempt-2" })).rejects.toThrow(DialError);
    await expect(connectCluster([node.address], { token, run: "attempt-3", supersedes: "another" })).rejects.toThrow(/busy/);
    const second = await connectCluster([node.address], { token, run: "attempt-4", supersedes: "attempt-1" });
    expect(second.run).toBe("attempt-4");
    expect(logs.some((l) => /run attempt-1 ended: replaced by run attempt-4/.test(l))).toBe(true);
    await second.close();
    await first.close();
  });
});
