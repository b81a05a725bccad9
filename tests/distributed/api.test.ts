// Program.runCluster(): the embedded API's cluster run gives what run() gives,
// over nodes served in this process (startNode), over nodes it starts on
// loopback, and over wss:// with a self-signed certificate the client trusts
// (and refuses to trust it without); user functors from a module the nodes
// load. A program a cluster cannot run yet is a
// CairnError naming the place.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CairnError, compile, DialError, type RunningNode, startNode, type Tuple } from "../../index.js";
import { scratchDir } from "../cli-helpers.js";

const TEXT = `.decl edge(x: number, y: number)
.decl path(x: number, y: number)
.decl lonely(x: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
lonely(x) :- edge(x, _), !path(_, x).`;

const edge: Tuple[] = Array.from({ length: 80 }, (_, i) => [i % 37, (i * 7 + 3) % 41]);
const sorted = (r: Record<string, Tuple[]>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map((t) => JSON.stringify(t)).sort()]));

const running: RunningNode[] = [];
afterAll(async () => {
  for (const n of running) await n.close();
});

async function nodes(k: number, token: string, tls?: { cert: string; key: string }): Promise<string[]> {
  const started = await Promise.all(Array.from({ length: k }, () => startNode({ host: "127.0.0.1", port: 0, token, tls, log: () => {} })));
  running.push(...started);
  return started.map((n) => n.address);
}

describe("Program.runCluster", () => {
  const program = compile(TEXT, { file: "tc.dl" });
  const expected = sorted(program.run({ edge }));

  it("gives run()'s answer on nodes served in this process", async () => {
    const addresses = await nodes(3, "t0k3n");
    const { relations, stats } = await program.runCluster({ edge }, { nodes: addresses, token: "t0k3n" });
    expect(sorted(relations)).toEqual(expected);
    expect(stats.nodes.map((n) => n.address)).toEqual(addresses);
    expect(stats.barriers).toBe(1);
  });

  it("fails with a DialError for a wrong token", async () => {
    const addresses = await nodes(1, "right");
    await expect(program.runCluster({ edge }, { nodes: addresses, token: "wrong" })).rejects.toThrow(DialError);
  });

  it("gives run()'s answer on nodes it starts on loopback", async () => {
    const { relations, stats } = await program.runCluster({ edge }, { nodes: 2 });
    expect(sorted(relations)).toEqual(expected);
    expect(stats.nodes).toHaveLength(2);
  }, 60_000);

  it("refuses a program whose rule numbers the values of a lattice relation with autoinc, naming the place", async () => {
    const p = compile(`.decl a(x: symbol, v: max<number>)\n.decl b(x: symbol, i: number)\nb(x, autoinc()) :- a(x, _).`, {
      file: "autoinc.dl",
    });
    const failure = p.runCluster({ a: [["hi", 1]] }, { nodes: [] });
    await expect(failure).rejects.toThrow(CairnError);
    await expect(failure).rejects.toThrow("autoinc() cannot run on a cluster in a rule that reads the lattice relation a");
  });

  it("runs user functors from functorsModule on nodes that allow them; without the module, a located CairnError", async () => {
    const dir = scratchDir("cairn-api-functors-");
    const module = join(dir, "f.mjs");
    writeFileSync(module, "export const hop = (x) => (x * 3 + 1) % 23;\n");
    const text = `.functor hop(x: number): number\n.decl a(x: number)\n.decl r(x: number)\nr(x) :- a(x).\nr(@hop(x)) :- r(x).`;
    const p = compile(text, { file: "hop.dl", functors: { hop: (x) => ((x as number) * 3 + 1) % 23 } });
    const want = sorted(p.run({ a: [[1], [5]] }));
    await expect(p.runCluster({ a: [[1], [5]] }, { nodes: [] })).rejects.toThrow(
      "the user functor @hop runs on a cluster only from a module",
    );
    const addresses = (
      await Promise.all([0, 1].map(() => startNode({ host: "127.0.0.1", port: 0, token: "fx", log: () => {}, allowFunctors: true })))
    ).map((n) => {
      running.push(n);
      return n.address;
    });
    const { relations } = await p.runCluster({ a: [[1], [5]] }, { nodes: addresses, token: "fx", functorsModule: module });
    expect(sorted(relations)).toEqual(want);
    expect(want.r!.length).toBeGreaterThan(5);
    await expect(startNode({ host: "127.0.0.1", port: 0, token: "", log: () => {}, allowFunctors: true })).rejects.toThrow(
      "a node that runs functors modules needs a token",
    );
    // A node that does not allow functors fails the run, saying why.
    const refusing = await nodes(1, "fx");
    await expect(p.runCluster({ a: [[1]] }, { nodes: refusing, token: "fx", functorsModule: module })).rejects.toThrow(
      "does not run functor modules (f.mjs)",
    );
  });

  let openssl = true;
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch {
    openssl = false;
  }
  it.skipIf(!openssl)(
    "runs over wss:// with a certificate the client trusts, and refuses one it does not",
    async () => {
      const dir = scratchDir("cairn-tls-");
      const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          key,
          "-out",
          cert,
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      const pem = { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
      const addresses = await nodes(2, "tls-token", pem);
      const { relations } = await program.runCluster({ edge }, { nodes: addresses, token: "tls-token", tls: { ca: pem.cert } });
      expect(sorted(relations)).toEqual(expected);
      await expect(program.runCluster({ edge }, { nodes: addresses, token: "tls-token", tls: {} })).rejects.toThrow(
        /self-signed certificate/,
      );
      await expect(program.runCluster({ edge }, { nodes: addresses, token: "tls-token" })).rejects.toThrow(DialError);
    },
    30_000,
  );

  /** A node that closes itself as soon as a run reaches it, so it is lost mid-run. */
  async function doomed(token: string): Promise<string> {
    let node: RunningNode | undefined;
    let started = false;
    node = await startNode({
      host: "127.0.0.1",
      port: 0,
      token,
      log: (line) => {
        if (!started && / of \d+$/.test(line)) {
          started = true;
          setImmediate(() => void node!.close());
        }
      },
    });
    running.push(node);
    return node.address;
  }

  it("goes on without a node lost mid-run, and says which it was", async () => {
    const [survivor] = await nodes(1, "x");
    const victim = await doomed("x");
    const chain: Tuple[] = Array.from({ length: 300 }, (_, i) => [i, i + 1]);
    const { relations, stats } = await program.runCluster({ edge: chain }, { nodes: [survivor!, victim], token: "x", heartbeatMs: 500 });
    expect(sorted(relations)).toEqual(sorted(program.run({ edge: chain })));
    expect(stats.lost).toEqual([victim]);
    expect(stats.nodes.map((n) => n.address)).toEqual([survivor]);
  }, 30_000);

  it("fails, naming the node, when the last node is lost mid-run", async () => {
    const victim = await doomed("y");
    const run = program.runCluster({ edge }, { nodes: [victim], token: "y", heartbeatMs: 500 });
    await expect(run).rejects.toThrow(DialError);
    await expect(run).rejects.toThrow(`cannot reach node ${victim}`);
  }, 30_000);
});
