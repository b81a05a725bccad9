// Fuzzing the command line as a careless user or an attacker would: the
// bundled programs and their facts, and the bad-input corpus, damaged at
// random (spans deleted, duplicated or replaced by tokens that nest, quote,
// declare, include or recurse). Whatever the damage, a run ends with one of
// the documented exit codes (never 70), prints no stack trace, and leaves no
// temporary file behind. Work is bounded by small budgets, so a damaged
// program that would derive forever stops at its memory or growth budget.
// CAIRN_FUZZ_RUNS sets the number of cases (a longer run: 2000).

import fc from "fast-check";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.js";

const RUNS = Number(process.env.CAIRN_FUZZ_RUNS ?? 60);
const SEED = Number(process.env.CAIRN_PROPERTY_SEED ?? 20240601);

interface Seed {
  readonly program: string;
  readonly facts?: string;
}

/** Programs that run, with their facts, and the golden error programs; drawn half from each, however many golden files there are. */
const runnable: Seed[] = ["reachability", "shopping-cart", "shortest-paths", "sign-analysis", "widest-path"].map((p) => ({
  program: `programs/${p}/${p}.dl`,
  facts: `programs/${p}/facts`,
}));
const rejected: Seed[] = readdirSync("tests/errors")
  .filter((f) => f.endsWith(".dl"))
  .sort()
  .map((f) => ({ program: `tests/errors/${f}` }));
const seeds = fc.oneof(fc.constantFrom(...runnable), fc.constantFrom(...rejected));

const TOKENS = [
  "(",
  ")",
  ",",
  ".",
  ":-",
  "!",
  '"',
  "x",
  "1",
  "-1",
  "max(",
  "count : {",
  "}",
  "\n",
  ".decl r(a: number)\n",
  ".output r\n",
  '#include "/dev/zero"\n',
  "r(x + 1) :- r(x).\n",
  "\\",
  "/*",
  "//",
  "$",
  "[",
  "]",
  "2147483647",
  "cat(",
  "@f(",
  "#define X X X\n",
];

/** A damage: at a position (0..1 of the text), delete, duplicate or replace a span, or insert a token. */
const damage: fc.Arbitrary<Damage> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 0, max: 40 }),
  kind: fc.constantFrom("delete", "duplicate", "insert", "replace"),
  token: fc.constantFrom(...TOKENS),
});

interface Damage {
  readonly at: number;
  readonly length: number;
  readonly kind: string;
  readonly token: string;
}

function damaged(text: string, ds: readonly Damage[]): string {
  let t = text;
  for (const d of ds) {
    const i = Math.floor(d.at * t.length);
    const span = t.slice(i, i + d.length);
    t =
      d.kind === "delete"
        ? t.slice(0, i) + t.slice(i + d.length)
        : d.kind === "duplicate"
          ? t.slice(0, i) + span + span + t.slice(i)
          : d.kind === "insert"
            ? t.slice(0, i) + d.token + t.slice(i)
            : t.slice(0, i) + d.token + t.slice(i + d.length);
  }
  return t;
}

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("damaged programs and facts", () => {
  it(`never crash, hang or leave files behind (${RUNS} cases)`, async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        seeds,
        fc.array(damage, { minLength: 1, maxLength: 4 }),
        fc.array(damage, { maxLength: 3 }),
        async (seed, programDamage, factDamage) => {
          const dir = mkdtempSync(join(tmpdir(), "cairn-fuzz-"));
          try {
            const program = join(dir, "p.dl");
            writeFileSync(program, damaged(readFileSync(seed.program, "utf8"), programDamage));
            const facts = join(dir, "facts");
            if (seed.facts && existsSync(seed.facts)) {
              cpSync(seed.facts, facts, { recursive: true });
              const list = files(facts).sort();
              if (list.length > 0 && factDamage.length > 0) {
                const f = list[Math.floor(factDamage[0]!.at * list.length) % list.length]!;
                writeFileSync(f, damaged(readFileSync(f, "utf8"), factDamage));
              }
            }
            const out = join(dir, "out");
            let err = "";
            const code = await main(
              [
                "run",
                program,
                "-F",
                existsSync(facts) ? facts : dir,
                "-D",
                out,
                "--memory-limit",
                "64",
                "--growth-limit",
                "100000",
                "--no-progress",
              ],
              { stdout: () => {}, stderr: (s) => (err += s) },
            );
            codes.set(code, (codes.get(code) ?? 0) + 1);
            expect([0, 1, 2, 3, 4], err).toContain(code);
            expect(err).not.toMatch(/internal error/);
            expect(err).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
            const left = files(dir).filter((f) => /\.tmp$/.test(f));
            expect(left, "temporary files").toEqual([]);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The damage reaches both ends: some programs still run, some are rejected.
    expect(codes.get(0) ?? 0, JSON.stringify([...codes])).toBeGreaterThan(0);
    expect(codes.get(1) ?? 0, JSON.stringify([...codes])).toBeGreaterThan(0);
  }, 300_000);
});
