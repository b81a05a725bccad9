// `npm run playground [-- --out DIR]`: builds the browser playground into one
// static folder (default dist/playground; `cairn playground` serves it): the
// page and its worker bundled by esbuild for browsers, with
// engine/runtime.browser.ts in place of engine/runtime.ts; the HTML and CSS;
// and examples.json, the bundled programs of programs/ with their facts.
// A Node module reached from the page's code fails the build, naming who
// imports it. Prints each script's size, raw and gzip-compressed, and fails
// when the page's JavaScript takes 1 MB or more compressed.

import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = process.argv.indexOf("--out");
const out = at >= 0 ? process.argv[at + 1] : join(root, "dist/playground");
if (!out) throw new Error("--out takes a folder");
/** The most bytes the page's JavaScript may take, gzip-compressed. */
export const MAX_COMPRESSED = 1_000_000;

/** engine/runtime.ts is Node's; the page gets its browser counterpart. Node modules are refused. */
const browserRuntime = {
  name: "browser-runtime",
  setup(b) {
    b.onResolve({ filter: /\/runtime\.js$/ }, (a) =>
      a.importer.startsWith(join(root, "engine")) ? { path: join(root, "engine/runtime.browser.ts") } : undefined,
    );
    b.onResolve({ filter: /^node:|^(fs|os|path|crypto|zlib|v8|vm|tty|buffer|worker_threads|child_process)$/ }, (a) => ({
      errors: [{ text: `the page cannot load Node's "${a.path}" (imported by ${relative(root, a.importer)})` }],
    }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: join(root, "playground/main.ts"), worker: join(root, "playground/worker.ts") },
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  absWorkingDir: root,
  logLevel: "warning",
  plugins: [browserRuntime],
});
for (const f of ["index.html", "style.css"]) copyFileSync(join(root, "playground", f), join(out, f));

// The examples: each folder of programs/ with one program named after it, and its facts.
const examples = [];
for (const dir of readdirSync(join(root, "programs")).sort()) {
  const file = join(root, "programs", dir, `${dir}.dl`);
  if (!existsSync(file)) continue;
  const program = readFileSync(file, "utf8");
  const factDir = join(root, "programs", dir, "facts");
  const facts = {};
  if (existsSync(factDir))
    for (const f of readdirSync(factDir).sort()) if (f.endsWith(".facts")) facts[f.slice(0, -6)] = readFileSync(join(factDir, f), "utf8");
  examples.push({ id: dir, title: dir.replace(/-/g, " "), name: `${dir}.dl`, program, facts });
}
// The sign analysis first: it shows a lattice and a freeze point.
examples.sort((a, b) => (a.id === "sign-analysis" ? -1 : b.id === "sign-analysis" ? 1 : a.id < b.id ? -1 : 1));
writeFileSync(join(out, "examples.json"), JSON.stringify(examples));

let total = 0;
for (const f of ["main.js", "worker.js"]) {
  const bytes = readFileSync(join(out, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`${f}: ${(bytes.length / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(0)} KiB gzip`);
}
console.log(
  `playground built in ${relative(process.cwd(), out) || "."}: ${examples.length} examples, ${(total / 1024).toFixed(0)} KiB of JavaScript gzip`,
);
if (total >= MAX_COMPRESSED) {
  console.error(`the page's JavaScript takes ${total} bytes compressed, over the ${MAX_COMPRESSED} allowed`);
  process.exit(1);
}
