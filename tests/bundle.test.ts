// The installed `cairn` command is the bundle dist/cairn.mjs (scripts/bundle.mjs,
// built by `npm run build`, which `npm ci` runs): it must find what lives
// outside it — the worker bundle for -j, the k-CFA rules, packages in
// node_modules — and give the same answers as the sources.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist", "cairn.mjs");
const scratch = mkdtempSync(join(tmpdir(), "cairn-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cairn(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
}

const sorted = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.length > 0)
    .sort();

describe("the bundled command line", () => {
  it("is built (npm run build)", () => {
    expect(existsSync(bin), `${bin} is missing: run npm run build`).toBe(true);
  });

  it("runs the bundled example to its expected outputs", () => {
    const out = join(scratch, "reach");
    const r = cairn(["run", "programs/reachability/reachability.dl", "-F", "programs/reachability/facts", "-D", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const expected = join(root, "programs/reachability/expected");
    for (const f of readdirSync(expected))
      expect(sorted(readFileSync(join(out, f), "utf8"))).toEqual(sorted(readFileSync(join(expected, f), "utf8")));
  });

  it("starts its worker threads from the worker bundle (-j 2)", () => {
    const facts = join(scratch, "chain");
    const out1 = join(scratch, "j1");
    const out2 = join(scratch, "j2");
    const program = join(scratch, "tc.dl");
    const edges = Array.from({ length: 300 }, (_, i) => `${i}\t${i + 1}`).join("\n") + "\n";
    mkdirSync(facts);
    writeFileSync(join(facts, "edge.facts"), edges);
    writeFileSync(
      program,
      ".decl edge(x: number, y: number)\n.input edge\n.decl path(x: number, y: number)\n.output path\npath(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n",
    );
    const one = cairn(["run", program, "-F", facts, "-D", out1]);
    const two = cairn(["run", program, "-F", facts, "-D", out2, "-j", "2"], { CAIRN_PARALLEL_THRESHOLD: "0", CAIRN_PARALLEL_TRACE: "1" });
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stderr).toMatch(/\[parallel\] local stratum/);
    const a = sorted(readFileSync(join(out1, "path.csv"), "utf8"));
    expect(a.length).toBe((300 * 301) / 2);
    expect(sorted(readFileSync(join(out2, "path.csv"), "utf8"))).toEqual(a);
  });

  it("finds the k-CFA rules", () => {
    const out = join(scratch, "kcfa");
    const r = cairn(["kcfa", "programs/kcfa/examples/lvish.cps", "-k", "1", "-D", out]);
    expect(r.status).toBe(0);
    const expected = join(root, "programs/kcfa/examples/lvish/k1");
    for (const f of readdirSync(expected))
      expect(sorted(readFileSync(join(out, f), "utf8"))).toEqual(sorted(readFileSync(join(expected, f), "utf8")));
  });
});
