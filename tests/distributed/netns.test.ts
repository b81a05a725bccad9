// Nodes on separate network stacks: three Linux network namespaces joined by
// a bridge (a veth pair each), a node in each, the coordinator outside. One
// node's link is taken down mid-run: the run starts again on the two that
// answer and writes what one process writes. Skipped, saying why, where
// network namespaces cannot be made (they need root, or CAP_NET_ADMIN).

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, devBin, scratchDir } from "../cli-helpers.js";

const tag = `c${process.pid % 100000}`;
const subnet = `10.231.${process.pid % 250}`;
const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });

function permitted(): string | undefined {
  try {
    ip("netns", "add", `${tag}probe`);
    ip("netns", "del", `${tag}probe`);
    return undefined;
  } catch (e) {
    return `network namespaces cannot be made here (${String((e as { stderr?: Buffer }).stderr ?? e).trim() || "ip failed"})`;
  }
}

const why = permitted();
const PROGRAM = "programs/reachability/reachability.dl";
const FACTS = "programs/reachability/facts";
const bridge = `${tag}br`;
const ns = (k: number) => `${tag}n${k}`;
const hostEnd = (k: number) => `${tag}h${k}`;
const children: ChildProcess[] = [];
let addresses: string[] = [];
let logs: string[] = [];

function cleanup(): void {
  for (const c of children) c.kill("SIGKILL");
  for (let k = 0; k < 3; k++) {
    try {
      ip("netns", "del", ns(k));
    } catch {}
  }
  try {
    ip("link", "del", bridge);
  } catch {}
}

describe.skipIf(why !== undefined)(`nodes in network namespaces${why ? ` (skipped: ${why})` : ""}`, () => {
  const dir = scratchDir("cairn-netns-");
  const tokenFile = join(dir, "token");

  beforeAll(async () => {
    writeFileSync(tokenFile, "namespaced\n", { mode: 0o600 });
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", `${subnet}.1/24`, "dev", bridge);
    ip("link", "set", bridge, "up");
    for (let k = 0; k < 3; k++) {
      ip("netns", "add", ns(k));
      ip("link", "add", hostEnd(k), "type", "veth", "peer", "name", `${tag}g${k}`);
      ip("link", "set", `${tag}g${k}`, "netns", ns(k));
      ip("link", "set", hostEnd(k), "master", bridge);
      ip("link", "set", hostEnd(k), "up");
      ip("netns", "exec", ns(k), "ip", "addr", "add", `${subnet}.${10 + k}/24`, "dev", `${tag}g${k}`);
      ip("netns", "exec", ns(k), "ip", "link", "set", `${tag}g${k}`, "up");
      ip("netns", "exec", ns(k), "ip", "link", "set", "lo", "up");
    }
    logs = ["", "", ""];
    addresses = await Promise.all(
      [0, 1, 2].map(
        (k) =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(
              "ip",
              ["netns", "exec", ns(k), process.execPath, devBin, "node", "--listen", `${subnet}.${10 + k}:0`, "--token-file", tokenFile],
              { stdio: ["ignore", "pipe", "pipe"] },
            );
            children.push(child);
            child.stderr!.on("data", (d: Buffer) => (logs[k] += d.toString()));
            let out = "";
            child.stdout!.on("data", (d: Buffer) => {
              out += d.toString();
              const m = /listening on (\S+)/.exec(out);
              if (m) resolve(m[1]!);
            });
            child.once("exit", (code) => reject(new Error(`node ${k} exited (${code}): ${logs[k]}`)));
          }),
      ),
    );
  }, 120_000);

  afterAll(cleanup);

  it("finishes with the same outputs when a node's link goes down mid-run", async () => {
    const one = join(dir, "single");
    expect((await cli("run", PROGRAM, "-F", FACTS, "-D", one)).code).toBe(0);
    const down = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (/node 1 of 3/.test(logs[1]!)) {
          clearInterval(timer);
          ip("link", "set", hostEnd(1), "down");
          resolve();
        }
      }, 2);
    });
    const out = join(dir, "cluster");
    const json = join(dir, "stats.json");
    const r = await cli(
      "run",
      PROGRAM,
      "-F",
      FACTS,
      "-D",
      out,
      "--cluster",
      addresses.join(","),
      "--token-file",
      tokenFile,
      // Long enough that a healthy node on a loaded machine is not taken for lost too.
      "--heartbeat-ms",
      "3000",
      "--stats-json",
      json,
    );
    await down;
    expect(r.code, r.err).toBe(0);
    for (const f of readdirSync(one))
      expect(readFileSync(join(out, f), "utf8").split("\n").sort(), f).toEqual(readFileSync(join(one, f), "utf8").split("\n").sort());
    const stats = JSON.parse(readFileSync(json, "utf8"));
    expect(stats.lost).toContain(addresses[1]);
    expect(stats.nodes.map((n: { address: string }) => n.address)).toEqual([addresses[0], addresses[2]]);
  }, 90_000);
});
