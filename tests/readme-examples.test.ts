// The docs cannot drift: every TypeScript example in README.md and
// docs/api.md is compiled with `tsc --strict` against the package as `npm
// pack` makes it (installed into a scratch project, its dependencies linked
// from this checkout's node_modules), then run there with node. The package's
// own type declarations are checked too (no skipLibCheck). Needs dist/
// (`npm run build`, which `npm ci` runs).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "cairn-readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The ```ts blocks of a Markdown file, with the line each starts on. */
function examples(file: string): { name: string; code: string }[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const out: { name: string; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```ts") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== "```") end++;
    out.push({ name: `${file.replace(/[/.]/g, "_")}_${start + 1}`, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return out;
}

const blocks = [...examples("README.md"), ...examples("docs/api.md")];
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; dependencies: Record<string, string> };

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 120_000 });
}

describe("the README's API examples", () => {
  it("are there", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) expect(b.code).toContain(`from "${pkg.name}"`);
  });

  it("compile under tsc --strict against the packed package, and run", () => {
    expect(existsSync(join(root, "dist", "index.js")), "dist/ is missing: run npm run build").toBe(true);
    // The package as published, without building again: dist/ is current.
    const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], root);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = join(scratch, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    const project = join(scratch, "project");
    const modules = join(project, "node_modules");
    mkdirSync(join(modules, "@types"), { recursive: true });
    expect(run("tar", ["-xzf", tarball, "-C", modules], root).status).toBe(0);
    renameSync(join(modules, "package"), join(modules, pkg.name));
    for (const dep of [
      ...Object.keys(pkg.dependencies),
      "@types/node",
      ...readdirSync(join(root, "node_modules", "@types")).map((t) => `@types/${t}`),
    ]) {
      if (existsSync(join(modules, dep))) continue;
      // A scoped package (@scope/name) needs its scope's folder first.
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(join(root, "node_modules", dep), join(modules, dep), "dir");
    }
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "readme-examples", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          types: ["node"],
          outDir: "out",
        },
        include: ["*.ts"],
      }),
    );
    for (const b of blocks) writeFileSync(join(project, `${b.name}.ts`), `${b.code}\nexport {};\n`);
    const tsc = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    for (const b of blocks) {
      const r = run(process.execPath, [join("out", `${b.name}.js`)], project);
      expect(r.stderr, b.name).toBe("");
      expect(r.status, b.name).toBe(0);
    }
    // The package's other promises: require() says to use import(); the cairn command, LICENSE and docs are in it.
    const required = run(process.execPath, ["-e", `require(${JSON.stringify(pkg.name)})`], project);
    expect(required.status).not.toBe(0);
    expect(required.stderr).toContain(
      `${pkg.name} is an ES module and cannot be loaded with require(): use \`import { compile } from "${pkg.name}"\``,
    );
    const installed = join(modules, pkg.name);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { bin: Record<string, string> };
    const version = run(process.execPath, [join(installed, manifest.bin.cairn!), "--version"], project);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const f of ["LICENSE", "README.md", "docs/api.md", "docs/cli.md", "programs/live-deps/live-deps.dl"])
      expect(existsSync(join(installed, f)), f).toBe(true);
  }, 180_000);
});
