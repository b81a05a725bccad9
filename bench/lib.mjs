// What every benchmark script shares: where bench/ and the repository are, the
// built command, reading `--name value` options, the median of samples, and a
// workload's facts generated into bench/.data/NAME by ../shared/bench/gen.py or,
// for the skewed-join workloads, by bench/gen-skewed.mjs (once: a `.done` marker
// there says a prepared folder is complete); numeric facts files read as rows,
// and a relation's tuples by key, for the scripts that compare runs.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate as generateSkewed, WORKLOADS as SKEWED } from "./gen-skewed.mjs";

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "..");
export const cli = join(root, "dist/cairn.mjs");
export const dataDir = join(here, ".data");
export const args = process.argv.slice(2);

/** The value after option `name` on the command line, or `dflt` when it is not given. */
export function opt(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
}

/** The middle sample; for an even count, the mean of the two middle ones. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** `dir` after `make(dir)` has filled it, which happens once: a `.done` marker there says it is complete. */
export function prepared(dir, make) {
  if (!existsSync(join(dir, ".done"))) {
    mkdirSync(dir, { recursive: true });
    make(dir);
    writeFileSync(join(dir, ".done"), "");
  }
  return dir;
}

/**
 * The folder bench/.data/NAME holding the facts for WORKLOAD at SIZE, generated
 * first when it is missing or incomplete: by bench/gen-skewed.mjs when it has
 * WORKLOAD, else by gen.py in `shared` (a --shared option's value, resolved
 * against the repository).
 */
export function generated(name, workload, size, shared = "../shared/bench") {
  return prepared(join(dataDir, name), (dir) => {
    if (Object.hasOwn(SKEWED, workload)) return generateSkewed(workload, size, dir);
    const g = spawnSync("python3", [join(resolve(root, shared), "gen.py"), workload, String(size), dir], { stdio: "inherit" });
    if (g.status !== 0) throw new Error(`generating ${name} (${workload} ${size}) failed`);
  });
}

/** A facts file of numbers as rows of numbers (the generated workloads' edges, sources). */
export function numericFacts(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("\t").map(Number));
}

/** A relation's tuples by key (all columns but the last, for a lattice relation), each with its last cell, as text. */
export function byKey(db, rel, lattice) {
  return new Map(db.tuples(rel).map((t) => [JSON.stringify(lattice ? t.slice(0, -1) : t), JSON.stringify(t.at(-1))]));
}
