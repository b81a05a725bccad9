// The lattice law checker: on sample values, the join must be associative,
// commutative and idempotent, bottom must be its identity, and the order must
// agree with the join (a ⊑ b exactly when a ⊔ b = b). It sees only the algebra
// (lattice.ts) and sample cells, so a lattice needs no text form to be checked.
// Built-ins are checked by the tests; users call it on their own lattices.

import type { Lattice } from "./lattice.js";

export interface LawViolation {
  readonly law: "associative" | "commutative" | "idempotent" | "bottom-identity" | "order";
  /** The sample cells that break it. */
  readonly values: readonly number[];
  readonly message: string;
}

/** Checks the lattice laws on every combination of up to `limit` samples; returns the first violation of each law. */
export function checkLaws(lattice: Lattice, samples: readonly number[], limit = 24): LawViolation[] {
  const xs = [lattice.bottom, ...samples.slice(0, limit)];
  const j = (a: number, b: number) => lattice.join(a, b);
  const found = new Map<LawViolation["law"], LawViolation>();
  const fail = (law: LawViolation["law"], values: number[], message: string) => {
    if (!found.has(law)) found.set(law, { law, values, message: `${lattice.name}: ${message}` });
  };
  for (const a of xs) {
    if (j(a, a) !== a) fail("idempotent", [a], `join(${a}, ${a}) is ${j(a, a)}, not ${a}`);
    if (j(lattice.bottom, a) !== a) fail("bottom-identity", [a], `join(bottom, ${a}) is ${j(lattice.bottom, a)}, not ${a}`);
    for (const b of xs) {
      if (j(a, b) !== j(b, a)) fail("commutative", [a, b], `join(${a}, ${b}) is ${j(a, b)} but join(${b}, ${a}) is ${j(b, a)}`);
      if (lattice.leq(a, b) !== (j(a, b) === b))
        fail("order", [a, b], `leq(${a}, ${b}) is ${lattice.leq(a, b)}, but join(${a}, ${b}) is ${j(a, b)}`);
      for (const c of xs) {
        if (j(j(a, b), c) !== j(a, j(b, c)))
          fail("associative", [a, b, c], `join(join(${a}, ${b}), ${c}) differs from join(${a}, join(${b}, ${c}))`);
      }
    }
  }
  return [...found.values()];
}
