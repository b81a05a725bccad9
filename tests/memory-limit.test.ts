// The memory budget (engine/storage/memory-budget.ts): a relation that never
// stops growing, or symbols that do, end the run with a MemoryLimitError
// naming the relation and its size before the budget is exceeded; a program
// under the budget is untouched; the system refusing an array is the same
// error; the CLI takes the budget in MiB.

import { describe, expect, it } from "vitest";
import { compile, MemoryLimitError } from "../index.js";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { MemoryBudget } from "../engine/storage/memory-budget.js";
import { cliSync, scratchDir } from "./cli-helpers.js";

const MIB = 2 ** 20;
// Bounded, so that a run the budget fails to stop ends (and the test fails) rather than running on.
const COUNTER = ".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 5000000.\n";
const LONGER = '.decl s(x: symbol)\ns("").\ns(cat(x, "a")) :- s(x), strlen(x) < 100000.\n';

/** What running `db` throws. */
function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("the memory budget", () => {
  it("stops a relation that grows without end, naming it and its size, within the budget", () => {
    const db = compile(COUNTER, { memoryLimit: MIB }).database();
    const error = failure(() => db.runSync());
    expect(error).toBeInstanceOf(MemoryLimitError);
    const { relation, rows, message } = error as MemoryLimitError;
    expect(relation).toBe("n");
    expect(rows).toBe(db.size("n"));
    expect(rows).toBeGreaterThan(10_000);
    expect(message).toBe(
      `relation "n" stopped growing at ${rows} rows: its rows and indexes, with everything else, would take more than the memory budget of 1 MiB`,
    );
    expect(db.runner.memory.used).toBeLessThanOrEqual(MIB);
  });

  it("stops symbols that grow without end at the relation whose rule made them", () => {
    const db = compile(LONGER, { memoryLimit: MIB }).database();
    const error = failure(() => db.runSync());
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error).toMatchObject({ relation: "s", rows: db.size("s") });
    expect((error as Error).message).toMatch(
      /^relation "s" stopped growing at \d+ rows: symbols, with everything else, would take more than the memory budget of 1 MiB/,
    );
    expect(db.runner.memory.used).toBeLessThanOrEqual(MIB);
  });

  it("leaves a program that stays under the budget alone", () => {
    const out = compile(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 999.\n", { memoryLimit: MIB }).run();
    expect(out.n).toHaveLength(1000);
  });

  it("names the relation an insert of new symbols was for, adding none of its tuples", () => {
    const db = compile(".decl s(x: symbol)", { memoryLimit: MIB }).database();
    const long = "x".repeat(100_000);
    const error = failure(() =>
      db.insert(
        "s",
        Array.from({ length: 10 }, (_, i) => [`${i}${long}`]),
      ),
    );
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error).toMatchObject({ relation: "s", rows: 0 });
    expect(db.size("s")).toBe(0);
  });

  it("turns the system refusing an array into the same error", () => {
    // A budget larger than any machine, so that it is the allocation that fails.
    const db = compile(COUNTER, { memoryLimit: 2 ** 52 }).database();
    const error = failure(() => db.runner.relation("n").reserve(2 ** 40));
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect((error as Error).message).toMatch(/^relation "n" stopped growing at 1 row: the system refused \d+ MiB more \(.+\)/);
  });

  it("stops facts read past the budget at their relation, rows or symbols", () => {
    const dir = scratchDir("cairn-memory-");
    writeFileSync(join(dir, "e.dl"), ".decl e(x: number, y: symbol)\n.input e\n.output e\n");
    mkdirSync(join(dir, "rows"));
    writeFileSync(join(dir, "rows", "e.facts"), Array.from({ length: 100_000 }, (_, i) => `${i}\ts`).join("\n"));
    mkdirSync(join(dir, "symbols"));
    writeFileSync(join(dir, "symbols", "e.facts"), Array.from({ length: 100 }, (_, i) => `${i}\t${i}${"s".repeat(10_000)}`).join("\n"));
    const declared = `${join(dir, "e.dl")}:1:1: error[runtime]: relation "e" stopped growing at`;
    const rows = cliSync("run", join(dir, "e.dl"), "-F", join(dir, "rows"), "-D", join(dir, "out"), "--memory-limit", "1");
    expect(rows.code).toBe(3);
    expect(rows.err).toMatch(
      `${declared} 0 rows: its rows and indexes, with everything else, would take more than the memory budget of 1 MiB\n`,
    );
    const symbols = cliSync("run", join(dir, "e.dl"), "-F", join(dir, "symbols"), "-D", join(dir, "out"), "--memory-limit", "1");
    expect(symbols.code).toBe(3);
    expect(symbols.err).toMatch(`${declared} 0 rows: symbols, with everything else, would take more than the memory budget of 1 MiB\n`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("keeps symbols within half the JavaScript heap whatever the budget, and gives each worker a share of what is left", () => {
    const budget = new MemoryBudget(2 ** 52);
    expect(budget.textLimit).toBe(Math.floor(getHeapStatistics().heap_size_limit / 2));
    expect(() => budget.takeText(budget.textLimit + 1)).toThrow(
      `the memory budget is used up: symbols would take more than ${Math.round(budget.textLimit / MIB)} MiB, half of the JavaScript heap (node --max-old-space-size sets it)`,
    );
    expect(budget.used).toBe(0);
    const run = new MemoryBudget(100 * MIB);
    run.take(40 * MIB, "r", 1);
    expect(run.share(3)).toEqual({ limit: 100 * MIB, used: 80 * MIB });
    expect(() => new MemoryBudget(100 * MIB, 80 * MIB).take(20 * MIB + 1, "r", 7)).toThrow(
      'relation "r" stopped growing at 7 rows: its rows and indexes, with everything else, would take more than the memory budget of 100 MiB',
    );
  });

  it("rejects a budget that is not a positive whole number", () => {
    expect(() => compile(COUNTER, { memoryLimit: 0 }).database()).toThrow("memoryLimit must be a positive integer (bytes), got 0");
    expect(() => compile(COUNTER, { memoryLimit: 1.5 }).database()).toThrow("memoryLimit must be a positive integer (bytes), got 1.5");
    const r = cliSync("run", "tests/errors/memory_limit.dl", "--memory-limit", "lots");
    expect(r.code).toBe(2);
    expect(r.err).toBe('cairn: --memory-limit takes a positive whole number of MiB, got "lots"\n');
  });
});
