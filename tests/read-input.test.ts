// Reading an input whole with a bound (engine/io/read-input.ts): devices and
// directories are refused before anything is read, a file or a pipe larger
// than the bound is "too large" (a pipe that never ends included), and the
// bounds come from the environment, never above what Node can hold.

import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bytesText, DEFAULT_LIMITS, InputFileError, inputLimits, readInput } from "../engine/io/read-input.js";
import { cliProcess, cliSync, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-read-input-");

function problem(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    if (e instanceof InputFileError) return e.message;
    throw e;
  }
  return "read";
}

describe("reading an input whole", () => {
  it("refuses devices and directories", () => {
    expect(problem(() => readInput("/dev/zero", 1 << 20))).toBe("is a character device, not a regular file");
    expect(problem(() => readInput(dir, 1 << 20))).toBe("is a directory, not a regular file");
  });

  it("reads a file up to the bound, and refuses a larger one by its size", () => {
    const path = join(dir, "f.txt");
    writeFileSync(path, "x".repeat(2000));
    expect(readInput(path, 2000).toString()).toBe("x".repeat(2000));
    expect(problem(() => readInput(path, 1999))).toBe("is too large: 2,000 bytes, and Cairn reads at most 1,999 bytes from one input");
    writeFileSync(path, "");
    expect(readInput(path, 10).length).toBe(0);
  });

  it("reads a pipe to its end, and stops one that goes on past the bound", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const short = spawn("sh", ["-c", `printf 'a\\nb\\n' > ${fifo}`]);
    expect(readInput(fifo, 100).toString()).toBe("a\nb\n");
    await new Promise((done) => short.on("close", done));
    const endless = spawn("sh", ["-c", `yes > ${fifo}`]);
    expect(problem(() => readInput(fifo, 3_000_000))).toBe("is too large: Cairn reads at most 3,000,000 bytes (2.9 MiB) from one input");
    endless.kill();
    await new Promise((done) => endless.on("close", done));
  });

  it("takes lower bounds from the environment, and no higher ones", () => {
    expect(inputLimits({})).toEqual(DEFAULT_LIMITS);
    expect(inputLimits({ CAIRN_MAX_INPUT_BYTES: "1000", CAIRN_MAX_FIELD_BYTES: "10" })).toEqual({ fileBytes: 1000, fieldBytes: 10 });
    expect(inputLimits({ CAIRN_MAX_INPUT_BYTES: String(2 ** 40) })).toEqual(DEFAULT_LIMITS);
    expect(inputLimits({ CAIRN_MAX_FIELD_BYTES: "0" })).toBe('CAIRN_MAX_FIELD_BYTES takes a positive whole number of bytes, got "0"');
    expect(inputLimits({ CAIRN_MAX_INPUT_BYTES: "1e3" })).toBe('CAIRN_MAX_INPUT_BYTES takes a positive whole number of bytes, got "1e3"');
  });

  it("names sizes exactly, and above 1 MiB in MiB or GiB too", () => {
    expect([1, 1023, 2 ** 20 - 1, 1.5 * 2 ** 20, 5 * 2 ** 30].map(bytesText)).toEqual([
      "1 byte",
      "1,023 bytes",
      "1,048,575 bytes",
      "1,572,864 bytes (1.5 MiB)",
      "5,368,709,120 bytes (5.0 GiB)",
    ]);
  });
});

describe("the command line", () => {
  it("reads a program from a pipe, once", async () => {
    const fifo = join(dir, "program-pipe");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `printf '.decl e(x: number)\\ne(1).\\n.output e\\n' > ${fifo}`]);
    // In a process of its own: a second read of the pipe would wait forever.
    const r = cliProcess(["run", fifo, "-D", "-"], { timeout: 30_000 });
    expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({
      status: 0,
      out: "---------------\ne\nx\n===============\n1\n===============\n",
      err: "",
    });
    await new Promise((done) => writer.on("close", done));
  });

  it("refuses a program that is a device, and a bad bound, as bad command lines", () => {
    expect(cliSync("check", "/dev/zero")).toEqual({
      code: 2,
      out: "",
      err: "cairn: cannot read /dev/zero: it is a character device, not a regular file\n",
    });
    process.env["CAIRN_MAX_INPUT_BYTES"] = "lots";
    try {
      const r = cliSync("check", "/dev/zero");
      expect(r.code).toBe(2);
      expect(r.err).toBe('cairn: CAIRN_MAX_INPUT_BYTES takes a positive whole number of bytes, got "lots"\n');
    } finally {
      delete process.env["CAIRN_MAX_INPUT_BYTES"];
    }
  });
});
