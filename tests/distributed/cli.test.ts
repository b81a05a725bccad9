// The command line's cluster options: `run --emit shards` prints the
// distribution pass's plan (golden file), `graph --shards` draws it,
// `--local-cluster` runs (records included) and reports per-node statistics, and every bad
// option is a usage error (exit 2) that says what it takes.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliSync, scratchDir } from "../cli-helpers.js";
import { startNodeProcess } from "../../distributed/local-cluster.js";

const PROGRAM = "programs/reachability/reachability.dl";
const FACTS = "programs/reachability/facts";
const dir = scratchDir("cairn-cluster-cli-");

describe("cluster options on the command line", () => {
  it("prints the shard plan: placements, exchanges, rules run on every node, barriers and why", () => {
    const r = cliSync("run", PROGRAM, "-F", FACTS, "--emit", "shards", "--local-cluster", "3");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(join(import.meta.dirname, "reachability.shards"), "utf8"));
  });

  it("draws the plan on the dataflow graph", () => {
    const r = cliSync("graph", PROGRAM, "--shards", "3");
    expect(r.code).toBe(0);
    expect(r.out).toContain('label="flight\\nmonotone, split on from"');
    expect(r.out).toContain("exchange: to every node");
    expect(r.out).toContain("on every node");
    // One barrier (before unreachable's stratum), where the analysis alone marks two.
    expect(r.out.match(/barrier/g)).toHaveLength(1);
  });

  it("draws no plan for what a cluster cannot run: the located errors of run --cluster", () => {
    const program = join(dir, "numbered.dl");
    writeFileSync(program, ".decl d(x: number, v: min<number>)\n.decl b(x: number, i: number)\nd(1, 2).\nb(x, autoinc()) :- d(x, _).\n");
    const r = cliSync("graph", program, "--shards", "2");
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain(
      `${program}:4:6: error[cluster]: autoinc() cannot run on a cluster in a rule that reads the lattice relation d`,
    );
    expect(r.out).toBe("");
    // Without --shards the same program draws.
    expect(cliSync("graph", program).code).toBe(0);
  });

  it("draws the plan of a program with user functors (run --cluster ships their module)", () => {
    const program = join(dir, "functor.dl");
    writeFileSync(program, ".functor twice(x: number): number\n.decl a(x: number)\n.decl b(x: number)\na(1).\nb(@twice(x)) :- a(x).\n");
    const r = cliSync("graph", program, "--shards", "2");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("digraph");
  });

  it("runs on local nodes and reports what each holds, derived and sent", async () => {
    const out = join(dir, "local");
    const json = join(dir, "stats.json");
    const r = await cli("run", PROGRAM, "-F", FACTS, "-D", out, "--local-cluster", "2", "--stats", "--stats-json", json);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^node 0 127\.0\.0\.1:\d+: derived \d+, rounds \d+, exchanged \d+ frames \d+ bytes out, \d+ frames in; \d+ bytes sent, \d+ received in all; rows: /m,
    );
    expect(r.err).toMatch(/^cluster: 2 nodes, \d+ rounds at most, 1 global barrier$/m);
    const stats = JSON.parse(readFileSync(json, "utf8"));
    expect(Object.keys(stats)).toEqual(["nodes", "rounds", "barriers", "restarts", "lost"]);
    expect([stats.restarts, stats.lost]).toEqual([0, []]);
    expect(Object.keys(stats.nodes[0]).sort()).toEqual([
      "address",
      "bytesReceived",
      "bytesSent",
      "derived",
      "exchangeBytes",
      "framesReceived",
      "framesSent",
      "rounds",
      "rows",
    ]);
    for (const f of ["reachable", "unreachable", "destinations"])
      expect(
        readFileSync(join(out, `${f}.csv`), "utf8")
          .split("\n")
          .sort(),
      ).toEqual(
        readFileSync(join("programs/reachability/expected", `${f}.csv`), "utf8")
          .split("\n")
          .sort(),
      );
  }, 60_000);

  it("runs records on local nodes, a list grown by recursion printed as one process prints it", async () => {
    const program = join(dir, "lists.dl");
    writeFileSync(
      program,
      `.type List = [head: number, tail: List]
.decl e(x: number, y: number)
e(1, 2). e(2, 3). e(3, 1). e(2, 4).
.decl p(x: number, l: List)
.output p
p(x, [x, nil]) :- e(x, _).
p(y, [y, l]) :- p(x, l), e(x, y), l = [_, nil].
p(y, [y, l]) :- p(x, l), e(x, y), l = [_, [_, nil]].
`,
    );
    const one = await cli("run", program, "-D", join(dir, "l1"));
    const many = await cli("run", program, "-D", join(dir, "l2"), "--local-cluster", "2");
    expect(many.err).toBe("");
    expect([one.code, many.code]).toEqual([0, 0]);
    const lines = (d: string) =>
      readFileSync(join(dir, d, "p.csv"), "utf8")
        .split("\n")
        .sort();
    expect(lines("l2")).toEqual(lines("l1"));
    // Worked by hand: three lists of one, four of two, four of three (1 -> 2 -> 4 among them).
    expect(lines("l1").filter((l) => l !== "")).toHaveLength(11);
    expect(lines("l1")).toContain("4\t[4, [2, [1, nil]]]");
  }, 60_000);

  it("reports a lattice that keeps growing on a node as one process does, at the declaration", async () => {
    const program = join(dir, "grow.dl");
    writeFileSync(program, ".decl n(x: number, v: max<number>)\nn(0, 0).\nn(0, v + 1) :- n(0, v).\n");
    const one = await cli("run", program, "-D", join(dir, "g1"), "--growth-limit", "500");
    const many = await cli("run", program, "-D", join(dir, "g2"), "--growth-limit", "500", "--local-cluster", "2");
    expect(one.code).toBe(3);
    expect(many.code).toBe(3);
    expect(many.err).toBe(one.err);
  }, 60_000);

  it("runs user functors on local nodes from the --functors module, as one process does", async () => {
    const program = join(dir, "functors.dl");
    writeFileSync(
      program,
      `.functor twice(x: number): number
.functor shout(s: symbol): symbol
.decl n(x: number)
.decl out(x: number, s: symbol)
.output out
n(x) :- x = range(0, 40).
out(@twice(x), @shout(to_string(x))) :- n(x).
`,
    );
    // A CommonJS module by its extension, with the functions in its exports.
    const module = join(dir, "functors.cjs");
    writeFileSync(module, 'exports.twice = (x) => 2 * x;\nexports.shout = (s) => s + "!";\n');
    const one = await cli("run", program, "--functors", module, "-D", "-");
    expect(one.code).toBe(0);
    const r = await cli("run", program, "--functors", module, "-D", "-", "--local-cluster", "2");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").sort()).toEqual(one.out.split("\n").sort());
    expect(r.out).toContain("78\t39!");
  }, 60_000);

  it("keeps a state file: a cluster run saves it, another continues from it after facts came and went, and so does one process", async () => {
    const facts = join(dir, "state-facts");
    mkdirSync(facts, { recursive: true });
    const state = join(dir, "state.cairn");
    const token = join(dir, "token");
    writeFileSync(token, "state-token\n", { mode: 0o600 });
    const started = await Promise.all([0, 1].map(() => startNodeProcess(token)));
    const nodes = started.map((n) => n.address).join(",");
    const flights = readFileSync(join(FACTS, "flight.facts"), "utf8").split("\n").filter(Boolean);
    /** Outputs of a run over `lines` from scratch in one process, and of a run with the state (on local nodes, or not). */
    const step = async (lines: string[], cluster: boolean) => {
      writeFileSync(join(facts, "flight.facts"), `${lines.join("\n")}\n`);
      const fresh = await cli("run", PROGRAM, "-F", facts, "-D", "-", "--sort");
      expect(fresh.code).toBe(0);
      const args = ["run", PROGRAM, "-F", facts, "-D", "-", "--sort", "--state", state];
      const r = await cli(...args, ...(cluster ? ["--cluster", nodes, "--token-file", token] : []));
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toBe(fresh.out);
      return r.out;
    };
    const first = await step(flights, true);
    expect(existsSync(state)).toBe(true);
    // A new flight reaches more (fewer unreachable pairs): the negation's old answer must not stay.
    const more = await step([...flights, "LHR\tAKL"], true);
    expect(more).not.toBe(first);
    // A flight gone: its facts are retracted, and what depended on them recomputed.
    await step([...flights.slice(1), "LHR\tAKL"], true);
    // One process continues from the state the cluster saved.
    await step([...flights.slice(2), "LHR\tAKL", "AKL\tSIN"], false);
    await step([...flights, "SIN\tAKL"], true);
    // autoinc(): one process continuing from a cluster's state numbers above every number the nodes gave.
    const numbering = join(dir, "numbering.dl");
    writeFileSync(numbering, ".decl e(x: number)\n.input e\n.decl id(x: number, i: number)\n.output id\nid(x, autoinc()) :- e(x).\n");
    const numbers = join(dir, "numbers");
    mkdirSync(numbers, { recursive: true });
    const counted = join(dir, "counted.cairn");
    const ids = async (xs: number[], cluster: boolean) => {
      writeFileSync(join(numbers, "e.facts"), xs.map((x) => `${x}\n`).join(""));
      const args = ["run", numbering, "-F", numbers, "-D", "-", "--state", counted];
      const r = await cli(...args, ...(cluster ? ["--cluster", nodes, "--token-file", token] : []));
      expect(r.code, r.err).toBe(0);
      return r.out
        .split("\n")
        .filter((l) => /^\d+\t\d+$/.test(l))
        .map((l) => l.split("\t").map(Number));
    };
    const once = await ids([1, 2, 3, 4, 5, 6], true);
    expect(once.map((t) => t[0]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const again = await ids([1, 2, 3, 4, 5, 6, 7, 8], false);
    expect(again.map((t) => t[0]).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(again.map((t) => t[1])).size).toBe(8);
    for (const n of started) n.child.kill("SIGTERM");
  }, 120_000);

  const usage: [string, string[], string][] = [
    ["a bad address", ["--cluster", "localhost"], 'cairn: --cluster takes HOST:PORT addresses separated by commas, got "localhost"\n'],
    ["a node named twice", ["--cluster", "127.0.0.1:1,127.0.0.1:1"], "cairn: --cluster names a node twice\n"],
    ["zero local nodes", ["--local-cluster", "0"], 'cairn: --local-cluster takes a number of nodes from 1 to 64, got "0"\n'],
    [
      "both kinds of cluster",
      ["--cluster", "127.0.0.1:1", "--local-cluster", "2"],
      "cairn: --cluster and --local-cluster exclude each other\n",
    ],
    ["threads on the nodes", ["--local-cluster", "2", "-j", "2"], "cairn: a cluster run does not take -j yet\n"],
    [
      "statistics without a cluster",
      ["--stats-json", join(dir, "x.json")],
      "cairn: --stats-json describes a cluster run: add --cluster or --local-cluster\n",
    ],
    [
      "a short heartbeat",
      ["--local-cluster", "2", "--heartbeat-ms", "5"],
      'cairn: --heartbeat-ms takes a whole number of milliseconds, at least 100, got "5"\n',
    ],
  ];
  for (const [what, args, message] of usage) {
    it(`refuses ${what}`, () => {
      const r = cliSync("run", PROGRAM, "-F", FACTS, "-D", join(dir, "never"), ...args);
      expect(r.err).toBe(message);
      expect(r.code).toBe(2);
    });
  }

  it("refuses to run a coordinator's functors without a token", () => {
    const r = cliSync("node", "--allow-functors");
    expect(r.err).toBe("cairn: --allow-functors needs --token-file: only a coordinator that proves the token may run code on this node\n");
    expect(r.code).toBe(2);
  });

  it("refuses to serve beyond loopback without a token", () => {
    const r = cliSync("node", "--listen", "0.0.0.0:0");
    expect(r.err).toBe("cairn: refusing to listen on 0.0.0.0:0 without --token-file: beyond loopback, peers must prove a shared token\n");
    expect(r.code).toBe(2);
  });
});
