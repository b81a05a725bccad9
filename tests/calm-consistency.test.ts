// The analysis and the checks agree on exact reads: a body atom the checks mark
// `exact` (so the engine evaluates it only once its relation is frozen) is a
// freeze point of the analysis, and a lattice read the analysis freezes is
// marked exact — so barriers go exactly where the engine needs them.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../lang/calm/index.js";
import type { MAtom } from "../lang/model.js";
import { loadCalm } from "./calm/load.js";

const root = join(import.meta.dirname, "calm");
const cases = readdirSync(root)
  .filter((f) => f.endsWith(".dl"))
  .map((f) => f.slice(0, -3))
  .sort();

describe("exact reads: analysis and checks agree", () => {
  for (const name of cases) {
    it(name, () => {
      const file = relative(process.cwd(), join(root, `${name}.dl`));
      const { checked } = loadCalm(readFileSync(file, "utf8"), file);
      if (!checked) return;
      const a = analyze(checked);
      const at = (s: MAtom["span"]) => `${s.start.line}:${s.start.col}`;
      const exact = checked.rules.flatMap((r) =>
        r.body.filter((l): l is MAtom => l.kind === "atom" && l.exact === true).map((l) => `${r.id} ${l.relation} ${at(l.span)}`),
      );
      const frozen = a.freezePoints
        .filter((f) => (f.kind === "exact-read" || f.kind === "functor") && !f.reason.startsWith("the checks mark"))
        .map((f) => `${f.rule} ${f.relation} ${at(f.span)}`);
      expect([...new Set(frozen)].sort()).toEqual([...new Set(exact)].sort());
      // No exact read the analysis cannot explain itself.
      expect(a.freezePoints.filter((f) => f.reason.startsWith("the checks mark"))).toEqual([]);
    });
  }
});
