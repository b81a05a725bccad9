// `--local-cluster N`: N node processes on loopback for one run, with a fresh
// token in a private temporary file, stopped (and the file removed) when the
// run ends. Each is the `cairn node` command of this very installation,
// started with the same Node.

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface LocalCluster {
  readonly addresses: readonly string[];
  readonly token: string;
  /** Stops every node (SIGTERM) and removes the token file. */
  stop(): Promise<void>;
}

/** How to start the command line from here: the bundle, the compiled file, or the sources through their loader. */
function cliCommand(): string[] {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return [fileURLToPath(new URL("../cli/dev-bin.mjs", here))];
  if (here.endsWith("/cairn.mjs")) return [fileURLToPath(here)];
  return [fileURLToPath(new URL("../cli/bin.js", here))];
}

const START_TIMEOUT_MS = 30_000;

/** Starts one `cairn node` process on a free loopback port (with more options, if given); resolves once it listens. */
export function startNodeProcess(tokenFile: string, options: readonly string[] = []): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [...cliCommand(), "node", "--listen", "127.0.0.1:0", "--token-file", tokenFile, ...options], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`a local node did not start within ${START_TIMEOUT_MS} ms${err ? `: ${err.trim()}` : ""}`));
    }, START_TIMEOUT_MS);
    child.stderr!.on("data", (d: Buffer) => {
      if (err.length < 4096) err += d.toString();
    });
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, address: m[1]! });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`a local node exited (code ${code}) before listening${err ? `: ${err.trim()}` : ""}`));
    });
  });
}

/** Starts `n` nodes; with `allowFunctors`, they run the functors module a run ships. */
export async function startLocalCluster(n: number, opts: { readonly allowFunctors?: boolean } = {}): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-cluster-"));
  const tokenFile = join(dir, "token");
  const token = randomBytes(32).toString("hex");
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const started = await Promise.allSettled(
    Array.from({ length: n }, () => startNodeProcess(tokenFile, opts.allowFunctors ? ["--allow-functors"] : [])),
  );
  const children = started.flatMap((s) => (s.status === "fulfilled" ? [s.value.child] : []));
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            c.once("exit", () => done());
            c.kill("SIGTERM");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { addresses: started.map((s) => (s as PromiseFulfilledResult<{ address: string }>).value.address), token, stop };
}
