// The playground's build (scripts/playground.mjs) and server (`cairn
// playground`), without a browser: one static folder whose JavaScript stays
// under 1 MB compressed and reaches no Node module or global, the bundled
// examples with their facts, and a server that serves only that folder.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, devBin } from "../cli-helpers.js";
import { type Built, buildPlayground, examplesOf, root } from "./page.js";

let built: Built;
beforeAll(() => {
  built = buildPlayground();
}, 120_000);
afterAll(() => built?.remove());

describe("npm run playground", () => {
  it("builds one static folder", () => {
    expect(built.status, built.log).toBe(0);
    expect(readdirSync(built.dir).sort()).toEqual(["examples.json", "index.html", "main.js", "style.css", "worker.js"]);
    expect(built.log).toMatch(/^main\.js: \d+ KiB, \d+ KiB gzip\nworker\.js: \d+ KiB, \d+ KiB gzip\n/);
  });

  it("keeps the page's JavaScript under 1 MB compressed", () => {
    const compressed = ["main.js", "worker.js"].map((f) => gzipSync(readFileSync(join(built.dir, f)), { level: 9 }).length);
    expect(compressed.reduce((a, b) => a + b)).toBeLessThan(1_000_000);
  });

  it("reaches no Node module or global from the page", () => {
    for (const f of ["main.js", "worker.js"]) {
      const js = readFileSync(join(built.dir, f), "utf8");
      // (ohm-js asks globalThis.process?.getBuiltinModule for Node's module loader, and goes without it.)
      expect(js, f).not.toMatch(
        /\bfrom\s*["']node:|\bimport\(\s*["']node:|\brequire\(|\bBuffer\.|(?<![.?])\bprocess\.(env|stdout|stderr|constrainedMemory)/,
      );
    }
  });

  it("bundles each program of programs/ with its facts", () => {
    const examples = examplesOf(built.dir);
    for (const ex of examples) {
      const dir = join(root, "programs", ex.id);
      expect(ex.program).toBe(readFileSync(join(dir, `${ex.id}.dl`), "utf8"));
      const files = readdirSync(join(dir, "facts")).filter((f) => f.endsWith(".facts"));
      expect(Object.keys(ex.facts).sort()).toEqual(files.map((f) => f.slice(0, -6)).sort());
      for (const f of files) expect(ex.facts[f.slice(0, -6)]).toBe(readFileSync(join(dir, "facts", f), "utf8"));
    }
    // The sign analysis first: the page opens on it.
    expect(examples[0]!.id).toBe("sign-analysis");
    const programs = join(root, "programs");
    const dirs = readdirSync(programs).filter((d) => existsSync(join(programs, d, `${d}.dl`)) && existsSync(join(programs, d, "facts")));
    expect(examples.map((e) => e.id).sort()).toEqual(dirs.sort());
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });
});

describe("cairn playground", () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill();
  });

  it("serves the folder on 127.0.0.1 and prints its address", async () => {
    server = spawn(process.execPath, [devBin, "playground", "--port", "0", "--dir", built.dir], { stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((ok, fail) => {
      let out = "";
      server!.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /^Cairn playground: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
        if (m) ok(m[1]!);
      });
      server!.on("exit", (code) => fail(new Error(`exited with ${code}: ${out}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toBe(readFileSync(join(built.dir, "index.html"), "utf8"));
    const js = await fetch(`${url}worker.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await js.arrayBuffer()).byteLength).toBe(readFileSync(join(built.dir, "worker.js")).length);
    for (const outside of ["%2e%2e/package.json", "..%2f..%2fpackage.json", "missing.js"])
      expect((await fetch(url + outside)).status).toBe(404);
    expect((await fetch(url, { method: "POST" })).status).toBe(405);
    server.kill("SIGINT");
    expect(await new Promise((ok) => server!.on("exit", (code) => ok(code)))).toBe(0);
  }, 60_000);

  it("says so when the port is in use", async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, "127.0.0.1", ok));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await cli("playground", "--port", String(port), "--dir", built.dir);
      expect(r).toMatchObject({ code: 2, err: `cairn: cannot serve the playground: port ${port} is in use; choose another with --port\n` });
    } finally {
      taken.close();
    }
  });

  it("refuses a bad port and a folder with no build", async () => {
    const port = await cli("playground", "--port", "70000");
    expect(port).toMatchObject({ code: 2, err: 'cairn: --port takes a port number from 0 to 65535, got "70000"\n' });
    const none = await cli("playground", "--dir", join(root, "docs"));
    expect(none.code).toBe(2);
    expect(none.err).toBe(`cairn: ${join(root, "docs")} holds no built playground (no index.html): run \`npm run playground\` first\n`);
  });
});
