// Failures under parallel evaluation: an evaluation error raised in a worker
// is the same located error as on one thread; a worker that throws or dies
// fails the run with a WorkerError, and the next run gets fresh threads; a
// failing run of the CLI exits (no hang), and so does a successful one; -j
// takes 1 to 1024 threads, at most one a core.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { compile, GrowthLimitError, MemoryLimitError, WorkerError } from "../index.js";
import { Database } from "../engine/database.js";
import { closeWorkers } from "../engine/parallel/errors.js";
import { ParallelExecutor } from "../engine/parallel/executor.js";
import { runOne, runWorkers } from "./parallel-util.js";

const root = join(import.meta.dirname, "..");
const chain = (n: number) => Array.from({ length: n }, (_, i) => [i, i + 1]);

afterEach(() => {
  ParallelExecutor.fault = undefined;
});
afterAll(() => closeWorkers());

describe("errors in worker threads", () => {
  it("an evaluation error is located at its rule, as on one thread", async () => {
    // Co-partitioned (path) and in parallel rounds (sg): both divide by zero once y = 30.
    for (const rule of [
      "path(x, z) :- path(x, y), e(y, z), 100 / (y - 30) > -1000.",
      "path(x, z) :- path(x, y), path(y, z), 100 / (y - 30) > -1000.",
    ]) {
      const program = compile(`.decl e(x: number, y: number)\n.decl path(x: number, y: number)\npath(x, y) :- e(x, y).\n${rule}`).checked;
      const one = runOne(program, { e: chain(60) });
      expect(one.ok).toBe(false);
      expect(one).toMatchObject({ error: expect.stringMatching(/^EvaluationError: division by zero @ \{"line":4/) });
      for (const workers of [2, 3]) expect(await runWorkers(program, { e: chain(60) }, workers)).toEqual(one);
    }
  });

  it("an evaluation error on a thread node of an exchanging stratum is located at its rule, as on one thread", async () => {
    // Right-linear: each tuple derived on y's owner goes to x's owner, over the threads' ports.
    const program = compile(
      `.decl e(x: number, y: number)\n.decl path(x: number, y: number)\npath(x, y) :- e(x, y).\npath(x, z) :- e(x, y), path(y, z), 100 / (y - 30) > -1000.`,
    ).checked;
    const one = runOne(program, { e: chain(60) });
    expect(one).toMatchObject({ ok: false, error: expect.stringMatching(/^EvaluationError: division by zero @ \{"line":4/) });
    const before = ParallelExecutor.counts.exchange;
    for (const workers of [2, 3]) expect(await runWorkers(program, { e: chain(60) }, workers, 0, ["exchange"])).toEqual(one);
    expect(ParallelExecutor.counts.exchange - before).toBe(2);
    // Without the division, the same stratum gives the one-thread answer.
    const fine = compile(
      `.decl e(x: number, y: number)\n.decl path(x: number, y: number)\npath(x, y) :- e(x, y).\npath(x, z) :- e(x, y), path(y, z).`,
    ).checked;
    const answer = runOne(fine, { e: chain(60) });
    expect(answer.ok).toBe(true);
    for (const workers of [2, 3]) expect(await runWorkers(fine, { e: chain(60) }, workers, 0, ["exchange"])).toEqual(answer);
  });

  it("a lattice that never stops growing hits the growth limit in a worker too", async () => {
    const program = compile(`.decl c(x: number, v: max<number>)\nc(x, 0) :- x = 1.\nc(x, v + 1) :- c(x, v).`).checked;
    const db = new Database(program, { workers: 2, parallelThreshold: 0 });
    db.runner.relation("c").maxRows = 300;
    await expect(db.run()).rejects.toThrow(GrowthLimitError);
  });

  it("a relation that outgrows the memory budget stops in a worker too, named, not as a worker's failure", async () => {
    const program = compile(
      `.decl e(x: number, y: number)\n.decl path(x: number, y: number)\npath(x, y) :- e(x, y).\npath(x, z) :- path(x, y), e(y, z).`,
    ).checked;
    const db = new Database(program, { workers: 2, parallelThreshold: 0, parallelAfterMs: 0, memoryLimit: 2 ** 20 });
    db.insert("e", chain(400));
    const error = await db.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error).toMatchObject({ relation: "path" });
    expect((error as Error).message).toMatch(
      /^relation "path" stopped growing at \d+ rows: its rows and indexes, with everything else, would take more than the memory budget of 1 MiB/,
    );
  });

  it("a negative cycle under min stops at the growth limit when workers exchange their parts", async () => {
    const program = compile(`.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(1, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w).`).checked;
    const saved = ParallelExecutor.modes;
    ParallelExecutor.modes = new Set(["exchange"]);
    try {
      const db = new Database(program, { workers: 2, parallelThreshold: 0, growthLimit: 500 });
      db.insert("edge", [
        [1, 2, 1],
        [2, 3, -2],
        [3, 1, 0],
      ]);
      await expect(db.run()).rejects.toThrow(GrowthLimitError);
    } finally {
      ParallelExecutor.modes = saved;
    }
  });

  it("a worker that throws or exits fails the run with a WorkerError; the next run works", async () => {
    const program = compile(
      `.decl e(x: number, y: number)\n.decl path(x: number, y: number)\npath(x, y) :- e(x, y).\npath(x, z) :- path(x, y), e(y, z).`,
    );
    const expected = program.run({ e: chain(40) }).path!.length;
    for (const fault of ["throw", "exit"] as const) {
      ParallelExecutor.fault = fault;
      const db = new Database(program.checked, { workers: 2, parallelThreshold: 0 });
      db.insert("e", chain(40));
      const failure = db.run();
      await expect(failure).rejects.toThrow(WorkerError);
      await expect(failure).rejects.toThrow(
        fault === "exit" ? /a worker thread failed: .*exit/ : /a worker thread failed: .*fault injected/,
      );
      ParallelExecutor.fault = undefined;
      const again = new Database(program.checked, { workers: 2, parallelThreshold: 0 });
      again.insert("e", chain(40));
      await again.run();
      expect(again.size("path")).toBe(expected);
    }
  });
});

describe("the process exits", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-parallel-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hooks = new URL("../engine/parallel/dev-hooks.mjs", import.meta.url).href;
  const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hooks)});`;
  const program = join(dir, "tc.dl");
  writeFileSync(
    program,
    ".decl e(x: number, y: number)\n.input e\n.decl path(x: number, y: number)\n.output path\npath(x, y) :- e(x, y).\npath(x, z) :- path(x, y), e(y, z).\n",
  );
  mkdirSync(join(dir, "facts"), { recursive: true });
  writeFileSync(
    join(dir, "facts", "e.facts"),
    chain(50)
      .map((r) => r.join("\t"))
      .join("\n") + "\n",
  );
  const cli = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(
      process.execPath,
      ["--import", register, join(root, "cli", "bin.ts"), "run", program, "-F", join(dir, "facts"), "-D", join(dir, "out"), ...args],
      {
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, CAIRN_PARALLEL_THRESHOLD: "0", ...env },
      },
    );

  it("after a run with -j 2", () => {
    const r = cli({}, "-j", "2");
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("after a worker died, with exit code 3 and the reason", () => {
    const r = cli({ CAIRN_PARALLEL_FAULT: "exit" }, "-j", "2");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/error\[runtime\]: a worker thread failed/);
  });

  it("after the API ran with workers, without closeWorkers()", () => {
    const script = `import { compile } from ${JSON.stringify(join(root, "index.ts"))};
      const db = compile(".decl e(x: number, y: number)\\n.decl p(x: number, y: number)\\np(x, y) :- e(x, y).\\np(x, z) :- p(x, y), e(y, z).", { workers: 2 }).database();
      db.insert("e", Array.from({ length: 30 }, (_, i) => [i, i + 1]));
      await db.run();
      console.log(db.size("p"));`;
    const r = spawnSync(process.execPath, ["--import", register, "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, CAIRN_PARALLEL_THRESHOLD: "0" },
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe("465");
    expect(r.status).toBe(0);
  });

  it("-j auto is the available cores; -j takes positive integers only", async () => {
    const { parseJobs } = await import("../engine/parallel/policy.js");
    const { availableParallelism } = await import("node:os");
    expect(parseJobs("auto")).toBe(availableParallelism());
    expect(parseJobs("3")).toBe(3);
    for (const bad of ["0", "-1", "1.5", "two", "", "1025"]) expect(parseJobs(bad)).toBeUndefined();
    expect(parseJobs("1024")).toBe(1024);
    expect(() => compile(".decl a(x: number)", { workers: 100_000 }).database()).toThrow(
      'workers must be an integer from 1 to 1024 or "auto", got 100000',
    );
  });

  it("rejects a bad -j, saying what it takes", () => {
    for (const bad of ["zero", "100000"]) {
      const r = cli({}, "-j", bad);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`cairn: -j takes a number of threads from 1 to 1024, or "auto", got "${bad}"\n`);
    }
  });

  it("runs -j above the available cores with one thread a core, and says so", () => {
    const cores = availableParallelism();
    const r = cli({}, "-j", "1024");
    expect(r.stderr).toBe(`cairn: note: -j 1024 is more than the ${cores} cores available: running ${cores} threads\n`);
    expect(r.status).toBe(0);
    expect(
      readFileSync(join(dir, "out", "path.csv"), "utf8")
        .split("\n")
        .filter(Boolean),
    ).toHaveLength(1275);
  });
});
