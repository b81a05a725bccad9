// Input facts for bench/programs/cspta_records.dl: a synthetic program of
// `methods` methods, each with its own variables, allocations, copies, field
// loads and stores, and call sites to other methods (mostly to later ones, some
// back, so that the call graph has cycles), from a seeded generator.
//   node bench/gen-cspta.mjs METHODS DIR [SEED]

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A small seeded generator (mulberry32), so that a size always gives the same facts. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(methods, dir, seed = 1) {
  const rnd = random(seed);
  const pick = (n) => Math.floor(rnd() * n);
  const VARS = 8;
  const FIELDS = 24;
  const facts = { entry: [], alloc: [], move: [], load: [], store: [], call: [], actual: [], formal: [], ret: [], retvar: [] };
  const v = (m, i) => m * VARS + i + 1;
  let site = 1;
  let heap = 1;
  for (let m = 0; m < methods; m++) {
    if (m < 4) facts.entry.push([m]);
    facts.formal.push([m, 0, v(m, 0)], [m, 1, v(m, 1)]);
    facts.retvar.push([m, v(m, 2)]);
    for (let k = 0; k < 2; k++) facts.alloc.push([v(m, 3 + pick(VARS - 3)), heap++, m]);
    for (let k = 0; k < 2; k++) facts.move.push([v(m, pick(VARS)), v(m, pick(VARS))]);
    if (rnd() < 0.5) facts.load.push([v(m, pick(VARS)), v(m, pick(VARS)), pick(FIELDS)]);
    if (rnd() < 0.5) facts.store.push([v(m, pick(VARS)), pick(FIELDS), v(m, pick(VARS))]);
    for (let k = 0; k < 3; k++) {
      const callee = rnd() < 0.85 ? Math.min(methods - 1, m + 1 + pick(12)) : pick(m + 1);
      const s = site++;
      facts.call.push([s, m, callee]);
      facts.actual.push([s, 0, v(m, pick(VARS))], [s, 1, v(m, pick(VARS))]);
      facts.ret.push([s, v(m, pick(VARS))]);
    }
  }
  mkdirSync(dir, { recursive: true });
  let count = 0;
  for (const [name, rows] of Object.entries(facts)) {
    writeFileSync(join(dir, `${name}.facts`), rows.map((r) => r.join("\t")).join("\n") + (rows.length ? "\n" : ""));
    count += rows.length;
  }
  return count;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [methods, dir, seed] = process.argv.slice(2);
  console.log(`${generate(Number(methods), dir, Number(seed ?? 1))} facts in ${dir}`);
}
