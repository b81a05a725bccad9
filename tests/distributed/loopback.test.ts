// Cluster runs between real processes on loopback: `cairn node` processes
// serve runs of the command line's coordinator. 1, 2 and 3 nodes write the
// single-process outputs (lattices and records and ADTs read from facts files
// included); a wrong token, a garbage frame and an oversized
// frame are refused and the node stays up; a coordinator that goes away
// leaves the nodes ready for the next run; a node killed (SIGKILL) or frozen
// (SIGSTOP) mid-run, and the run starts again on the nodes that answer and
// writes the same outputs; links cut in the middle of frames by a relay are
// dialled again and resumed, and the run goes on without starting over; with
// no node left it fails naming the node, and no output is written.

import type { ChildProcess } from "node:child_process";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeProcess } from "../../distributed/local-cluster.js";
import { dial } from "../../distributed/dial.js";
import { connectCluster } from "../../distributed/ws-cluster.js";
import { encode, MAX_FRAME_BYTES, PROTOCOL_VERSION } from "../../distributed/wire.js";
import { cli, scratchDir } from "../cli-helpers.js";

const dir = scratchDir("cairn-loopback-");
const tokenFile = join(dir, "token");
const PROGRAM = "programs/reachability/reachability.dl";
const FACTS = "programs/reachability/facts";

interface Node {
  readonly child: ChildProcess;
  readonly address: string;
  /** Everything the node wrote to stderr so far. */
  log: string;
}

const nodes: Node[] = [];

async function startNodes(n: number, options: readonly string[] = []): Promise<Node[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startNodeProcess(tokenFile, options)));
  return started.map(({ child, address }) => {
    const node: Node = { child, address, log: "" };
    child.stderr!.on("data", (d: Buffer) => {
      node.log += d.toString();
    });
    nodes.push(node);
    return node;
  });
}

/** Resolves once `node` has logged a line matching `pattern`; fails with the node's log if it has not in `ms`. */
function logged(node: Node, pattern: RegExp, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      node.child.stderr!.off("data", check);
      reject(new Error(`node ${node.address} did not log ${pattern} in ${ms} ms; its log:\n${node.log}`));
    }, ms);
    const check = () => {
      if (pattern.test(node.log)) {
        clearTimeout(timer);
        node.child.stderr!.off("data", check);
        resolve();
      }
    };
    node.child.stderr!.on("data", check);
    check();
  });
}

function files(out: string): Record<string, string[]> {
  const r: Record<string, string[]> = {};
  for (const f of readdirSync(out).filter((f) => f.endsWith(".csv"))) r[f] = readFileSync(join(out, f), "utf8").split("\n").sort();
  return r;
}

let shared: Node[] = [];
let expected: Record<string, string[]>;

beforeAll(async () => {
  writeFileSync(tokenFile, "a-shared-secret\n", { mode: 0o600 });
  shared = await startNodes(3);
  const one = join(dir, "single");
  expect((await cli("run", PROGRAM, "-F", FACTS, "-D", one)).code).toBe(0);
  expected = files(one);
  expect(Object.keys(expected)).toHaveLength(3);
}, 120_000);

afterAll(() => {
  for (const n of nodes) {
    n.child.kill("SIGCONT");
    n.child.kill("SIGKILL");
  }
});

const addresses = (ns: readonly Node[]) => ns.map((n) => n.address).join(",");

describe("a cluster of node processes", () => {
  for (const k of [1, 2, 3]) {
    it(`on ${k} node${k === 1 ? "" : "s"} writes what one process writes`, async () => {
      const out = join(dir, `cluster-${k}`);
      const json = join(dir, `stats-${k}.json`);
      const r = await cli(
        "run",
        PROGRAM,
        "-F",
        FACTS,
        "-D",
        out,
        "--cluster",
        addresses(shared.slice(0, k)),
        "--token-file",
        tokenFile,
        "--stats-json",
        json,
      );
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(files(out)).toEqual(expected);
      const stats = JSON.parse(readFileSync(json, "utf8"));
      expect(stats.nodes.map((n: { address: string }) => n.address)).toEqual(shared.slice(0, k).map((n) => n.address));
      // unreachable (negation) and destinations (count) both wait for reachable: one barrier serves both.
      expect(stats.barriers).toBe(1);
      // Replicas count as such: each node holds its rows; a split relation's parts add up to the output.
      const rows = (rel: string) => stats.nodes.map((n: { rows: Record<string, number> }) => n.rows[rel]);
      const unreachable = expected["unreachable.csv"]!.filter((l) => l !== "").length;
      const parts = rows("unreachable");
      expect(parts.reduce((a: number, b: number) => a + b, 0) === unreachable || parts.every((p: number) => p === unreachable)).toBe(true);
    }, 60_000);
  }

  it("runs set, pair and user lattices: the bundled shopping cart and sign analysis, and sets of strings made on the nodes", async () => {
    const made = join(dir, "labels.dl");
    writeFileSync(
      made,
      `.decl e(x: symbol, y: symbol)
.input e
.decl lab(x: symbol, s: set<symbol>)
.output lab
.decl pp(x: symbol, v: pair<min<number>, set<symbol>>)
.output pp
lab(x, singleton(cat(y, "!"))) :- e(x, y).
lab(y, s) :- lab(x, s), e(x, y).
pp(x, pair(strlen(x), s)) :- lab(x, s).
pp(y, pair(first(v) + 1, second(v))) :- pp(x, v), e(x, y), first(v) < 20.
`,
    );
    const facts = join(dir, "labels");
    mkdirSync(facts, { recursive: true });
    writeFileSync(join(facts, "e.facts"), Array.from({ length: 60 }, (_, i) => `n${(i * 7) % 23}\tn${(i * 11 + 3) % 23}\n`).join(""));
    const cases = [
      ["programs/shopping-cart/shopping-cart.dl", "programs/shopping-cart/facts"],
      ["programs/sign-analysis/sign-analysis.dl", "programs/sign-analysis/facts"],
      [made, facts],
    ] as const;
    for (const [k, [program, input]] of cases.entries()) {
      const one = join(dir, `lattice-one-${k}`);
      const out = join(dir, `lattice-cluster-${k}`);
      expect((await cli("run", program, "-F", input, "-D", one)).code).toBe(0);
      const r = await cli("run", program, "-F", input, "-D", out, "--cluster", addresses(shared), "--token-file", tokenFile);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(files(out), program).toEqual(files(one));
      expect(Object.values(files(one)).some((lines) => lines.some((l) => l.includes("{"))) || program.includes("sign"), program).toBe(true);
    }
  }, 120_000);

  it("runs records and ADTs: lists grown on the nodes, values read from facts files, symbols made inside them, negation over them", async () => {
    const program = join(dir, "records.dl");
    writeFileSync(
      program,
      `.type Path = [at: symbol, rest: Path]
.type Shape = Circle {r: number} | Rect {w: number, h: number} | Named {n: symbol, s: Shape} | Dot {}
.decl e(x: symbol, y: symbol)
.input e
.decl start(p: Path)
.input start
.decl shape(x: symbol, s: Shape)
.input shape
.decl route(x: symbol, p: Path, n: number)
.output route
.decl fresh(p: Path)
.output fresh
.decl tagged(x: symbol, s: Shape)
.output tagged
.decl area(s: Shape, a: number)
.output area
route(x, p, 0) :- start(p), p = [x, _].
route(y, [y, p], n + 1) :- route(x, p, n), e(x, y), n < 4.
fresh(p) :- route(_, p, _), !start(p).
tagged(x, $Named(cat(x, "'"), s)) :- shape(x, s).
tagged(y, s) :- tagged(x, s), e(x, y).
area(s, 3 * r * r) :- tagged(_, s), s = $Named(_, $Circle(r)).
area(s, w * h) :- tagged(_, s), s = $Named(_, $Rect(w, h)).
`,
    );
    const facts = join(dir, "records");
    mkdirSync(facts, { recursive: true });
    writeFileSync(join(facts, "e.facts"), Array.from({ length: 40 }, (_, i) => `n${(i * 7) % 17}\tn${(i * 5 + 3) % 17}\n`).join(""));
    writeFileSync(join(facts, "start.facts"), "[n1, nil]\n[n2, [n9, nil]]\n[n3, [n4, [n5, nil]]]\n[n12, [n1, nil]]\n");
    writeFileSync(join(facts, "shape.facts"), "n0\t$Rect(2, 3)\nn4\t$Named(inner, $Circle(2))\nn5\t$Dot\nn6\t$Circle(5)\n");
    const one = join(dir, "records-one");
    const out = join(dir, "records-cluster");
    const single = await cli("run", program, "-F", facts, "-D", one);
    expect(single.err).toBe("");
    expect(single.code).toBe(0);
    const r = await cli("run", program, "-F", facts, "-D", out, "--cluster", addresses(shared), "--token-file", tokenFile);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const want = files(one);
    expect(files(out)).toEqual(want);
    // Worked by hand: a given list as it was read, lists grown four times, the made symbols inside ADT values, and
    // the areas of exactly the two shapes the patterns take apart (a Named inside a Named is neither).
    expect(want["route.csv"]).toContain("n3\t[n3, [n4, [n5, nil]]]\t0");
    expect(want["route.csv"]!.some((l) => /^(n\d+)\t\[\1, \[n\d+, \[n\d+, \[n\d+, \[n\d+, /.test(l) && l.endsWith("\t4"))).toBe(true);
    expect(want["fresh.csv"]!.filter((l) => l !== "").length).toBeGreaterThan(10);
    expect(want["tagged.csv"]).toContain("n5\t$Named(n5', $Dot)");
    expect(want["tagged.csv"]).toContain("n0\t$Named(n4', $Named(inner, $Circle(2)))");
    expect(want["area.csv"]!.filter((l) => l !== "")).toEqual(["$Named(n0', $Rect(2, 3))\t6", "$Named(n6', $Circle(5))\t75"]);
  }, 120_000);

  it("runs user functors only on nodes that allow the coordinator's module; one that does not fails the run, saying why", async () => {
    const program = join(dir, "functors.dl");
    writeFileSync(
      program,
      `.functor mix(x: number, y: number): number
.functor tag(s: symbol): symbol
.decl e(x: number, y: number)
.input e
.decl m(x: number, n: number)
.output m
.decl t(x: number, s: symbol)
.output t
m(x, @mix(x, y)) :- e(x, y).
m(y, @mix(n, y)) :- m(x, n), e(x, y), n < 9.
t(x, @tag(to_string(n))) :- m(x, n).
`,
    );
    const module = join(dir, "functors.mjs");
    writeFileSync(module, 'export const mix = (x, y) => (x * 31 + y) % 17;\nexport default { tag: (s) => s + "#" };\n');
    const facts = join(dir, "functor-facts");
    mkdirSync(facts, { recursive: true });
    writeFileSync(join(facts, "e.facts"), Array.from({ length: 50 }, (_, i) => `${(i * 7) % 19}\t${(i * 5 + 2) % 19}\n`).join(""));
    const one = join(dir, "functors-one");
    expect((await cli("run", program, "--functors", module, "-F", facts, "-D", one)).code).toBe(0);
    const allowing = await startNodes(2, ["--allow-functors"]);
    const out = join(dir, "functors-cluster");
    const r = await cli(
      "run",
      program,
      "--functors",
      module,
      "-F",
      facts,
      "-D",
      out,
      "--cluster",
      addresses(allowing),
      "--token-file",
      tokenFile,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(files(one));
    expect(files(one)["t.csv"]!.length).toBeGreaterThan(10);
    await logged(allowing[0]!, /loading the functors module functors\.mjs the coordinator sent/);
    // A node without --allow-functors runs none of it.
    const refused = await cli(
      "run",
      program,
      "--functors",
      module,
      "-F",
      facts,
      "-D",
      join(dir, "never"),
      "--cluster",
      addresses([shared[0]!, allowing[0]!]),
      "--token-file",
      tokenFile,
    );
    expect(refused.code).toBe(3);
    expect(refused.err).toContain("does not run functor modules (functors.mjs): start it with cairn node --allow-functors");
    expect(existsSync(join(dir, "never"))).toBe(false);
    for (const n of allowing) n.child.kill("SIGTERM");
  }, 120_000);

  it("numbers tuples with autoinc() on the nodes: each key once, no number twice, what is joined on them as one process has it", async () => {
    const program = join(dir, "autoinc.dl");
    writeFileSync(
      program,
      `.decl e(x: number, y: number)
.input e
.decl node(x: number)
.decl id(x: number, i: number)
.output id
.decl slot(k: number, i: number)
.output slot
.decl same(x: number, y: number)
.output same
node(x) :- e(x, _).
id(x, autoinc()) :- node(x).
slot(k, autoinc()) :- k = range(0, 7).
same(x, y) :- id(x, i), id(y, i).
`,
    );
    const facts = join(dir, "autoinc-facts");
    mkdirSync(facts, { recursive: true });
    writeFileSync(join(facts, "e.facts"), Array.from({ length: 60 }, (_, i) => `${(i * 7) % 31}\t${i % 5}\n`).join(""));
    const one = join(dir, "autoinc-one");
    expect((await cli("run", program, "-F", facts, "-D", one)).code).toBe(0);
    const out = join(dir, "autoinc-cluster");
    const r = await cli("run", program, "-F", facts, "-D", out, "--cluster", addresses(shared), "--token-file", tokenFile);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const [a, b] = [files(one), files(out)];
    const rows = (f: Record<string, string[]>, name: string) => f[name]!.filter((l) => l !== "").map((l) => l.split("\t").map(Number));
    for (const name of ["id.csv", "slot.csv"]) {
      expect(
        rows(b, name)
          .map((t) => t[0])
          .sort(),
        name,
      ).toEqual(
        rows(a, name)
          .map((t) => t[0])
          .sort(),
      );
    }
    const numbers = [...rows(b, "id.csv"), ...rows(b, "slot.csv")].map((t) => t[1]);
    expect(numbers.length).toBe(31 + 7);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(b["same.csv"]).toEqual(a["same.csv"]);
  }, 60_000);

  it("answers heartbeats while it evaluates: a long run on a short heartbeat loses no node", async () => {
    const program = join(dir, "tc.dl");
    writeFileSync(
      program,
      ".decl edge(x: number, y: number)\n.input edge\n.decl path(x: number, y: number)\n.printsize path\npath(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n",
    );
    const facts = join(dir, "chain");
    mkdirSync(facts, { recursive: true });
    writeFileSync(join(facts, "edge.facts"), Array.from({ length: 4000 }, (_, i) => `${i}\t${i + 1}\n`).join(""));
    const json = join(dir, "slow.json");
    const r = await cli(
      "run",
      program,
      "-F",
      facts,
      "-D",
      "-",
      "--cluster",
      addresses(shared.slice(0, 2)),
      "--token-file",
      tokenFile,
      "--heartbeat-ms",
      "700",
      "--stats-json",
      json,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`path\t${(4001 * 4000) / 2}\n`);
    // Each node derives some four million rows, far longer than the heartbeat, and is never taken for lost.
    expect(JSON.parse(readFileSync(json, "utf8")).restarts, r.err).toBe(0);
  }, 60_000);

  it("refuses a wrong token, and the node logs it", async () => {
    const bad = join(dir, "bad-token");
    writeFileSync(bad, "not-the-secret\n");
    const out = join(dir, "bad");
    const r = await cli("run", PROGRAM, "-F", FACTS, "-D", out, "--cluster", shared[0]!.address, "--token-file", bad);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(`cairn: cluster run failed: cannot reach node ${shared[0]!.address}: it refused the token`);
    await logged(shared[0]!, /refused 127\.0\.0\.1:\d+: bad token/);
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it("refuses garbage before and after the handshake, and an oversized frame, and stays up", async () => {
    const node = shared[0]!;
    // Garbage instead of a handshake.
    const raw = new WebSocket(`ws://${node.address}`);
    await new Promise((r) => raw.once("message", r));
    raw.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const code = await new Promise<number>((r) => raw.once("close", (c) => r(c)));
    expect(code).toBe(4002);
    await logged(node, /not a Cairn handshake/);
    // Authenticated as a coordinator, then a garbage frame: dropped and logged.
    const ws = await dial(
      node.address,
      { role: "coordinator", run: "garbage", node: 0, addresses: [node.address], heartbeatMs: 5000 },
      { token: "a-shared-secret", timeoutMs: 5000 },
    );
    ws.send(Buffer.from([0x43, 0x52, PROTOCOL_VERSION, 7, 1, 2, 3, 4]));
    await logged(node, /refused frame: unknown frame type 7/);
    // An oversized frame closes the link (1009) without harm to the node.
    ws.send(new Uint8Array(MAX_FRAME_BYTES + 16));
    expect(await new Promise<number>((r) => ws.once("close", (c) => r(c)))).toBe(1009);
    await logged(node, /run garbage ended/);
    const out = join(dir, "after-garbage");
    expect((await cli("run", PROGRAM, "-F", FACTS, "-D", out, "--cluster", addresses(shared), "--token-file", tokenFile)).code).toBe(0);
    expect(files(out)).toEqual(expected);
  }, 60_000);

  it("is ready for the next run when a coordinator goes away without ending its run", async () => {
    const links = await connectCluster(
      shared.map((n) => n.address),
      { token: "a-shared-secret" },
    );
    links.send(0, encode({ t: "loaded" }));
    await links.close();
    // Each node ends the run, for whichever it sees first: its coordinator's link closing, or a
    // peer's link closing because that peer ended the run.
    const ended = new RegExp(`run ${links.run} ended: (the coordinator went away|lost its link to node \\d)`);
    await Promise.all(shared.map((n) => logged(n, ended)));
    const out = join(dir, "after-coordinator");
    expect((await cli("run", PROGRAM, "-F", FACTS, "-D", out, "--cluster", addresses(shared), "--token-file", tokenFile)).code).toBe(0);
    expect(files(out)).toEqual(expected);
  }, 60_000);

  for (const signal of ["SIGKILL", "SIGSTOP"] as const) {
    it(`finishes with the same outputs on the others when a node is stopped by ${signal} mid-run`, async () => {
      const [victim, ...rest] = await startNodes(2);
      const group = [...shared.slice(0, 1), victim!, ...rest];
      const out = join(dir, `lost-${signal}`);
      const json = join(dir, `lost-${signal}.json`);
      void logged(victim!, /run \S+: node 1 of 3/).then(() => victim!.child.kill(signal));
      const t0 = Date.now();
      const r = await cli(
        "run",
        PROGRAM,
        "-F",
        FACTS,
        "-D",
        out,
        "--cluster",
        addresses(group),
        "--token-file",
        tokenFile,
        "--heartbeat-ms",
        "1500",
        "--stats-json",
        json,
      );
      expect(r.code, r.err).toBe(0);
      expect(files(out)).toEqual(expected);
      expect(r.err).toContain(`cairn: note: node 1 (${victim!.address}) was lost`);
      const stats = JSON.parse(readFileSync(json, "utf8"));
      expect(stats.lost).toEqual([victim!.address]);
      expect(stats.nodes.map((n: { address: string }) => n.address)).not.toContain(victim!.address);
      expect(Date.now() - t0).toBeLessThan(20_000);
      victim!.child.kill("SIGCONT");
      victim!.child.kill("SIGKILL");
    }, 90_000);
  }

  it("fails, naming the node, when the last node is lost", async () => {
    const [victim] = await startNodes(1);
    const out = join(dir, "lost-all");
    void logged(victim!, /run \S+: node 0 of 1/).then(() => victim!.child.kill("SIGKILL"));
    const r = await cli(
      "run",
      PROGRAM,
      "-F",
      FACTS,
      "-D",
      out,
      "--cluster",
      victim!.address,
      "--token-file",
      tokenFile,
      "--heartbeat-ms",
      "1500",
    );
    expect(r.code).toBe(3);
    expect(r.err).toMatch(new RegExp(`cairn: cluster run failed: cannot reach node ${victim!.address.replace(/\./g, "\\.")}: `));
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("finishes with the same outputs through a relay that cuts connections mid-frame", async () => {
    // Each node behind a relay whose first connections are cut after some bytes, so the coordinator's
    // links and the nodes' links to each other break in the middle of frames.
    let seed = 11;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    // The first connection to each relay is the coordinator's: cut after its handshake, in the middle of
    // the setup frame (the program's text and symbols); later ones (the nodes' links, the next attempt's)
    // anywhere in their first few KiB, handshakes included.
    const relays = await Promise.all(shared.map((n) => relay(n.address, [800 + rand(600), 200 + rand(3000), 200 + rand(3000)])));
    try {
      const out = join(dir, "relayed");
      const json = join(dir, "relayed.json");
      const r = await cli(
        "run",
        PROGRAM,
        "-F",
        FACTS,
        "-D",
        out,
        "--cluster",
        relays.map((x) => x.address).join(","),
        "--token-file",
        tokenFile,
        "--stats-json",
        json,
      );
      expect(r.code, r.err).toBe(0);
      expect(files(out)).toEqual(expected);
      expect(
        relays.reduce((n, x) => n + x.cut(), 0),
        "connections cut",
      ).toBeGreaterThan(0);
      // Every cut link was dialled again and resumed where it broke: the run never started over.
      expect(JSON.parse(readFileSync(json, "utf8")).restarts, r.err).toBe(0);
      expect(shared.some((n) => /the link from (the coordinator|node \d) resumed/.test(n.log))).toBe(true);
    } finally {
      for (const x of relays) x.close();
    }
  }, 90_000);
});

/** A TCP relay to `target` on a free loopback port; its i-th connection is cut after `cuts[i]` bytes (in either direction). */
async function relay(target: string, cuts: number[]): Promise<{ address: string; cut: () => number; close: () => void }> {
  const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
  let connections = 0;
  let cut = 0;
  const server = createServer((inbound) => {
    const limit = cuts[connections++] ?? Infinity;
    const outbound = connect(port, host);
    let bytes = 0;
    const pass = (from: Socket, to: Socket) =>
      from.on("data", (d: Buffer) => {
        bytes += d.length;
        if (bytes > limit) {
          cut++;
          to.write(d.subarray(0, Math.max(0, d.length - (bytes - limit))));
          inbound.destroy();
          outbound.destroy();
          return;
        }
        to.write(d);
      });
    pass(inbound, outbound);
    pass(outbound, inbound);
    for (const s of [inbound, outbound]) {
      s.on("error", () => {});
      s.on("close", () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, cut: () => cut, close: () => server.close() };
}
