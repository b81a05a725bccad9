// Helpers for the `cairn run --state` tests: the CLI run in-process, facts
// folders written from lines, output folders read as sorted lines, and a small
// seeded random generator for facts.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export { cli } from "./cli-helpers.js";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cairn-state-"));
}

/** Writes one `REL.facts` file per entry (lines joined with newlines) into a new folder `dir`. */
export function writeFacts(dir: string, facts: Readonly<Record<string, readonly string[]>>): string {
  mkdirSync(dir, { recursive: true });
  for (const [rel, lines] of Object.entries(facts)) writeFileSync(join(dir, `${rel}.facts`), lines.map((l) => `${l}\n`).join(""));
  return dir;
}

/** Every file of an output folder as its sorted lines. */
export function outputs(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(dir).sort()) {
    out[f] = readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .sort();
  }
  return out;
}

/** A seeded generator of integers in [0, n). */
export function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  };
}

/** The lines of `lines` in a random order. */
export function shuffled<T>(lines: readonly T[], rnd: (n: number) => number): T[] {
  const a = [...lines];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rnd(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
