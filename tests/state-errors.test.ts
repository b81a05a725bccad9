// `cairn run --state` when the state cannot be continued from: another
// program, a damaged or foreign file (each with its exact message); facts
// removed or changed since the state was saved, which are retracted and the
// run continues; and runs that fail, which must leave the old
// state file exactly as it was; a state file that is an output is refused, and
// the temporary files killed runs left are removed.

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cli, outputs, tempDir, writeFacts } from "./state-helpers.js";

const TC = "bench/programs/tc.dl";
let dir = "";
let state = "";
beforeEach(() => {
  dir = tempDir();
  state = join(dir, "run.state");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const EDGES = ["1\t2", "2\t3", "3\t4", "4\t5"];

/** Runs `program` over `edges` with the state file; returns the result and the sorted path.csv. */
async function step(edges: readonly string[], program = TC, ...extra: string[]) {
  const f = writeFacts(join(dir, "f"), { edge: edges });
  const out = join(dir, "out");
  rmSync(out, { recursive: true, force: true });
  const r = await cli("run", program, "-F", f, "-D", out, "--state", state, ...extra);
  return { ...r, path: existsSync(out) ? outputs(out)["path.csv"] : undefined };
}

/** What a run from scratch over `edges` writes. */
async function scratch(edges: readonly string[], program = TC): Promise<string[] | undefined> {
  const f = writeFacts(join(dir, "scratch-facts"), { edge: edges });
  const r = await cli("run", program, "-F", f, "-D", join(dir, "scratch"));
  expect(r.code).toBe(0);
  return outputs(join(dir, "scratch"))["path.csv"];
}

const note = (why: string) => `cairn: note: state file ${state} ${why}; running from scratch and replacing it\n`;

describe("cairn run --state falls back to a run from scratch", () => {
  it("when the program changed, and continues from the replaced state afterwards", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const other = join(dir, "other.dl");
    writeFileSync(
      other,
      readFileSync(TC, "utf8").replace("path(x, z) :- path(x, y), edge(y, z).", "path(x, z) :- edge(x, y), path(y, z)."),
    );
    const r = await step(EDGES, other);
    expect(r).toMatchObject({ code: 0, err: note("was saved for a different program") });
    expect(r.path).toEqual(await scratch(EDGES));
    expect(await step([...EDGES, "5\t6"], other)).toMatchObject({ code: 0, err: "", path: await scratch([...EDGES, "5\t6"]) });
  });

  it("but not when only comments and layout changed", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const other = join(dir, "commented.dl");
    writeFileSync(other, `// the same program\n\n${readFileSync(TC, "utf8").replace(/\n/g, "\n\n")}`);
    const r = await step(EDGES, other, "--stats");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^compile \d+ ms, load \d+ ms \(state read in \d+ ms\), /);
    expect(r.path).toEqual(await scratch(EDGES));
  });

  it("when a macro changes the program", async () => {
    const program = join(dir, "macro.dl");
    writeFileSync(program, `${readFileSync(TC, "utf8")}\n.decl far(x: number)\n.output far\nfar(x) :- path(x, y), y > LIMIT.\n`);
    expect((await step(EDGES, program, "-M", "LIMIT=3")).code).toBe(0);
    expect(await step(EDGES, program, "-M", "LIMIT=4")).toMatchObject({ code: 0, err: note("was saved for a different program") });
    expect(outputs(join(dir, "out"))["far.csv"]).toEqual(["1", "2", "3", "4"]);
  });

  it("when the state file is corrupt", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const bytes = readFileSync(state);
    bytes[bytes.length - 5]! ^= 0x40;
    writeFileSync(state, bytes);
    expect(await step(EDGES)).toMatchObject({ code: 0, err: note("is corrupt (checksum mismatch)"), path: await scratch(EDGES) });
    expect(await step([...EDGES, "5\t1"])).toMatchObject({ code: 0, err: "", path: await scratch([...EDGES, "5\t1"]) });
  });

  it("when a byte of the length its header gives is flipped: corrupt, not truncated", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const whole = readFileSync(state);
    // The length is a double at byte 16: a flip in its low bytes makes a fraction, in a higher one a larger whole number.
    for (const [at, bit] of [
      [16, 0x40],
      [21, 0x10],
    ] as const) {
      const bytes = Buffer.from(whole);
      bytes[at]! ^= bit;
      const length = bytes.readDoubleLE(16);
      const why = Number.isInteger(length)
        ? `is corrupt (its header gives a length of ${length} bytes for ${whole.length})`
        : "is corrupt (bad length in its header)";
      expect(Number.isInteger(length)).toBe(at === 21);
      expect(length).toBeGreaterThan(whole.length);
      writeFileSync(state, bytes);
      expect(await step(EDGES)).toMatchObject({ code: 0, err: note(why), path: await scratch(EDGES) });
      writeFileSync(state, whole);
    }
  });

  it("when another version of Cairn wrote the state file", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const bytes = readFileSync(state);
    const text = bytes.toString("latin1");
    const engine = /"engine":"([0-9a-f]{64})"/.exec(text)!;
    bytes.write("0".repeat(64), engine.index + '"engine":"'.length, "latin1");
    writeFileSync(state, bytes);
    expect(await step(EDGES)).toMatchObject({ code: 0, err: note("was written by another version of Cairn"), path: await scratch(EDGES) });
    const saved = readFileSync(state);
    saved.writeUInt32LE(99, 8);
    writeFileSync(state, saved);
    expect(await step([...EDGES, "5\t6"])).toMatchObject({
      code: 0,
      err: note("was written by another version of Cairn (state format 99, this one reads 2)"),
      path: await scratch([...EDGES, "5\t6"]),
    });
  });

  it("when the state file is truncated or empty", async () => {
    expect((await step(EDGES.slice(0, 2))).code).toBe(0);
    const size = readFileSync(state).length;
    truncateSync(state, size - 100);
    expect(await step(EDGES)).toMatchObject({
      code: 0,
      err: note(`is truncated (${size - 100} of ${size} bytes)`),
      path: await scratch(EDGES),
    });
    writeFileSync(state, "");
    expect(await step(EDGES)).toMatchObject({
      code: 0,
      err: note("is truncated (0 bytes, shorter than its header)"),
      path: await scratch(EDGES),
    });
  });
});

/** What `--stats` prints when the run continued from the state file. */
const CONTINUED = /^compile \d+ ms, load \d+ ms \(state read in \d+ ms\), /;

describe("cairn run --state continues when facts were removed or changed", () => {
  it("when facts the state holds were removed", async () => {
    expect((await step(EDGES)).code).toBe(0);
    const fewer = ["2\t3", "4\t5", "5\t6"];
    const r = await step(fewer, TC, "--stats");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(CONTINUED);
    expect(r.path).toEqual(await scratch(fewer));
    expect(await step([...fewer, "6\t7"])).toMatchObject({ code: 0, err: "", path: await scratch([...fewer, "6\t7"]) });
  });

  it("when a fact was changed in place (a file of the same length)", async () => {
    expect((await step(EDGES)).code).toBe(0);
    const changed = ["1\t2", "2\t3", "3\t5", "4\t5"];
    const r = await step(changed, TC, "--stats");
    expect(r.err).toMatch(CONTINUED);
    expect(r.path).toEqual(await scratch(changed));
  });

  it("when a fact was removed from an input relation that rules and program facts also fill", async () => {
    const program = join(dir, "filled.dl");
    writeFileSync(
      program,
      ".decl edge(x: number, y: number)\n.input edge\nedge(7, 8).\nedge(y, x) :- edge(x, y), x < 3.\n.decl path(x: number, y: number)\n.output path\npath(x, y) :- edge(x, y).\n",
    );
    expect((await step(["1\t2", "7\t8", "4\t5"], program)).code).toBe(0);
    expect(await step(["1\t2", "7\t8", "4\t5", "5\t6"], program)).toMatchObject({ code: 0, err: "" });
    // 7 8 is also the program's own fact: it stays.
    const r = await step(["1\t2", "4\t5", "5\t6"], program, "--stats");
    expect(r.err).toMatch(CONTINUED);
    expect(r.path).toEqual(["1\t2", "2\t1", "4\t5", "5\t6", "7\t8"]);
    const again = await step(["2\t1", "4\t5", "5\t6"], program, "--stats");
    expect(again.err).toMatch(CONTINUED);
    expect(again.path).toEqual(["1\t2", "2\t1", "4\t5", "5\t6", "7\t8"]);
    expect((await step(["4\t5"], program)).path).toEqual(["4\t5", "7\t8"]);
  });

  it("when a lattice input's value went down, or a relation's fact and another's went away", async () => {
    const program = join(dir, "cap.dl");
    writeFileSync(
      program,
      ".decl cap(x: number, c: max<number>)\n.input cap\n.decl other(x: number)\n.input other\n.decl best(c: max<number>)\n.output best\nbest(c) :- cap(_, c), other(_).\n",
    );
    const run = (cap: string[], other: string[]) =>
      cli("run", program, "-F", writeFacts(join(dir, "lf"), { cap, other }), "-D", join(dir, "lo"), "--state", state, "--stats");
    expect((await run(["1\t5", "2\t7", "2\t3"], ["1", "2"])).code).toBe(0);
    expect((await run(["1\t5", "2\t7", "2\t9"], ["1", "2"])).err).toMatch(CONTINUED);
    expect(outputs(join(dir, "lo"))["best.csv"]).toEqual(["9"]);
    expect((await run(["1\t5", "2\t8", "3\t1"], ["2"])).err).toMatch(CONTINUED);
    expect(outputs(join(dir, "lo"))["best.csv"]).toEqual(["8"]);
    expect((await run(["1\t5"], [])).err).toMatch(CONTINUED);
    expect(outputs(join(dir, "lo"))["best.csv"]).toEqual([]);
    expect((await run(["1\t4"], ["3"])).err).toMatch(CONTINUED);
    expect(outputs(join(dir, "lo"))["best.csv"]).toEqual(["4"]);
  });
});

describe("cairn run --state refuses files it must not replace", () => {
  it("a file that is not a state file", async () => {
    writeFileSync(state, "1\t2\n");
    const r = await step(EDGES);
    expect(r).toMatchObject({
      code: 2,
      out: "",
      err: `cairn: state file ${state} is not a Cairn state file; leaving it alone (remove it or choose another --state file)\n`,
      path: undefined,
    });
    expect(readFileSync(state, "utf8")).toBe("1\t2\n");
  });

  it("a folder", async () => {
    mkdirSync(state);
    expect(await step(EDGES)).toMatchObject({ code: 2, err: `cairn: state file ${state} cannot be read (not a regular file)\n` });
  });

  it("one of the run's outputs", async () => {
    const f = writeFacts(join(dir, "f"), { edge: EDGES });
    const out = join(dir, "out");
    const r = await cli("run", TC, "-F", f, "-D", out, "--state", join(out, "path.csv"));
    expect(r).toEqual({
      code: 2,
      out: "",
      err: `cairn: --state ${join(out, "path.csv")} is the file relation "path" is written to (${TC}:4:1); choose another state file\n`,
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe("temporary files of runs that were killed", () => {
  it("are removed by the next run that writes the same file, and those of live processes are not", async () => {
    const ended = spawnSync(process.execPath, ["-e", ""]).pid!;
    const out = join(dir, "out");
    mkdirSync(out);
    const stale = [`${state}.cairn-${ended}.tmp`, join(out, `path.csv.cairn-${ended}.tmp`)];
    // Process 1 is always running; another file's temporary is not this run's business.
    const kept = [`${state}.cairn-1.tmp`, join(out, `other.csv.cairn-${ended}.tmp`)];
    for (const f of [...stale, ...kept]) writeFileSync(f, "partial");
    const f = writeFacts(join(dir, "f"), { edge: EDGES });
    expect((await cli("run", TC, "-F", f, "-D", out, "--state", state)).code).toBe(0);
    expect(stale.filter((f) => existsSync(f))).toEqual([]);
    expect(kept.filter((f) => existsSync(f))).toEqual(kept);
  });
});

describe("a failed run leaves the old state file as it was", () => {
  it("bad facts, a run-time error, outputs that cannot be written, a state that cannot be written", async () => {
    const program = join(dir, "div.dl");
    writeFileSync(program, `${readFileSync(TC, "utf8")}\n.decl q(x: number)\n.output q\nq(100 / (y - 99)) :- path(_, y).\n`);
    expect((await step(EDGES, program)).code).toBe(0);
    const saved = readFileSync(state);
    const facts = join(dir, "f");

    const bad = await step([...EDGES, "5\tsix"], program);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(
      `${join(facts, "edge.facts")}:5:3: error[bad-fact]: "six" is not a number (column 2 of "edge" has type number)`,
    );
    expect(readFileSync(state).equals(saved)).toBe(true);

    const runtime = await step([...EDGES, "5\t99"], program);
    expect(runtime.code).toBe(3);
    expect(runtime.err).toContain("error[runtime]: division by zero");
    expect(readFileSync(state).equals(saved)).toBe(true);

    writeFacts(facts, { edge: [...EDGES, "5\t6"] });
    writeFileSync(join(dir, "not-a-folder"), "");
    const output = await cli("run", program, "-F", facts, "-D", join(dir, "not-a-folder"), "--state", state);
    expect(output.code).toBe(4);
    expect(readFileSync(state).equals(saved)).toBe(true);

    mkdirSync(`${state}.cairn-${process.pid}.tmp`);
    const unwritable = await step([...EDGES, "5\t6"], program);
    expect(unwritable.code).toBe(4);
    expect(unwritable.err).toBe(
      `error[output]: cannot write state file ${state}: EISDIR: illegal operation on a directory, open '${state}.cairn-${process.pid}.tmp'\n`,
    );
    expect(readFileSync(state).equals(saved)).toBe(true);
    rmSync(`${state}.cairn-${process.pid}.tmp`, { recursive: true });

    const good = await step([...EDGES, "5\t6"], program);
    expect(good).toMatchObject({ code: 0, err: "", path: await scratch([...EDGES, "5\t6"], program) });
  });

  it("an error in lines added to a facts file is located in the whole file", async () => {
    expect((await step(EDGES)).code).toBe(0);
    const f = join(dir, "f", "edge.facts");
    appendFileSync(f, "5\t6\n6\tx\n");
    const r = await cli("run", TC, "-F", join(dir, "f"), "-D", join(dir, "out"), "--state", state);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}:6:3: error[bad-fact]: "x" is not a number (column 2 of "edge" has type number)\n  |\n6 | 6\tx\n  |  \t^`);
  });
});
