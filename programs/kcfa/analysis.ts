// Runs the bundled k-CFA rules (flat.dl or env.dl) on a CPS program through
// Cairn's API; the rules are found next to this module or in the package.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, type Program } from "../../index.js";
import { cpsFacts } from "./facts.js";
import type { CpsProgram } from "./program.js";
import { KcfaResult } from "./results.js";

export { KcfaResult };

/** `flat`: closures remember one context (m-CFA style); `env`: per-variable environments (Might, LVish). */
export type Variant = "flat" | "env";
export const VARIANTS: readonly Variant[] = ["flat", "env"];

/** The folder holding the .dl files: next to this module in the sources, or the package's programs/kcfa from dist/ (or from the bundled command line, dist/cairn.mjs). */
export function rulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, resolve(here, "../../../programs/kcfa"), resolve(here, "../programs/kcfa")]) {
    if (existsSync(join(dir, "flat.dl"))) return dir;
  }
  throw new Error(`cannot find the k-CFA rules (flat.dl) near ${here}`);
}

export function rulesFile(variant: Variant): string {
  return join(rulesDir(), `${variant}.dl`);
}

const compiled = new Map<Variant, Program>();

/** The compiled rules of `variant`, compiled once per process. */
export function kcfaRules(variant: Variant): Program {
  let p = compiled.get(variant);
  if (!p) {
    const file = rulesFile(variant);
    const read = (path: string): string | undefined => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    };
    p = compile(read(file)!, { file, readFile: read });
    compiled.set(variant, p);
  }
  return p;
}

/** Analyses `program` with contexts of the last `k` call sites. */
export function runKcfa(program: CpsProgram, k: number, variant: Variant = "flat"): KcfaResult {
  const db = kcfaRules(variant).database();
  for (const [rel, rows] of Object.entries(cpsFacts(program, k))) db.insert(rel, rows);
  db.runSync();
  return new KcfaResult(db);
}
