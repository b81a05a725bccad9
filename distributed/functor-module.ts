// The module implementing a program's user functors (`--functors FILE`), as a
// cluster ships it: the coordinator reads the file's text and names its
// module format; a node started with `--allow-functors` writes that text to
// a private temporary folder, imports it as `cairn run --functors` does, and
// removes the folder. The module must stand alone: it is imported from that
// folder, so it can import Node's built-in modules but not files beside it
// or packages. Running it is running the coordinator's code on the node, with
// the node's rights: only a coordinator that proves the node's token can send
// one, and only a node that allows it runs it (docs/distributed.md).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { UserFunctor } from "../engine/eval/functors.js";
import { loadFunctorModule } from "../cli/functors.js";

export interface FunctorModule {
  /** The file's name, for messages. */
  readonly name: string;
  /** How Node reads it: an ES module or CommonJS. */
  readonly format: "module" | "commonjs";
  readonly source: string;
}

/** The `type` of the package.json nearest to `dir`, upwards ("commonjs" when there is none, as Node reads a .js file). */
function packageType(dir: string): "module" | "commonjs" {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8")) as { type?: unknown };
      return pkg.type === "module" ? "module" : "commonjs";
    } catch {
      // No package.json here (or not one Node would read): look further up.
    }
    if (dirname(d) === d) return "commonjs";
  }
}

/** Reads the module at `path` for shipping (its format from its extension, or for .js from the nearest package.json). */
export function readFunctorModule(path: string): FunctorModule {
  const full = resolve(path);
  const ext = extname(full);
  const format = ext === ".mjs" ? "module" : ext === ".cjs" ? "commonjs" : packageType(dirname(full));
  return { name: basename(full), format, source: readFileSync(full, "utf8") };
}

/** Imports a shipped module's functions (named exports, or a default export's), from a private temporary copy. */
export async function loadShippedFunctors(m: FunctorModule): Promise<Record<string, UserFunctor>> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-functors-"));
  try {
    const file = join(dir, m.format === "module" ? "functors.mjs" : "functors.cjs");
    writeFileSync(file, m.source, { mode: 0o600 });
    return await loadFunctorModule(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
