// The lattice laws of a user lattice's Lub, checked at compile time on sample
// values: Bottom, Top, the constants of the carrier type in the program and a
// few small values. Associative, commutative, idempotent, Bottom its identity;
// each broken law is an error at the Lub, with the values that break it.

import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, MTerm, UserLattice } from "../model.js";
import type { Span } from "../span.js";
import { evaluate, same, show as showValue, Unevaluable, type Value } from "./lattice-eval.js";

const SMALL: Readonly<Record<BaseType, readonly Value[]>> = {
  number: [0, 1, 2, 3],
  unsigned: [0, 1, 2, 3],
  float: [0, 0.5, 1, 2.5],
  symbol: ["", "a", "b"],
};

/** At most this many samples: the associativity check evaluates the Lub 2·n³ times. */
const MAX_SAMPLES = 16;

/**
 * Checks the laws of `lattice`'s Lub at `lubSpan`; `constants` are the program's constants of its
 * carrier type. Lubs the evaluator cannot run (user functors) are left to the API's checkLaws.
 */
export function checkLatticeLaws(lattice: UserLattice, lubSpan: Span, constants: readonly Value[], diagnostics: Diagnostic[]): void {
  const constant = (t: MTerm | undefined): Value | undefined => {
    if (!t) return undefined;
    try {
      return evaluate(t, new Map());
    } catch (e) {
      if (e instanceof Unevaluable) return undefined;
      throw e;
    }
  };
  const bottom = constant(lattice.bottom);
  if (bottom === undefined) return;
  const top = constant(lattice.top);
  const elem = lattice.elem;
  const show = (v: Value): string => (elem === "float" && typeof v === "number" && Number.isInteger(v) ? v.toFixed(1) : showValue(v));
  const norm = (v: Value): Value =>
    typeof v === "string" ? v : elem === "float" ? Math.fround(v) : elem === "unsigned" ? v >>> 0 : elem === "number" ? v | 0 : v;
  const samples: Value[] = [];
  for (const v of [bottom, ...(top === undefined ? [] : [top]), ...constants.map(norm), ...SMALL[elem]]) {
    if (samples.length < MAX_SAMPLES && !samples.some((s) => same(s, v))) samples.push(v);
  }
  const memo = new Map<string, Value | null>();
  const lub = (a: Value, b: Value): Value | undefined => {
    const key = `${showValue(a)}\u0000${showValue(b)}`;
    let r = memo.get(key);
    if (r === undefined) {
      try {
        r = evaluate(
          lattice.lub,
          new Map([
            ["$1", a],
            ["$2", b],
          ]),
        );
      } catch (e) {
        if (!(e instanceof Unevaluable)) throw e;
        r = null;
      }
      memo.set(key, r);
    }
    return r ?? undefined;
  };

  const broken = new Map<string, string>();
  const fail = (law: string, message: string) => {
    if (!broken.has(law)) broken.set(law, message);
  };
  const name = `the Lub of lattice "${lattice.name}"`;
  const L = (a: Value, b: Value, r: Value | undefined) => `Lub(${show(a)}, ${show(b)}) = ${r === undefined ? "?" : show(r)}`;
  for (const a of samples) {
    const aa = lub(a, a);
    if (aa !== undefined && !same(aa, a)) fail("idempotent", `${name} is not idempotent: ${L(a, a, aa)}, not ${show(a)}`);
    const ba = lub(bottom, a);
    if (ba !== undefined && !same(ba, a)) {
      fail("bottom", `Bottom (${show(bottom)}) is not an identity of ${name}: ${L(bottom, a, ba)}, not ${show(a)}`);
    }
    for (const b of samples) {
      const ab = lub(a, b);
      const ba2 = lub(b, a);
      if (ab !== undefined && ba2 !== undefined && !same(ab, ba2)) {
        fail("commutative", `${name} is not commutative: ${L(a, b, ab)} but ${L(b, a, ba2)}`);
      }
      if (ab === undefined) continue;
      for (const c of samples) {
        const bc = lub(b, c);
        if (bc === undefined) continue;
        const left = lub(ab, c);
        const right = lub(a, bc);
        if (left !== undefined && right !== undefined && !same(left, right)) {
          fail(
            "associative",
            `${name} is not associative: Lub(Lub(${show(a)}, ${show(b)}), ${show(c)}) = ${show(left)} ` +
              `but Lub(${show(a)}, Lub(${show(b)}, ${show(c)})) = ${show(right)}`,
          );
        }
      }
    }
  }
  for (const law of ["associative", "commutative", "idempotent", "bottom"]) {
    const message = broken.get(law);
    if (message === undefined) continue;
    diagnostics.push(
      error("lattice-law", message, lubSpan, [
        {
          message: `a Lub must be associative, commutative and idempotent, with Bottom as its identity; checked on ${samples.map(show).join(", ")}`,
        },
      ]),
    );
  }
}
