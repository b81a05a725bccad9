// Helpers for the command-line tests: the CLI run in-process with what it
// writes captured (awaited, or synchronously for the commands that never start
// workers), or in a process of its own from the sources, and a scratch folder
// that is removed after the file's tests.

import { type SpawnSyncOptions, type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { main } from "../cli/main.js";

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function capture(argv: string[]): { code: number | Promise<number>; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const code = main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out: () => out, err: () => err };
}

/** Runs the CLI on `argv` and waits for it to finish. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const r = capture(argv);
  const code = await r.code;
  return { code, out: r.out(), err: r.err() };
}

/** Runs the CLI on `argv`, which must finish synchronously (no worker threads). */
export function cliSync(...argv: string[]): CliResult {
  const r = capture(argv);
  if (typeof r.code !== "number") throw new Error(`cairn ${argv.join(" ")} did not finish synchronously`);
  return { code: r.code, out: r.out(), err: r.err() };
}

/** The command line run from its TypeScript sources (cli/dev-bin.mjs): `node devBin ARGS…`. */
export const devBin = join(import.meta.dirname, "..", "cli", "dev-bin.mjs");

/** Runs the command line in a process of its own (for its standard streams and exit code), and waits for it. */
export function cliProcess(argv: string[], options: SpawnSyncOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [devBin, ...argv], {
    encoding: "utf8",
    ...options,
  }) as SpawnSyncReturns<string>;
}

/** A new temporary folder, removed after the tests of the file that asks for it. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
