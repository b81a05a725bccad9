// `cairn run --functors FILE`: a program's `.functor` declarations implemented
// by a JavaScript module's exports (named, or an object exported by default);
// a declared functor left without an implementation is an error at its
// declaration, and a module that cannot be loaded a command-line error.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-functors-");
const program = join(dir, "p.dl");
writeFileSync(
  program,
  `.functor twice(x: number): number
.functor shout(s: symbol): symbol
.decl n(x: number)
n(1). n(2).
.decl out(x: number, s: symbol)
out(@twice(x), @shout(to_string(x))) :- n(x).
.output out
`,
);
writeFileSync(
  join(dir, "named.mjs"),
  'export function twice(x) { return 2 * x; }\nexport const shout = (s) => s + "!";\nexport const unused = 3;\n',
);
// biome-ignore lint/suspicious/noTemplateCurlyInString: the module written is JavaScript with a template literal
writeFileSync(join(dir, "default.mjs"), "export default { twice: (x) => x * 2, shout: (s) => `${s}!` };\n");
writeFileSync(join(dir, "partial.mjs"), "export function twice(x) { return x; }\n");
writeFileSync(join(dir, "broken.mjs"), "export function twice( {\n");

describe("cairn run --functors", () => {
  it("takes named exports and a default export", async () => {
    for (const m of ["named.mjs", "default.mjs"]) {
      const out = join(dir, `out-${m}`);
      const r = await cli("run", program, "--functors", join(dir, m), "-D", out);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(readFileSync(join(out, "out.csv"), "utf8").split("\n").filter(Boolean).sort()).toEqual(["2\t1!", "4\t2!"]);
    }
  });

  it("reports each functor the module lacks at its declaration", async () => {
    const r = await cli("run", program, "--functors", join(dir, "partial.mjs"), "-D", "-");
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `p.dl:2:1: error[missing-functor]: functor @shout is declared but has no implementation: ${join(dir, "partial.mjs")} exports no function "shout"`,
    );
    expect(r.err).not.toContain("@twice");
    expect(r.out).toBe("");
  });

  it("without --functors, says how to give them", async () => {
    const r = await cli("run", program, "-D", "-");
    expect(r.code).toBe(1);
    expect(r.err).toContain("p.dl:1:1: error[missing-functor]: functor @twice is declared but has no implementation: pass --functors FILE");
    expect(r.err).toContain("cairn: 2 errors in");
  });

  it("fails with a command-line error when the module cannot be loaded", async () => {
    for (const m of ["broken.mjs", "absent.mjs"]) {
      const r = await cli("run", program, "--functors", join(dir, m), "-D", "-");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^cairn: cannot load functors from .*${m}: `));
    }
  });
});
