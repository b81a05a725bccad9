// The k-CFA rules against the worklist oracle (tests/kcfa/oracle.ts) on the LVish
// example, random programs and the bench families, k = 0..3, both variants; and
// the orderings: more k, or per-variable environments, are never less precise.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runKcfa, VARIANTS, type Variant } from "../programs/kcfa/analysis.js";
import { loadCps, type CpsProgram } from "../programs/kcfa/program.js";
// @ts-expect-error: a plain JavaScript module without type declarations
import { chain, vanHornMairson, wrappers } from "../bench/kcfa-families.mjs";
import { cpsProgram } from "./kcfa/gen.js";
import { oracleKcfa } from "./kcfa/oracle.js";

const MAX_STATES = 3000;
const lvish = loadCps(readFileSync(join(import.meta.dirname, "..", "programs", "kcfa", "examples", "lvish.cps"), "utf8"));

function rules(p: CpsProgram, k: number, variant: Variant) {
  const r = runKcfa(p, k, variant);
  return { flows: r.flows, calls: r.calls, halts: [...r.halts], monomorphic: r.monomorphic };
}

/** The rules' results equal the oracle's; false (skip) when the oracle gives up. */
function agrees(text: string, k: number, variant: Variant): boolean {
  const p = loadCps(text);
  const expected = oracleKcfa(p, k, variant, MAX_STATES);
  if (!expected) return false;
  expect(rules(p, k, variant)).toEqual(expected);
  return true;
}

const flowsOf = (p: CpsProgram, k: number, v: Variant) => rules(p, k, v);
const keys = (r: ReturnType<typeof rules>) => ({
  flows: new Set(r.flows.map(([v, l]) => `${v} ${l}`)),
  calls: new Set(r.calls.map(([c, l]) => `${c} ${l}`)),
  halts: new Set(r.halts.map(String)),
});
function expectSubset(small: ReturnType<typeof rules>, large: ReturnType<typeof rules>): void {
  const a = keys(small);
  const b = keys(large);
  for (const part of ["flows", "calls", "halts"] as const) {
    const missing = [...a[part]].filter((x) => !b[part].has(x));
    expect(missing, part).toEqual([]);
  }
}
/** Programs the oracle finishes quickly for every k up to 3. */
const small = (text: string) => VARIANTS.every((v) => oracleKcfa(loadCps(text), 3, v, MAX_STATES) !== undefined);

describe("the LVish example, as the issue states it", () => {
  const flowsOf = (r: ReturnType<typeof rules>) => {
    const m: Record<string, number[]> = {};
    for (const [v, l] of r.flows) (m[v] ??= []).push(l);
    return m;
  };
  for (const variant of VARIANTS) {
    it(`k = 0, ${variant}`, () => {
      const r = rules(lvish, 0, variant);
      expect(flowsOf(r)).toEqual({ a: [4, 8], b: [4, 8], x: [4, 8], k: [6, 10], id: [12] });
      expect(r.halts).toEqual([4, 8]);
      expect(r.calls).toEqual([
        [1, 2],
        [3, 12],
        [7, 12],
        [11, 0],
        [13, 6],
        [13, 10],
      ]);
      expect(r.monomorphic).toEqual([
        [1, 2],
        [3, 12],
        [7, 12],
        [11, 0],
      ]);
      expect(oracleKcfa(lvish, 0, variant)).toEqual(r);
    });
    it(`k = 1, ${variant}`, () => {
      const r = rules(lvish, 1, variant);
      expect(flowsOf(r)).toMatchObject({ a: [4], b: [8] });
      expect(r.halts).toEqual([8]);
      expect(r.calls).toEqual([
        [1, 2],
        [3, 12],
        [7, 12],
        [11, 0],
        [13, 6],
        [13, 10],
      ]);
      expect(oracleKcfa(lvish, 1, variant)).toEqual(r);
    });
  }
});

describe("rules = oracle on random programs", () => {
  for (const variant of VARIANTS) {
    for (const k of [0, 1, 2, 3]) {
      it(`k = ${k}, ${variant}`, () => {
        fc.assert(
          fc.property(cpsProgram, (text) => fc.pre(agrees(text, k, variant))),
          { numRuns: 60, seed: 1000 + 10 * k + (variant === "flat" ? 0 : 5) },
        );
      });
    }
  }
});

describe("rules = oracle on the bench families", () => {
  const programs: [string, string][] = [
    ...[1, 2, 5].map((n): [string, string] => [`chain ${n}`, chain(n)]),
    ...[
      [0, 1],
      [2, 1],
      [3, 2],
    ].map(([m, u]): [string, string] => [`wrappers ${m} ${u}`, wrappers(m, u)]),
    ...[1, 2, 4].map((n): [string, string] => [`vhm ${n}`, vanHornMairson(n)]),
  ];
  for (const [name, text] of programs) {
    it(name, () => {
      for (const variant of VARIANTS) for (const k of [0, 1, 2, 3]) expect(agrees(text, k, variant), `${variant} k=${k}`).toBe(true);
    });
  }

  it("wrappers: each more k makes one more wrapper precise", () => {
    const p = loadCps(wrappers(3, 1));
    for (const k of [0, 1, 2, 3, 4]) {
      const m: Record<string, number> = {};
      for (const [v] of rules(p, k, "flat").flows) m[v] = (m[v] ?? 0) + 1;
      const precise = [0, 1, 2, 3].filter((j) => m[`p${j}_1`] === 1 && m[`q${j}_1`] === 1);
      expect(precise, `k=${k}`).toEqual([0, 1, 2, 3].slice(0, k));
    }
  });
});

describe("orderings between analyses", () => {
  for (const variant of VARIANTS) {
    it(`flows, calls and halts with k + 1 are within those with k (${variant})`, () => {
      fc.assert(
        fc.property(cpsProgram, fc.integer({ min: 0, max: 2 }), (text, k) => {
          fc.pre(small(text));
          const p = loadCps(text);
          expectSubset(flowsOf(p, k + 1, variant), flowsOf(p, k, variant));
        }),
        { numRuns: 60, seed: 7 },
      );
    });
  }

  it("per-variable environments are within flat closures, and equal them at k = 0", () => {
    fc.assert(
      fc.property(cpsProgram, fc.integer({ min: 0, max: 3 }), (text, k) => {
        fc.pre(small(text));
        const p = loadCps(text);
        const env = flowsOf(p, k, "env");
        const flat = flowsOf(p, k, "flat");
        expectSubset(env, flat);
        if (k === 0) expect(env).toEqual(flat);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it("the two variants differ on some program (selfapp.cps, k = 1)", () => {
    const self = loadCps("((lambda (self) (self self)) (lambda (f) (f (lambda (g) (f halt)))))");
    expect(rules(self, 1, "env")).not.toEqual(rules(self, 1, "flat"));
  });
});
