// The command line as Soufflé users run it: no command (`cairn prog.dl -F f
// -D out`), `-p FILE` for a profile, sorted outputs for diffing, and
// diagnostics as one JSON document with `--format json` (schema
// cairn.diagnostics/1; golden documents in tests/errors/json/).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-habits-");
const prog = join(dir, "prog.dl");
writeFileSync(
  prog,
  `.decl edge(x: number, y: number)
.input edge
.decl name(x: number, n: symbol)
.input name
.decl path(x: number, y: number)
.output path
.decl named(n: symbol, m: symbol)
.output named(sort=true)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
named(n, m) :- path(x, y), name(x, n), name(y, m).
`,
);
const facts = join(dir, "facts");
mkdirSync(facts);
writeFileSync(join(facts, "edge.facts"), "30\t4\n1\t2\n2\t30\n-5\t1\n");
writeFileSync(join(facts, "name.facts"), "1\tb\n2\ta\n30\tc\n4\tB\n-5\tz\n");

/** Lines of a -D - block for `rel`, without the framing. */
function block(out: string, rel: string): string[] {
  const parts = out.split(/^-+\n/m).find((p) => p.startsWith(`${rel}\n`));
  return (parts ?? "").split("\n").filter((l) => l !== "" && !/^=+$/.test(l) && l !== rel && !/^[a-z]\t[a-z]$/.test(l));
}

describe("the command line meets Soufflé users' habits", () => {
  it("runs a program given without a command, options before or after it", async () => {
    const a = await cli("run", prog, "-F", facts, "-D", "-");
    const b = await cli(prog, "-F", facts, "-D", "-");
    const c = await cli("-F", facts, "-D", "-", prog);
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const typo = await cli("chek", prog);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown command 'chek'\n\(Did you mean check\?\)/);
  });

  it("--sort writes every output sorted by value; .output r(sort=true) sorts one", async () => {
    const plain = await cli(prog, "-F", facts, "-D", "-");
    const unsorted = block(plain.out, "path");
    const byValue = (l: string) => l.split("\t").map(Number);
    const want = [...unsorted].sort((p, q) => {
      const [a, b] = [byValue(p), byValue(q)];
      return a[0]! - b[0]! || a[1]! - b[1]!;
    });
    expect(unsorted).not.toEqual(want); // derivation order differs here, so the check below means something
    const sorted = await cli(prog, "-F", facts, "-D", "-", "--sort");
    expect(block(sorted.out, "path")).toEqual(want);
    const named = block(plain.out, "named");
    expect(named).toEqual([...named].sort());
    expect(named.length).toBeGreaterThan(3);
    const out = join(dir, "out");
    expect((await cli(prog, "-F", facts, "-D", out, "--sort")).code).toBe(0);
    expect(readFileSync(join(out, "path.csv"), "utf8")).toBe(`${want.join("\n")}\n`);
  });

  it("-p FILE writes the profile as JSON", async () => {
    const file = join(dir, "profile.json");
    const r = await cli(prog, "-F", facts, "-D", join(dir, "o"), "-p", file);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const profile = JSON.parse(readFileSync(file, "utf8"));
    expect(profile.schema).toBe("cairn.profile/1");
    const recursive = profile.rules.find((x: { rule: string }) => x.rule === "path(x, z) :- path(x, y), edge(y, z).");
    expect(recursive).toMatchObject({ file: prog, line: 10 });
    expect(profile.rules.map((x: { rule: string }) => x.rule).sort()).toEqual([
      "named(n, m) :- path(x, y), name(x, n), name(y, m).",
      "path(x, y) :- edge(x, y).",
      "path(x, z) :- path(x, y), edge(y, z).",
    ]);
    for (const x of profile.rules) expect(x.runs).toBeGreaterThan(0);
    const bad = await cli(prog, "-F", facts, "-D", join(dir, "o"), "-p", join(dir, "no", "such", "dir", "p.json"));
    expect(bad.code).toBe(4);
    expect(bad.err).toMatch(/error\[output\]: cannot write profile/);
  });
});

describe("cairn types", () => {
  it("writes the program's Schema beside it, or to -o FILE, or prints it with -o -", async () => {
    const printed = await cli("types", prog, "-o", "-", "-w");
    expect(printed.code).toBe(0);
    expect(printed.out).toContain("export type Schema = {");
    expect(printed.out).toContain("readonly tuple: readonly [x: number, y: number];");
    const beside = await cli("types", prog, "-w");
    expect(beside.code).toBe(0);
    expect(beside.err).toBe(`${prog}: wrote ${join(dir, "prog.d.ts")}\n`);
    expect(readFileSync(join(dir, "prog.d.ts"), "utf8")).toBe(printed.out);
    const bad = await cli("types", prog, "-w", "-o", join(dir, "no", "such", "x.d.ts"));
    expect(bad.code).toBe(4);
    expect(bad.err).toMatch(/^error\[output\]: cannot write /);
  });
});

describe("--format json", () => {
  const golden = join(import.meta.dirname, "errors", "json");
  const cases: [string, string[]][] = [
    ["check_undeclared", ["check", "tests/errors/json/undeclared.dl", "--format", "json"]],
    ["run_undeclared", ["run", "tests/errors/json/undeclared.dl", "--format", "json"]],
    ["run_bad_facts_file", ["tests/errors/bad_fact_number.dl", "-F", "tests/errors/bad_fact_number.facts", "--format", "json"]],
    ["run_runtime", ["tests/errors/division_by_zero.dl", "-D", "-", "--format", "json"]],
    ["analyze_freeze_in_recursion", ["analyze", "tests/errors/json/freeze.dl", "--format", "json"]],
    ["check_ok_with_warning", ["check", "tests/errors/json/warning.dl", "--format", "json"]],
  ];
  for (const [name, argv] of cases) {
    it(`${name}: one document on stderr, as in tests/errors/json/${name}.json`, async () => {
      const r = await cli(...argv);
      const doc = JSON.parse(r.err);
      expect(doc.schema).toBe("cairn.diagnostics/1");
      expect(doc.exitCode).toBe(r.code);
      expect(doc.errors).toBe(doc.diagnostics.filter((d: { severity: string }) => d.severity === "error").length);
      expect(r.err).toBe(readFileSync(join(golden, `${name}.json`), "utf8"));
    });
  }
});
