// A CPS program as the input facts of the k-CFA rules (see input.dl): its
// calls, arguments, lambdas and scoping, plus the fact k(K). The same facts
// serve every k and both variants; `writeFacts` writes them as .facts files.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { envLayout } from "./layout.js";
import type { Atom } from "./syntax.js";
import type { CpsProgram } from "./program.js";

export type FactRow = readonly (number | string)[];
export type KcfaFacts = Record<string, FactRow[]>;

/** The names of the input relations, in the order input.dl declares them. */
export const INPUT_RELATIONS = [
  "start",
  "arity",
  "argVar",
  "argLam",
  "argHalt",
  "lamArity",
  "param",
  "body",
  "freeVar",
  "varSlot",
  "envPiece",
  "envPieces",
  "labels",
  "k",
] as const;

/** The input facts for analysing `p` with contexts of `k` call sites. */
export function cpsFacts(p: CpsProgram, k: number): KcfaFacts {
  const f: KcfaFacts = Object.fromEntries(INPUT_RELATIONS.map((r) => [r, []]));
  f.start!.push([p.root.label]);
  const arg = (c: number, i: number, a: Atom): void => {
    if (a.kind === "var") f.argVar!.push([c, i, a.name]);
    else if (a.kind === "lambda") f.argLam!.push([c, i, a.label]);
    else f.argHalt!.push([c, i]);
  };
  for (const c of p.calls) {
    f.arity!.push([c.label, c.args.length]);
    arg(c.label, 0, c.fn);
    c.args.forEach((a, i) => arg(c.label, i + 1, a));
  }
  for (const l of p.lambdas) {
    f.lamArity!.push([l.label, l.params.length]);
    l.params.forEach((v, i) => f.param!.push([l.label, i + 1, v.name]));
    f.body!.push([l.label, l.body.label]);
    for (const v of p.freeVars.get(l.label) ?? []) f.freeVar!.push([l.label, v]);
  }
  const layout = envLayout(p);
  f.varSlot = layout.varSlots;
  f.envPiece = layout.pieces;
  f.envPieces = layout.pieceCounts;
  f.labels!.push([p.maxLabel]);
  f.k!.push([k]);
  return f;
}

/** Writes `facts` as tab-separated `REL.facts` files in `dir` (created if needed). */
export function writeFacts(facts: KcfaFacts, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, rows] of Object.entries(facts)) {
    const text = rows.map((r) => r.join("\t")).join("\n");
    writeFileSync(join(dir, `${rel}.facts`), rows.length > 0 ? text + "\n" : "");
  }
}
