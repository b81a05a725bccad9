// Writing outputs when something is in the way: a target that is a folder,
// two outputs that are one file only once the output folder is known, and a
// standard output that cannot be written (a full disk). The run fails with
// exit code 4 and one line, and the output folder is left as it was, with no
// temporary files.

import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliProcess, cliSync, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-outputs-");

function program(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const TWO = (o: number) => `.decl o(x: number)\n.decl s(x: number)\no(${o}). s(2).\n.output o\n.output s\n`;

describe("an output in the way", () => {
  it("a folder where an output goes: nothing is replaced, and no temporary file is left", () => {
    const out = join(dir, "folder");
    expect(cliSync("run", program("first.dl", TWO(1)), "-D", out).code).toBe(0);
    // What an earlier run wrote as s.csv is now a folder.
    writeFileSync(join(out, "s.csv.keep"), "");
    const s = join(out, "s.csv");
    spawnSync("sh", ["-c", `rm ${s} && mkdir ${s}`]);
    const r = cliSync("run", program("second.dl", TWO(7)), "-D", out);
    expect(r).toEqual({
      code: 4,
      out: "",
      err: `error[output]: cannot write ${s} for relation "s": it is a directory; nothing was written\n`,
    });
    expect(readFileSync(join(out, "o.csv"), "utf8")).toBe("1\n");
    expect(readdirSync(out).sort()).toEqual(["o.csv", "s.csv", "s.csv.keep"]);
  });

  it("two outputs that are one file through the output folder: neither is written", () => {
    const out = join(dir, "alias");
    mkdirSync(out);
    const p = program(
      "alias.dl",
      `.decl a(x: number)\n.decl b(x: number)\na(1). b(2).\n.output a(filename="x.csv")\n.output b(filename="${join(out, "x.csv")}")\n`,
    );
    const r = cliSync("run", p, "-D", out);
    expect(r.code).toBe(4);
    expect(r.err).toBe(
      `error[output]: ${p}:5:1: relation "b" is written to ${join(out, "x.csv")}, as relation "a" is (${p}:4:1); nothing was written\n`,
    );
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("a standard output that cannot be written", () => {
  /** The command line in a process of its own, its standard output /dev/full. */
  function toFullDisk(...args: string[]): { status: number | null; stderr: string } {
    const full = openSync("/dev/full", "w");
    try {
      const r = cliProcess(args, { stdio: ["ignore", full, "pipe"] });
      return { status: r.status, stderr: r.stderr };
    } finally {
      closeSync(full);
    }
  }

  it("is exit code 4 and one line, for -D - and for IO=stdout", () => {
    const each = program("each.dl", ".decl e(x: number)\ne(1).\n.output e\n");
    expect(toFullDisk("run", each, "-D", "-")).toEqual({
      status: 4,
      stderr: "error[output]: cannot write standard output: ENOSPC: no space left on device, write\n",
    });
    const stdout = program("stdout.dl", ".decl e(x: number)\ne(1).\n.output e(IO=stdout)\n");
    expect(toFullDisk("run", stdout, "-D", join(dir, "unused"))).toEqual({
      status: 4,
      stderr: "error[output]: cannot write standard output: ENOSPC: no space left on device, write\n",
    });
    expect(toFullDisk("analyze", stdout)).toEqual({
      status: 4,
      stderr: "cairn: cannot write standard output: ENOSPC: no space left on device, write\n",
    });
  }, 60_000);
});
