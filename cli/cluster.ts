// The cluster side of the command line: `cairn node` (serve runs until
// SIGTERM or SIGINT), the options `run` takes for a cluster (--cluster,
// --local-cluster, --token-file, --tls-ca, --heartbeat-ms), and the per-node
// statistics `--stats` prints and `--stats-json` writes.

import type { Command } from "commander";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { ClusterRunStats } from "../distributed/run-cluster.js";
import { parseAddress } from "../distributed/dial.js";
import { isLoopback, readToken, startNode } from "../distributed/node-server.js";
import type { ClusterOptions } from "../distributed/run-cluster.js";

export interface ClusterHost {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Ends the command with an exit code (never returns). */
  readonly exit: (code: number) => never;
  /** Hands the CLI a promise to wait for (the node serving until it is stopped). */
  readonly wait: (p: Promise<void>) => void;
}

const EXIT_USAGE = 2;

export interface ClusterCliOptions {
  cluster?: string;
  localCluster?: string;
  tokenFile?: string;
  tlsCa?: string;
  heartbeatMs?: string;
}

function readOrExit(host: ClusterHost, what: string, path: string, read: (p: string) => string): string {
  try {
    return read(path);
  } catch (e) {
    host.stderr(`cairn: cannot read the ${what} ${path}: ${(e as Error).message}\n`);
    return host.exit(EXIT_USAGE);
  }
}

/** The cluster a `run` asks for, or undefined for a run in this process; exits with a usage error for a bad option. */
export function clusterOptions(host: ClusterHost, o: ClusterCliOptions): ClusterOptions | undefined {
  if (o.cluster === undefined && o.localCluster === undefined) return undefined;
  if (o.cluster !== undefined && o.localCluster !== undefined) {
    host.stderr("cairn: --cluster and --local-cluster exclude each other\n");
    return host.exit(EXIT_USAGE);
  }
  let heartbeatMs: number | undefined;
  if (o.heartbeatMs !== undefined) {
    heartbeatMs = Number(o.heartbeatMs);
    if (!(Number.isInteger(heartbeatMs) && heartbeatMs >= 100)) {
      host.stderr(`cairn: --heartbeat-ms takes a whole number of milliseconds, at least 100, got "${o.heartbeatMs}"\n`);
      return host.exit(EXIT_USAGE);
    }
  }
  if (o.localCluster !== undefined) {
    const n = Number(o.localCluster);
    if (!(Number.isInteger(n) && n >= 1 && n <= 64)) {
      host.stderr(`cairn: --local-cluster takes a number of nodes from 1 to 64, got "${o.localCluster}"\n`);
      return host.exit(EXIT_USAGE);
    }
    return { nodes: n, heartbeatMs };
  }
  const nodes = o.cluster!.split(",").map((s) => s.trim());
  const bad = nodes.find((a) => !parseAddress(a));
  if (bad !== undefined || nodes.length === 0) {
    host.stderr(`cairn: --cluster takes HOST:PORT addresses separated by commas, got "${bad ?? o.cluster}"\n`);
    return host.exit(EXIT_USAGE);
  }
  if (new Set(nodes).size !== nodes.length) {
    host.stderr("cairn: --cluster names a node twice\n");
    return host.exit(EXIT_USAGE);
  }
  const token = o.tokenFile === undefined ? "" : readOrExit(host, "token file", o.tokenFile, readToken);
  const ca = o.tlsCa === undefined ? undefined : readOrExit(host, "certificate", o.tlsCa, (p) => readFileSync(p, "utf8"));
  return { nodes, token, tls: ca === undefined ? undefined : { ca }, heartbeatMs };
}

/** `--stats` for a cluster run: a line per node, then the run's rounds and barriers. */
export function renderClusterStats(s: ClusterRunStats): string {
  const lines = s.nodes.map((n, k) => {
    const rows = Object.entries(n.rows)
      .filter(([, v]) => v > 0)
      .map(([r, v]) => `${r} ${v}`)
      .join(", ");
    return (
      `node ${k} ${n.address}: derived ${n.derived}, rounds ${n.rounds}, exchanged ${n.framesSent} frames ${n.exchangeBytes} bytes out, ` +
      `${n.framesReceived} frames in; ${n.bytesSent} bytes sent, ${n.bytesReceived} received in all; rows: ${rows || "none"}`
    );
  });
  lines.push(
    `cluster: ${s.nodes.length} node${s.nodes.length === 1 ? "" : "s"}, ${s.rounds} rounds at most, ${s.barriers} global barrier${s.barriers === 1 ? "" : "s"}`,
  );
  return `${lines.join("\n")}\n`;
}

/** Writes the statistics as JSON, whole or not at all. */
export function writeClusterStats(path: string, s: ClusterRunStats): void {
  const tmp = `${path}.cairn-${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
  renameSync(tmp, path);
}

interface NodeCliOptions {
  listen: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  allowFunctors?: boolean;
}

export function addNodeCommand(program: Command, host: ClusterHost): void {
  program
    .command("node")
    .description("serve cluster runs (`cairn run --cluster`) until stopped with SIGTERM or SIGINT")
    .option("--listen <host:port>", "the address to listen on (port 0: any free port)", "127.0.0.1:7420")
    .option("--token-file <file>", "the cluster's shared token (first line); required to listen beyond loopback")
    .option("--tls-cert <file>", "serve wss:// with this certificate (PEM)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--tls-ca <file>", "certificates to trust when dialling other nodes over wss:// (default: --tls-cert)")
    .option(
      "--allow-functors",
      "run the user functors module a coordinator sends (--functors): its code runs in this process; needs --token-file",
    )
    .action((o: NodeCliOptions) => {
      const at = parseAddress(o.listen);
      if (!at) {
        host.stderr(`cairn: --listen takes HOST:PORT, got "${o.listen}"\n`);
        return host.exit(EXIT_USAGE);
      }
      if (o.tokenFile === undefined && !isLoopback(at.host)) {
        host.stderr(`cairn: refusing to listen on ${o.listen} without --token-file: beyond loopback, peers must prove a shared token\n`);
        return host.exit(EXIT_USAGE);
      }
      if (o.allowFunctors && o.tokenFile === undefined) {
        host.stderr("cairn: --allow-functors needs --token-file: only a coordinator that proves the token may run code on this node\n");
        return host.exit(EXIT_USAGE);
      }
      if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) {
        host.stderr("cairn: --tls-cert and --tls-key go together\n");
        return host.exit(EXIT_USAGE);
      }
      const token = o.tokenFile === undefined ? "" : readOrExit(host, "token file", o.tokenFile, readToken);
      const pem = (what: string, p: string | undefined) =>
        p === undefined ? undefined : readOrExit(host, what, p, (f) => readFileSync(f, "utf8"));
      const cert = pem("certificate", o.tlsCert);
      const key = pem("key", o.tlsKey);
      const ca = pem("certificate", o.tlsCa);
      const log = (line: string) => host.stderr(`cairn node: ${line}\n`);
      host.wait(
        startNode({
          host: at.host,
          port: at.port,
          token,
          tls: cert && key ? { cert, key, ca } : undefined,
          log,
          allowFunctors: o.allowFunctors,
        }).then(
          (node) => {
            host.stdout(`listening on ${node.address}\n`);
            return new Promise<void>((done) => {
              const stop = () => {
                process.off("SIGTERM", stop);
                process.off("SIGINT", stop);
                log("stopping");
                void node.close().then(done);
              };
              process.on("SIGTERM", stop);
              process.on("SIGINT", stop);
            });
          },
          (e: Error) => {
            host.stderr(`cairn: cannot listen on ${o.listen}: ${e.message}\n`);
            return host.exit(EXIT_USAGE);
          },
        ),
      );
    });
}
