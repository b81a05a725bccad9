// The command line under a reader that stops early, as `cairn run … -D - | head -1`
// does: the process ends quietly with 141 (what a shell reports for SIGPIPE, as
// for GNU tools), without an EPIPE stack trace on standard error.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devBin } from "./cli-helpers.js";

describe("standard output closed by the reader", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-pipe-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const program = join(dir, "copy.dl");
  writeFileSync(program, ".decl e(x: number, y: number)\n.input e\n.output e\n");
  mkdirSync(join(dir, "facts"));
  // Far more than a pipe's buffer, so the writer is still writing when the reader goes away.
  const rows = Array.from({ length: 200_000 }, (_, i) => `${i}\t${i + 1}\n`).join("");
  writeFileSync(join(dir, "facts", "e.facts"), rows);

  it("ends the run quietly after the first line is read", async () => {
    const child = spawn(process.execPath, [devBin, "run", program, "-F", join(dir, "facts"), "-D", "-"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let first = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.stdout.setEncoding("utf8").once("data", (s: string) => {
      first = s;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(first.split("\n")[0]).toBe("---------------");
    expect(stderr).toBe("");
    expect(code).toBe(141);
  }, 60_000);
});
